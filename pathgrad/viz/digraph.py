"""A Scene made a graphviz.Digraph: the `Drawing` Jupyter shows, and dot lays out and renders.

A Drawing is a graphviz.Digraph, so everything graphviz offers works on it
(`.source`, `.render()`, `.pipe()`); it also knows its Look: the place it
fits (`width`, `height` CSS px), the PNG's density (`dpi`, `size`) and
Graphviz's time limit (`timeout`). Jupyter gets SVG and a PNG beside it.

>>> from pathgrad import Value
>>> from pathgrad.viz.options import Look
>>> from pathgrad.viz.scene import SceneMaker
>>> y = Value(2.0, "a") * 3
>>> drawing = to_digraph(SceneMaker(y, Look(rankdir="LR")).scene(lambda node: None), Look())
>>> drawing.source.splitlines()[0], drawing.svg().startswith("<?xml")
('digraph pathgrad {', True)
"""

import base64
import os
import re
import shutil
import sys

import graphviz

from pathgrad.engine.validation import Refused

from . import dot
from .options import Look
from .pdf import svg_pdf
from .plan import shown_size
from .theme import BOUNDED_LAYOUT, LONG_EDGES

# Bitmaps at twice the pixel density of dot's default 96 dpi, shown at half
# their pixel size: the same size as the SVG, and sharp on high-density screens.
PNG_DPI = 192


def to_digraph(scene, look):
    """The Scene as a Drawing for dot to lay out, shown and rendered as `look` says."""
    attrs, edges = scene.attrs, scene.edges
    if ranks_crossed(edges) > LONG_EDGES:  # see theme.py
        attrs = {**attrs, **BOUNDED_LAYOUT}
        edges = xlabels(edges)  # edges with labels cannot share their way
    graph = Drawing(
        "pathgrad", graph_attr=attrs, node_attr=scene.defaults[0], edge_attr=scene.defaults[1]
    )
    graph.description = scene.description
    graph.look = look
    for name, attrs in scene.nodes:
        graph.node(name, **attrs)
    for tail, head, attrs in edges:
        graph.edge(tail, head, **attrs)
    return graph


def xlabels(edges):
    """The edges with their labels as xlabels.

    dot ranks an edge label as a node of its own, which makes a big graph slow
    to lay out; an xlabel is placed after the layout, beside its edge.

    >>> xlabels([("a", "b", {"label": "2", "id": "e1"})])
    [('a', 'b', {'xlabel': '2', 'id': 'e1'})]
    """
    return [(t, h, {("xlabel" if k == "label" else k): v for k, v in a.items()}) for t, h, a in edges]


def ranks_crossed(edges):
    """How many ranks edges cross between their ends, roughly as dot ranks them: a node one rank
    after its latest tail, a node with no tail one rank before its first head.

    >>> ranks_crossed([("x", "a", {}), ("a", "b", {}), ("b", "c", {}), ("x", "c", {})])
    2
    """
    heads, tails = {}, {}
    for tail, head, _ in edges:
        heads.setdefault(tail, []).append(head)
        tails.setdefault(head, []).append(tail)
    rank = {}

    def place(node):  # iteratively, deepest first: a graph may be thousands of ranks long
        stack = [node]
        while stack:
            top = stack[-1]
            waiting = [t for t in tails.get(top, ()) if t not in rank and t in tails]
            if waiting:
                stack.extend(waiting)
                continue
            stack.pop()
            rank[top] = max((rank[t] + 1 for t in tails.get(top, ()) if t in rank), default=0)

    for node in tails:
        if node not in rank:
            place(node)
    for node, following in heads.items():
        if node not in tails:
            rank[node] = min(rank[h] for h in following) - 1
    return sum(max(rank[h] - rank[t] - 1, 0) for t, h, _ in edges)


class Drawing(graphviz.Digraph):
    """A graphviz.Digraph shown in every notebook client, with one line of text about it.

    Jupyter gets SVG and a PNG beside it: untrusted JupyterLab, read-only
    viewers and exported pages do not show SVG outputs, but they do show a
    PNG. Both are shown at most the Look's width CSS px wide (None: their
    natural size), the SVG's width and height attributes and the PNG's
    display size saying so, so nothing scrolls sideways. The PNG has `dpi`
    dots per inch (twice the usual 96), or fits inside `size` = (width,
    height) pixels. Without Graphviz, SVG and PNG come from its WebAssembly
    build (wasm.py), and PDF from that SVG (pdf.py).
    """

    description = "a pathgrad drawing"
    look = Look(width=None)  # how it is shown and rendered: a plain Digraph's natural size
    started = None  # a time.monotonic() reading the time limit counts from; None: each rendering's start
    _layout = None  # (source, dot's SVG of it), kept from fitting so showing needs no second layout
    unreadable = ""  # the one line shown in a notebook instead of a picture too big to read (estimate.py)

    def svg(self):
        """dot's SVG of the drawing, shown at most `width` CSS px wide (its width and height attributes)."""
        return sized_svg(self.layout(), self.look.fit_width, self.look.height)

    def layout(self):
        """dot's SVG of the drawing at its natural size, laid out once for each source."""
        if self._layout is None or self._layout[0] != self.source:
            self._layout = (self.source, self._run(self.source, "svg").decode("utf-8"))
        return self._layout[1]

    def __repr__(self):
        # The same text every run, so a re-executed notebook shows no spurious diff.
        return f"<{self.description}>"

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        if self.unreadable:
            return {"text/plain": self.unreadable}, {}
        try:
            svg = self.svg()
            if sys.platform == "emscripten":  # in the browser: no PNG (a worker cannot rasterise)
                return {"image/svg+xml": svg, "text/plain": repr(self)}, {}
            png = self.png()
        except (dot.GraphvizTimeout, Refused) as error:  # showing never raises: one line says why
            return {"text/plain": str(error)}, {}
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
        return self._run(dense.source, "png")

    def pdf(self):
        """The drawing as PDF bytes, its background to the page's edge.

        dot's own PDF where dot is installed. Without it, or for a page of
        `size=(width, height)` pixels (a PNG of that size printed at 96 dpi:
        (1920, 1080) is a 16:9 slide), the SVG drawn by fpdf2 (pdf.py).
        dot's PDF device adds a margin of its own around the picture, left
        unpainted (white, around a dark theme's panel); margin=0 leaves only
        the pad, which the background fills.
        """
        if self.look.size is not None or shutil.which(self.engine) is None:
            return svg_pdf(self.layout(), self.graph_attr.get("bgcolor"), self.look.size)
        edged = self.copy()
        edged.graph_attr["margin"] = "0"
        return self._run(edged.source, "pdf")

    def _png_dpi(self):
        if self.look.size is None:
            return self.look.dpi or PNG_DPI
        width, height = (v / 72 for v in _viewbox(self.layout()))  # inches
        return min(self.look.size[0] / width, self.look.size[1] / height)

    def _run(self, source, format):
        return dot.run_graphviz(source, format, self.engine, self.look.timeout, started=self.started)

    def pipe(self, format=None, *, encoding=None, quiet=True):
        """Graphviz's output in `format`, within the drawing's time limit: bytes, or text in `encoding`.

        graphviz.Digraph.pipe's other options (renderer, formatter, neato_no_op) are not supported.
        """
        output = self._run(self.source, format or self.format)
        return output if encoding is None else output.decode(encoding)

    def render(self, *args, **kwargs):
        """graphviz.Digraph.render; where dot is not on PATH, by Graphviz's WebAssembly build."""
        if shutil.which(kwargs.get("engine") or self.engine) is None:
            return _render_without_dot(self, *args, **kwargs)
        return super().render(*args, **kwargs)


def _render_without_dot(drawing, filename=None, directory=None, view=False, cleanup=False, format=None, *,
                        outfile=None, engine=None, **_):
    """graphviz's `Digraph.render` with no Graphviz installed: save the DOT source, write its rendering beside it.

    The rendering is `outfile`, or the source's path plus `.format`; its path is
    returned. `cleanup=True` removes the source afterwards. (Opening a viewer,
    `view=True`, is left to the caller.)
    """
    if format is None:
        format = os.path.splitext(outfile)[1].lstrip(".") if outfile else drawing.format
    source = drawing.save(filename, directory=directory)
    target = os.fspath(outfile) if outfile else f"{source}.{format}"
    content = dot.run_graphviz(drawing.source, format, engine or drawing.engine, drawing.look.timeout)
    with open(target, "wb") as out:
        out.write(content)
    if cleanup:
        os.remove(source)
    return target


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
