"""What every optimizer shares: its parameters, zero_grad, and checked hyperparameters."""

from pathgrad.engine import Value
from pathgrad.engine.validation import RefusedType, RefusedValue, number


class Optimizer:
    """Base class: holds the parameters and a learning rate `lr` that schedules may change.

    Subclasses implement `step()`, which reads each parameter's grad and
    updates its data, keeping any per-parameter state in lists of floats.
    """

    def __init__(self, params, lr):
        name = type(self).__name__
        self.params = list(params)
        if not self.params:
            raise RefusedValue(f"{name}: got an empty parameter list; pass model.parameters()")
        for p in self.params:
            if not isinstance(p, Value):
                raise RefusedType(
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
    pathgrad.engine.validation.RefusedValue: SGD: got lr = -0.1; expected a finite number >= 0
    """
    value = number(optimizer, name, value, low=low)
    if high is not None and value >= high:
        raise RefusedValue(f"{optimizer}: got {name} = {value!r}; expected a number in [{low:g}, {high:g})")
    return value
