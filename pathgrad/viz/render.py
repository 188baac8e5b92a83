"""Running Graphviz.

Building a drawing needs only Python; turning it into SVG, PNG or PDF runs
Graphviz's programs (dot, neato). Where they are missing, SVG and PNG come
from Graphviz compiled to WebAssembly (wasm.py), and anything else raises
`GraphvizNotFound` with the command that installs them. Each run stops after
a time limit (30 s by default) with `GraphvizTimeout`, which names the
graph's size.
"""

import base64
import os
import re
import shutil
import signal
import struct
import subprocess
import time

import graphviz

from ..engine.validation import Refused, RefusedValue, number
from . import wasm

TIMEOUT = 30.0  # seconds Graphviz may take to lay out and render one drawing
MAX_STRING = 16384  # bytes: the longest quoted string (a label, a tooltip) dot's parser reads


class GraphvizNotFound(RuntimeError):
    """Graphviz's programs are not on PATH, so a drawing cannot be rendered."""


class GraphvizTimeout(RuntimeError):
    """Graphviz took longer than its time limit and was stopped: the graph is too big to lay out in time."""


def run_graphviz(source, format, engine="dot", timeout=TIMEOUT, *, started=None):
    """Graphviz's output for DOT `source` in `format` (svg, png, pdf, ...), as bytes.

    `engine` (dot, neato) runs in a process of its own, stopped with all it
    started once `timeout` seconds have passed since `started` (a
    time.monotonic() reading; by default now), raising GraphvizTimeout with
    the graph's size; None waits as long as it takes. A string over
    Graphviz's 16 KB limit is refused before it runs.

    >>> run_graphviz("digraph { a -> b }", "svg")[:5]
    b'<?xml'
    """
    check_strings(source)
    if timeout is not None:
        timeout = number("render", "timeout", timeout, low=0.001)
    program = shutil.which(engine)
    if program is None:  # no Graphviz installed: its WebAssembly build, in-process
        return wasm.render(source, format, engine=engine)
    left = None
    if timeout is not None:
        left = timeout - (0.0 if started is None else time.monotonic() - started)
        if left <= 0:
            raise _timed_out(engine, timeout, source)
    # A session of its own, so that stopping it stops anything it started too.
    process = subprocess.Popen([program, f"-T{format}"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=os.name == "posix")
    try:
        output, errors = process.communicate(source.encode("utf-8"), timeout=left)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise _timed_out(engine, timeout, source) from None
    except BaseException:  # Ctrl-C included: leave no Graphviz running
        _stop(process)
        raise
    if process.returncode != 0:
        raise RuntimeError(f"{engine} -T{format} failed with exit status {process.returncode}: "
                           f"{errors.decode('utf-8', 'replace').strip()}")
    return output


def _stop(process):
    """Kill the process and its process group, and reap it."""
    if os.name == "posix":
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    else:
        process.kill()
    process.communicate()


def _timed_out(engine, timeout, source):
    nodes, edges = graph_size(source)
    return GraphvizTimeout(
        f"Graphviz's {engine} took more than {timeout:g} s to lay out this graph of {nodes} nodes and "
        f"{edges} edges and was stopped; draw less of it with collapse=[scope names] or "
        f"around=node, depth=k, or allow more time with timeout=SECONDS"
    )


_STATEMENT = re.compile(r'^\s*("(?:[^"\\]|\\.)*"|[\w.]+)\s*(->|\[|$)', re.MULTILINE)


def graph_size(source):
    r"""(nodes, edges) a DOT source declares, one statement a line as graphviz.Digraph writes it.

    >>> graph_size('digraph {\n\ta [label=x]\n\tb\n\ta -> b [label=2]\n}')
    (2, 1)
    """
    nodes = edges = 0
    for name, kind in _STATEMENT.findall(source):
        if kind == "->":
            edges += 1
        elif name not in ("graph", "node", "edge", "subgraph"):
            nodes += 1
    return nodes, edges


_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL)


def check_strings(source):
    """Refuse a DOT source with a quoted string (a label, a tooltip) over Graphviz's 16 KB limit.

    >>> check_strings('digraph { a [label="' + "x" * 20000 + '"] }')
    Traceback (most recent call last):
    ...
    pathgrad.engine.validation.RefusedValue: render: a label of 20000 bytes is over Graphviz's limit of 16384 bytes for one text; shorten the label starting 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'
    """
    if len(source.encode("utf-8")) <= MAX_STRING:
        return
    for match in _QUOTED.finditer(source):
        text = match.group(1)
        size = len(text.encode("utf-8"))
        if size > MAX_STRING:
            start = text.lstrip("{ ")[:30]
            raise RefusedValue(
                f"render: a label of {size} bytes is over Graphviz's limit of {MAX_STRING} bytes for one "
                f"text; shorten the label starting {start + '...'!r}"
            )


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
    timeout = TIMEOUT  # seconds each rendering may take (None: no limit)
    started = None  # a time.monotonic() reading the time limit counts from; None: each rendering's start
    _svg = None  # (source, dot's SVG of it), kept from fitting so showing needs no second layout
    unreadable = ""  # the one line shown in a notebook instead of a picture too big to read (estimate.py)

    def svg(self):
        """dot's SVG of the drawing, shown at most `width` CSS px wide (its width and height attributes)."""
        return sized_svg(self._natural_svg(), self.width, self.height)

    def _natural_svg(self):
        if self._svg is None or self._svg[0] != self.source:
            self._svg = (self.source, self._run(self.source, "svg").decode("utf-8"))
        return self._svg[1]

    def __repr__(self):
        # The same text every run, so a re-executed notebook shows no spurious diff.
        return f"<{self.description}>"

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        if self.unreadable:
            return {"text/plain": self.unreadable}, {}
        try:
            svg = self.svg()
            png = self.png()
        except (GraphvizTimeout, Refused) as error:  # showing never raises: one line says why
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

        dot's PDF device adds a margin of its own around the picture, left
        unpainted (white, around a dark theme's panel); margin=0 leaves only
        the pad, which the background fills.
        """
        edged = self.copy()
        edged.graph_attr["margin"] = "0"
        return self._run(edged.source, "pdf")

    def _png_dpi(self):
        if self.size is None:
            return self.dpi or PNG_DPI
        width, height = (v / 72 for v in _viewbox(self._natural_svg()))  # inches
        return min(self.size[0] / width, self.size[1] / height)

    def _run(self, source, format):
        return run_graphviz(source, format, self.engine, self.timeout, started=self.started)

    def pipe(self, format=None, *, encoding=None, quiet=True):
        """Graphviz's output in `format`, within the drawing's time limit: bytes, or text in `encoding`.

        graphviz.Digraph.pipe's other options (renderer, formatter, neato_no_op) are not supported.
        """
        output = self._run(self.source, format or self.format)
        return output if encoding is None else output.decode(encoding)

    def render(self, *args, **kwargs):
        """graphviz.Digraph.render, by Graphviz's WebAssembly build where dot is not on PATH."""
        engine = kwargs.get("engine") or self.engine
        if shutil.which(engine) is None:  # no Graphviz installed: its WebAssembly build, in-process
            return wasm.render_file(self, *args, **kwargs)
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

    >>> png_size(run_graphviz("digraph { a }", "png"))[0] > 0
    True
    """
    return struct.unpack(">II", png[16:24])
