"""Drawing in the browser: Graphviz as @viz-js/viz, inside Pyodide, SVG only.

In Pyodide (JupyterLite's kernel, the playground) there is no `dot` and no
WebAssembly runtime for Python's wheels, but the browser is one: the site
ships `@viz-js/viz` (Graphviz compiled to WebAssembly, one ES module) as
`viz.js` beside Pyodide's own files, and this module imports it into the
JavaScript context Pyodide runs in (the kernel's worker, or the page).

Loading is asynchronous, rendering is not. Where the browser has JavaScript
Promise Integration (Chromium 137 and later), the first drawing loads
Graphviz by itself through `pyodide.ffi.run_sync`. Elsewhere, run once

    await pathgrad.viz.browser.load()

in a cell, and every drawing after it renders synchronously. `load()` also
loads the packages the stepper's widget needs (anywidget), because the
kernel installs only the packages a cell's own imports name.

Only SVG (and Graphviz's text formats) come out: a web worker has no way
to rasterise, so PNG and PDF are refused in one line.
"""

import sys

from ..engine.validation import RefusedValue

IN_BROWSER = sys.platform == "emscripten"
VIZ_FILE = "viz.js"  # build.py puts @viz-js/viz's ES module here, beside pyodide.mjs
FORMATS = ("svg", "dot", "gv", "canon", "plain", "json", "xdot")
WIDGET_PACKAGES = ("anywidget",)

_viz = None  # @viz-js/viz's instance, once loaded
_loaded_packages = set()


class NotLoaded(RuntimeError):
    """Graphviz (@viz-js/viz) or a package is not loaded yet, and this browser cannot wait for it inside a call."""


def _await(awaitable, what):
    """The awaitable's result, waited for synchronously (JSPI), or NotLoaded saying what to run."""
    from pyodide.ffi import can_run_sync, run_sync

    if not can_run_sync():
        raise NotLoaded(
            f"{what} needs a download first, and this browser cannot wait for one inside a call: "
            f"run `await pathgrad.viz.browser.load()` once in a cell, then try again"
        )
    return run_sync(awaitable)


def viz_url():
    """The address of the site's viz.js: beside Pyodide's own files (its indexURL)."""
    import pyodide_js

    return str(pyodide_js._api.config.indexURL).rstrip("/") + "/" + VIZ_FILE


async def _load_viz():
    global _viz
    if _viz is None:
        import js

        # import() of our own constant address; no user text is evaluated.
        module = await js.Function("url", "return import(url)")(viz_url())
        _viz = await module.instance()
    return _viz


async def _load_packages(names):
    import pyodide_js

    wanted = [name for name in names if name not in _loaded_packages]
    if wanted:
        await pyodide_js.loadPackage(wanted)
        _loaded_packages.update(wanted)


async def load(widgets=True):
    """Load Graphviz (@viz-js/viz) and, with `widgets`, the stepper widget's packages, once.

    Afterwards drawing is synchronous.

    In a JupyterLite cell:

    >>> await pathgrad.viz.browser.load()  # doctest: +SKIP
    """
    await _load_viz()
    if widgets:
        await _load_packages(WIDGET_PACKAGES)


def require(*names):
    """Load Pyodide packages (from the site's pyodide-lock.json) a module is about to import."""
    if any(name not in _loaded_packages for name in names):
        _await(_load_packages(names), f"importing {', '.join(names)}")


def render(source, format, *, engine="dot"):
    """Graphviz's output for DOT `source` in `format` (svg or a text format), as bytes, by @viz-js/viz.

    PNG and PDF are refused before anything loads:

    >>> render("digraph { a -> b }", "png")
    Traceback (most recent call last):
    ...
    pathgrad.engine.validation.RefusedValue: render: png cannot be made in the browser, where pathgrad draws SVG only; save as .svg, or save as .png from Python on a computer

    In Pyodide:

    >>> render("digraph { a -> b }", "svg")[:5]  # doctest: +SKIP
    b'<?xml'
    """
    if format not in FORMATS:
        raise RefusedValue(
            f"render: {format} cannot be made in the browser, where pathgrad draws SVG only; "
            f"save as .svg, or save as .{format} from Python on a computer"
        )
    viz = _viz if _viz is not None else _await(_load_viz(), "drawing (Graphviz, @viz-js/viz)")
    from pyodide.ffi import to_js
    from js import Object

    result = viz.render(source, to_js({"format": format, "engine": engine}, dict_converter=Object.fromEntries))
    if result.status != "success":
        messages = "; ".join(str(error.message).strip() for error in result.errors)
        raise RuntimeError(f"{engine} -T{format} (in the browser) failed: {messages}")
    return str(result.output).encode("utf-8")
