"""Running Graphviz.

Building a drawing needs only Python; turning it into SVG, PNG or PDF runs
Graphviz's programs (dot, neato). Where they are missing, rendering raises
`GraphvizNotFound` with the command that installs them.
"""

import contextlib

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


class Drawing(graphviz.Digraph):
    """A graphviz.Digraph that, without Graphviz, raises GraphvizNotFound with install help.

    Jupyter shows a Digraph inline through its pipe(), so a notebook without
    dot shows how to install it rather than a bare "failed to execute".
    """

    def __repr__(self):
        # The same text every run, so a re-executed notebook shows no spurious diff.
        return f"<pathgrad drawing: {len(self.body)} DOT statements; display it in Jupyter, or read .source>"

    def pipe(self, format=None, *args, **kwargs):
        engine = kwargs.get("engine") or self.engine
        with _needs_graphviz(engine, format or self.format):
            return super().pipe(format, *args, **kwargs)

    def render(self, *args, **kwargs):
        engine = kwargs.get("engine") or self.engine
        with _needs_graphviz(engine, kwargs.get("format") or self.format):
            return super().render(*args, **kwargs)
