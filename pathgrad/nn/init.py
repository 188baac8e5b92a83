"""How a neuron's initial weights are drawn, from Python's `random` module.

Drawing from `random` (not numpy) keeps seeding simple: `random.seed(1337)`
before building a model fixes every weight, as in micrograd. A neuron draws
its `nin` weights in order; its bias starts at 0.

- 'uniform' (micrograd's): w ~ U(-1, 1).
- 'he' (Kaiming normal, for ReLU): w ~ N(0, 2 / nin), so the variance of a
  ReLU layer's output stays about that of its input.
- 'xavier' (Glorot uniform, for tanh and sigmoid): w ~ U(-a, a) with
  a = sqrt(6 / (nin + nout)), which keeps the variance of both the forward
  signal and the backward gradient about constant.
"""

import math
import random

from pathgrad.engine.validation import RefusedValue


def _uniform(nin, nout):
    return [random.uniform(-1, 1) for _ in range(nin)]


def _he(nin, nout):
    std = math.sqrt(2.0 / nin)
    return [random.gauss(0.0, std) for _ in range(nin)]


def _xavier(nin, nout):
    bound = math.sqrt(6.0 / (nin + nout))
    return [random.uniform(-bound, bound) for _ in range(nin)]


INITS = {"uniform": _uniform, "he": _he, "xavier": _xavier}


def check_init(owner, init):
    """ValueError naming `owner` unless `init` is a scheme's name."""
    if init not in INITS:
        raise RefusedValue(
            f"{owner}: got init {init!r}; "
            f"expected one of {', '.join(map(repr, INITS))}"
        )


def initial_weights(owner, init, nin, nout):
    """`nin` weights for one neuron of a layer of `nout` neurons, drawn by scheme `init`.

    >>> import random; random.seed(0)
    >>> [round(w, 4) for w in initial_weights("Neuron", "uniform", 2, 1)]
    [0.6888, 0.5159]
    """
    check_init(owner, init)
    return INITS[init](nin, nout)
