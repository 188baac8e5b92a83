"""What every optimizer shares: its parameters, zero_grad, and checked hyperparameters."""

import math
from numbers import Real

from pathgrad.engine import Value


class Optimizer:
    """Base class: holds the parameters and a learning rate `lr` that schedules may change.

    Subclasses implement `step()`, which reads each parameter's grad and
    updates its data, keeping any per-parameter state in lists of floats.
    """

    def __init__(self, params, lr):
        name = type(self).__name__
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{name}: got an empty parameter list; pass model.parameters()")
        for p in self.params:
            if not isinstance(p, Value):
                raise ValueError(
                    f"{name}: got parameter {p!r} of type {type(p).__name__}; expected Values "
                    "(pass model.parameters())"
                )
        self.lr = check_hyperparameter(name, "lr", lr, low=0.0)

    def zero_grad(self):
        """Set every parameter's grad to 0 (torch sets None; a Value's grad is a number)."""
        for p in self.params:
            p.grad = 0.0

    def step(self):
        """Update every parameter's data from its grad."""
        raise NotImplementedError


def check_hyperparameter(optimizer, name, value, low, high=None):
    """`value` as a float if low <= value (< high), else ValueError naming it and the range.

    >>> check_hyperparameter("SGD", "lr", -0.1, low=0.0)
    Traceback (most recent call last):
    ...
    ValueError: SGD: got lr = -0.1; expected a number >= 0
    """
    accepted = f">= {low:g}" if high is None else f"in [{low:g}, {high:g})"
    if (
        isinstance(value, bool)
        or not isinstance(value, Real)
        or not math.isfinite(value)
        or value < low
        or (high is not None and value >= high)
    ):
        raise ValueError(f"{optimizer}: got {name} = {value!r}; expected a number {accepted}")
    return float(value)
