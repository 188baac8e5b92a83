"""pathgrad: a scalar autodiff engine for learning and teaching backpropagation.

`pathgrad.engine` holds the Value graph and every view of the chain rule
(re-exported here), `pathgrad.nn` builds neurons, layers and MLPs on it, and
`pathgrad.viz` draws graphs and steps through the backward pass.
`pathgrad.exercise(seed, level)` poses a graph to differentiate by hand and
checks the answers (imported on first use, so `import pathgrad` stays light).

>>> from pathgrad import Value
>>> a, b = Value(2.0, "a"), Value(1.0, "b")
>>> e = (a + b) * (b + 1)
>>> e.backward()
>>> a.grad, b.grad
(2.0, 5.0)
"""

from .engine import *  # noqa: F403
from .engine import __all__ as _engine_names
from .engine import sum  # noqa: F401  (pathgrad.sum, not exported by *)

__version__ = "0.1.0"  # the one place: pyproject.toml reads it (tool.setuptools.dynamic)
__all__ = list(_engine_names)


def __getattr__(name):
    """pathgrad.exercise, imported on first use: it brings in viz and Graphviz."""
    if name == "exercise":
        from .exercises import exercise

        return exercise
    raise AttributeError(f"module 'pathgrad' has no attribute {name!r}")
