"""Running Graphviz.

Building a drawing needs only Python; turning it into SVG, PNG or PDF runs
Graphviz's programs (dot, neato). Where they are missing, SVG and PNG come from
Graphviz compiled to WebAssembly (wasm.py), and what cannot (PDF) raises
`GraphvizNotFound` with the command that installs them.
"""

import base64
import contextlib
import re
import shutil
import struct

import graphviz

from . import wasm

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
    if shutil.which(engine) is None:  # no Graphviz installed: its WebAssembly build, in-process
        return wasm.render(source, format, engine=engine)
    with _needs_graphviz(engine, format):
        return graphviz.pipe(engine, format, source.encode(), neato_no_op=neato_no_op, quiet=True)


# Bitmaps at twice the pixel density of dot's default 96 dpi, shown at half
# their pixel size: the same size as the SVG, and sharp on high-density screens.
PNG_DPI = 192


class Drawing(graphviz.Digraph):
    """A graphviz.Digraph shown in every notebook client, with one line of text about it.

    Jupyter gets SVG and a PNG beside it: untrusted JupyterLab, read-only
    viewers and exported pages do not show SVG outputs, but they do show a
    PNG. Both are shown at most `width` CSS px wide (None: their natural
    size), the SVG's width and height attributes and the PNG's display size
    saying so, so nothing scrolls sideways. The PNG has `dpi` dots per inch
    (twice the usual 96), or fits inside `size` = (width, height) pixels.
    Without Graphviz, SVG and PNG come from its WebAssembly build (wasm.py), and
    PDF raises GraphvizNotFound with install help rather than a bare "failed to execute".
    """

    description = "a pathgrad drawing"
    width = None  # CSS px the picture may take
    height = None
    dpi = None
    size = None  # (width, height) px the PNG must fit inside
    _svg = None  # (source, dot's SVG of it), kept from fitting so showing needs no second layout

    def svg(self):
        """dot's SVG of the drawing, shown at most `width` CSS px wide (its width and height attributes)."""
        return sized_svg(self._natural_svg(), self.width, self.height)

    def _natural_svg(self):
        if self._svg is None or self._svg[0] != self.source:
            self._svg = (self.source, self.pipe("svg").decode("utf-8"))
        return self._svg[1]

    def __repr__(self):
        # The same text every run, so a re-executed notebook shows no spurious diff.
        return f"<{self.description}>"

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        svg = self.svg()
        png = self.png()
        bundle = {
            "image/svg+xml": svg,
            "image/png": base64.b64encode(png).decode("ascii"),
            "text/plain": repr(self),
        }
        width, height = (round(float(v)) for v in _SIZE.search(svg).groups())
        metadata = {"image/png": {"width": width, "height": height}}
        return bundle, metadata

    def png(self):
        """The drawing as PNG bytes: at `dpi`, or fitting inside `size` pixels; PNG_DPI by default.

        PNG_DPI is twice the usual 96: sharp on high-density screens and projectors.
        """
        dense = self.copy()  # a plain copy: the description is not needed to render
        dense.graph_attr["dpi"] = f"{self._png_dpi():g}"
        return dense.pipe("png")

    def pdf(self):
        """The drawing as PDF bytes, its background to the page's edge.

        dot's PDF device adds a margin of its own around the picture, left
        unpainted (white, around a dark theme's panel); margin=0 leaves only
        the pad, which the background fills.
        """
        edged = self.copy()
        edged.graph_attr["margin"] = "0"
        return edged.pipe("pdf")

    def _png_dpi(self):
        if self.size is None:
            return self.dpi or PNG_DPI
        width, height = (v / 72 for v in _viewbox(self._natural_svg()))  # inches
        return min(self.size[0] / width, self.size[1] / height)

    def pipe(self, format=None, *args, **kwargs):
        engine = kwargs.get("engine") or self.engine
        if shutil.which(engine) is None:  # no Graphviz installed: its WebAssembly build, in-process
            return wasm.render(self.source, format or self.format, engine=engine)
        with _needs_graphviz(engine, format or self.format):
            return super().pipe(format, *args, **kwargs)

    def render(self, *args, **kwargs):
        engine = kwargs.get("engine") or self.engine
        if shutil.which(engine) is None:  # no Graphviz installed: its WebAssembly build, in-process
            return wasm.render_file(self, *args, **kwargs)
        with _needs_graphviz(engine, kwargs.get("format") or self.format):
            return super().render(*args, **kwargs)


_SIZE = re.compile(r'<svg width="([\d.]+)px" height="([\d.]+)px"')
_VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')
_DOT_SIZE = re.compile(r'<svg width="[\d.]+pt" height="[\d.]+pt"')


def _viewbox(svg):
    return [float(v) for v in _VIEWBOX.search(svg).groups()]


def sized_svg(svg, width=None, height=None):
    """dot's SVG with width and height in CSS px: its natural size (4/3 px a point), shrunk to fit.

    >>> svg = '<svg width="720pt" height="72pt" viewBox="0.00 0.00 720.00 72.00">'
    >>> sized_svg(svg, 480)
    '<svg width="480px" height="48px" viewBox="0.00 0.00 720.00 72.00">'
    """
    shown_w, shown_h = shown_size(_viewbox(svg), width, height)
    return _DOT_SIZE.sub(f'<svg width="{shown_w:.0f}px" height="{shown_h:.0f}px"', svg, 1)


def shown_size(points, width, height=None):
    """(width, height) in CSS px a picture `points` big is shown at: natural, or shrunk to the limits.

    A point is 4/3 CSS px; None is no limit.

    >>> shown_size((1440, 720), 960)
    (960.0, 480.0)
    """
    natural_w, natural_h = points[0] * 4 / 3, points[1] * 4 / 3
    shrink = min([1.0] + [limit / natural for limit, natural in ((width, natural_w), (height, natural_h))
                          if limit is not None and natural > 0])
    return natural_w * shrink, natural_h * shrink


def png_size(png):
    """(width, height) in pixels, read from a PNG's header.

    >>> png_size(pipe("digraph { a }", "png"))[0] > 0
    True
    """
    return struct.unpack(">II", png[16:24])
