"""Running Graphviz.

Building a drawing needs only Python; turning it into SVG, PNG or PDF runs
Graphviz's programs (dot, neato). Where they are missing, rendering raises
`GraphvizNotFound` with the command that installs them.
"""

import base64
import contextlib
import struct

import graphviz

INSTALL_HELP = """\
Install Graphviz, which provides `dot`:
  Debian/Ubuntu:  sudo apt-get install graphviz
  macOS:          brew install graphviz
  conda:          conda install -c conda-forge graphviz
  Windows:        winget install graphviz   (or: choco install graphviz), then add
                  C:\\Program Files\\Graphviz\\bin to PATH and restart Jupyter
draw() and its .source work without it; only rendering needs it."""


class GraphvizNotFound(RuntimeError):
    """Graphviz's programs are not on PATH, so a drawing cannot be rendered."""


@contextlib.contextmanager
def _needs_graphviz(engine, format):
    """Turn the graphviz package's ExecutableNotFound into GraphvizNotFound with install help."""
    try:
        yield
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFound(
            f"rendering to {format} needs Graphviz's `{engine}` program, which is not on PATH.\n"
            + INSTALL_HELP
        ) from None


def pipe(source, format, *, engine="dot", neato_no_op=None):
    """Graphviz's output for DOT `source` in `format`, as bytes.

    >>> pipe("digraph { a -> b }", "svg")[:5]
    b'<?xml'
    """
    with _needs_graphviz(engine, format):
        return graphviz.pipe(engine, format, source.encode(), neato_no_op=neato_no_op, quiet=True)


# Bitmaps at twice the pixel density of dot's default 96 dpi, shown at half
# their pixel size: the same size as the SVG, and sharp on high-density screens.
PNG_DPI = 192


class Drawing(graphviz.Digraph):
    """A graphviz.Digraph shown in every notebook client, with one line of text about it.

    Jupyter gets SVG and a PNG beside it: untrusted JupyterLab, read-only
    viewers and exported pages do not show SVG outputs, but they do show a
    PNG. Without Graphviz, rendering raises GraphvizNotFound with install
    help rather than a bare "failed to execute".
    """

    description = "a pathgrad drawing"

    def __repr__(self):
        # The same text every run, so a re-executed notebook shows no spurious diff.
        return f"<{self.description}>"

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        png = self.png()
        bundle = {
            "image/svg+xml": self.pipe("svg").decode("utf-8"),
            "image/png": base64.b64encode(png).decode("ascii"),
            "text/plain": repr(self),
        }
        width, height = png_size(png)
        metadata = {"image/png": {"width": width * 96 // PNG_DPI, "height": height * 96 // PNG_DPI}}
        return bundle, metadata

    def png(self):
        """The drawing as PNG bytes at PNG_DPI (twice the usual pixel density)."""
        dense = self.copy()  # a plain copy: the description is not needed to render
        dense.graph_attr["dpi"] = str(PNG_DPI)
        return dense.pipe("png")

    def pipe(self, format=None, *args, **kwargs):
        engine = kwargs.get("engine") or self.engine
        with _needs_graphviz(engine, format or self.format):
            return super().pipe(format, *args, **kwargs)

    def render(self, *args, **kwargs):
        engine = kwargs.get("engine") or self.engine
        with _needs_graphviz(engine, kwargs.get("format") or self.format):
            return super().render(*args, **kwargs)


def png_size(png):
    """(width, height) in pixels, read from a PNG's header.

    >>> png_size(pipe("digraph { a }", "png"))[0] > 0
    True
    """
    return struct.unpack(">II", png[16:24])
