"""Running Graphviz, and writing its output safely.

Building a drawing needs only Python; turning it into SVG, PNG or PDF runs
Graphviz's programs (dot, neato). Where they are missing, rendering raises
`GraphvizNotFound` with the command that installs them.
"""

import contextlib
import os
import tempfile

import graphviz

# mkstemp makes files readable by their owner only; a saved drawing should get
# the permissions any new file gets. The umask can only be read by setting it.
_UMASK = os.umask(0)
os.umask(_UMASK)

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


class Drawing(graphviz.Digraph):
    """A graphviz.Digraph that, without Graphviz, raises GraphvizNotFound with install help.

    Jupyter shows a Digraph inline through its pipe(), so a notebook without
    dot shows how to install it rather than a bare "failed to execute".
    """

    def pipe(self, format=None, *args, **kwargs):
        engine = kwargs.get("engine") or self.engine
        with _needs_graphviz(engine, format or self.format):
            return super().pipe(format, *args, **kwargs)

    def render(self, *args, **kwargs):
        engine = kwargs.get("engine") or self.engine
        with _needs_graphviz(engine, kwargs.get("format") or self.format):
            return super().render(*args, **kwargs)


def write_atomically(path, data):
    """Write bytes to path through a temporary file and os.replace.

    A reader never sees a half-written file, and a failed write leaves any
    old file as it was.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".pathgrad-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
