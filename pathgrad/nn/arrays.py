"""numpy, imported on first use, so that `import pathgrad.nn` needs no numpy.

pathgrad also runs where numpy cannot be had: in the browser, on Pyodide
built from registry packages alone (notebooks/site/). Nothing in pathgrad.nn
needs numpy there: the models, losses, optimizers, `fit` and `evaluate` work
on lists, and the toy data sets are computed in plain Python. numpy only
shapes what they give back: arrays where it imports (`arrays_if_numpy`), the
plain lists where it does not; they take either (`as_lists`, `shape_of`), and
`isinstance(x, np.ndarray)` is simply False where numpy is missing. Nothing here is numpy's own: `np.linspace` is numpy's linspace.

>>> from pathgrad.nn.arrays import np
>>> np.linspace(0, 1, 3).tolist()
[0.0, 0.5, 1.0]
"""

import importlib

_MISSING = []  # [True] once numpy was looked for and not found


def numpy_or_none():
    """The numpy module, or None where it is not installed.

    Looked for once: a failed import searches every folder of sys.path again,
    and in the browser site each search is a round of file-system calls (1.1 s
    for the 200 lookups of one forward pass of the moons batch, measured in
    JupyterLite). So a miss is remembered for the rest of the process.
    """
    if _MISSING:
        return None
    try:
        return importlib.import_module("numpy")
    except ImportError:
        _MISSING.append(True)
        return None


class NoArray:
    """Without numpy nothing is an array: `isinstance(x, np.ndarray)` is then simply False."""


class LazyNumpy:
    """The numpy module, imported when one of its names is first looked up."""

    def __getattr__(self, name):
        numpy = numpy_or_none()
        if numpy is None:
            if name == "ndarray":
                return NoArray
            raise ModuleNotFoundError(
                f"pathgrad.nn: np.{name} needs numpy, which is not installed here "
                "(pathgrad in the browser runs without it); install it with `pip install numpy`",
                name="numpy",
            )
        return getattr(numpy, name)


np = LazyNumpy()


def arrays_if_numpy(X, y):
    """A data set's points and labels as numpy arrays (float64 (n, d), intp) where numpy imports, else as given.

    >>> X, y = arrays_if_numpy([[0.5, 1.0]], [1])
    >>> X.shape, X.dtype.name, y.tolist()
    ((1, 2), 'float64', [1])
    """
    numpy = numpy_or_none()
    if numpy is None:
        return X, y
    return numpy.array(X, dtype=float), numpy.array(y, dtype=numpy.intp)


def as_lists(x):
    """An array as (nested) lists of Python numbers; anything else as it is.

    >>> as_lists(np.zeros((1, 2))), as_lists([[1, 2]])
    ([[0.0, 0.0]], [[1, 2]])
    """
    return x.tolist() if isinstance(x, np.ndarray) else x


def shape_of(x):
    """numpy's shape of an array, or of nested lists and tuples, read down their first items.

    >>> shape_of([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), shape_of([1, 2, 3]), shape_of(2.0)
    ((3, 2), (3,), ())
    """
    if isinstance(x, np.ndarray):
        return x.shape
    shape = []
    while isinstance(x, (list, tuple)):
        shape.append(len(x))
        if not x:
            break
        x = x[0]
    return tuple(shape)
