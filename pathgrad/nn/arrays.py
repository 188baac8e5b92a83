"""numpy, imported on first use, so that `import pathgrad.nn` needs no numpy.

pathgrad also runs where numpy cannot be had: in the browser, on Pyodide
built from registry packages alone (notebooks/site/). There the models,
losses and optimizers work on lists; what needs arrays (the toy data sets,
`fit` and `evaluate`) says so in one line the first time it reaches for
numpy. Nothing here is numpy's own: `np.linspace` is numpy's linspace.

>>> from pathgrad.nn.arrays import np
>>> np.linspace(0, 1, 3).tolist()
[0.0, 0.5, 1.0]
"""

import importlib


class NoArray:
    """Without numpy nothing is an array: `isinstance(x, np.ndarray)` is then simply False."""


class LazyNumpy:
    """The numpy module, imported when one of its names is first looked up."""

    def __getattr__(self, name):
        try:
            numpy = importlib.import_module("numpy")
        except ImportError:
            if name == "ndarray":
                return NoArray
            raise ModuleNotFoundError(
                "pathgrad.nn: the toy data sets, fit and evaluate need numpy, which is not installed here "
                "(pathgrad in the browser runs without it); install it with `pip install numpy`, "
                "or pass lists of numbers to the models and losses, which need no numpy",
                name="numpy",
            ) from None
        return getattr(numpy, name)


np = LazyNumpy()
