"""`Module`: anything with parameters, as in micrograd and torch.nn.Module.

A module lists its parameters (leaf Values) in a fixed order, names them, and
can copy their numbers out to a plain dict and back, or to a JSON file and back.
"""

import math
from numbers import Real

from pathgrad.engine.validation import RefusedValue

from . import checkpoint


class Module:
    """Base class for Neuron, Layer and MLP.

    Subclasses define `named_parameters()` (and may define a faster
    `parameters()` giving the same Values in the same order) and
    `architecture()`, the constructor arguments a saved file must match.
    """

    def named_parameters(self):
        """[(name, Value)] for every parameter, in `parameters()` order."""
        return []

    def label_parameters(self):
        """Label each parameter with its named_parameters() name, as drawings and captions show it."""
        for name, p in self.named_parameters():
            p.label = name

    def parameters(self):
        """Every parameter Value, in a fixed order (micrograd's)."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self):
        """Set every parameter's grad to 0, before the next backward().

        Leaves accumulate grads across backward() calls, so each training
        step starts from zero.
        """
        for p in self.parameters():
            p.grad = 0.0

    def architecture(self):
        """What a model file must describe to load into this module: type and shape."""
        return {"type": type(self).__name__}

    def state_dict(self):
        """{name: number} for every parameter, in order, as torch's state_dict().

        >>> from pathgrad.nn import Neuron
        >>> n = Neuron(2); n.w[0].data, n.w[1].data = 0.5, -2.0
        >>> n.state_dict()
        {'w.0': 0.5, 'w.1': -2.0, 'b': 0.0}
        """
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state):
        """Set every parameter from `state` ({name: number}), or change nothing.

        Everything is checked before any parameter is touched: the names must be
        exactly this module's, and every value a finite real number. Otherwise
        ValueError says what is missing, unexpected or not a number.

        >>> from pathgrad.nn import Neuron
        >>> n = Neuron(1); n.load_state_dict({"w.0": 3.0, "b": 1.0}); n([2.0]).data
        7.0
        """
        named = self.named_parameters()
        _check_state(state, [name for name, _ in named])
        for name, p in named:
            p.data = float(state[name])

    def save(self, path):
        """Write the architecture and parameters to `path` as JSON, atomically.

        The file is written under a temporary name and renamed over `path`
        only when complete, so an interrupted save leaves the old file intact.
        """
        checkpoint.save(self, path)

    def load(self, path, max_bytes=checkpoint.MAX_BYTES):
        """Load parameters saved by `save()`, after checking the whole file.

        Corrupt JSON, another architecture, missing or extra parameters, or
        non-numbers raise ValueError naming the file, and the module is left
        unchanged. At most `max_bytes` (256 MB) are read.
        """
        checkpoint.load(self, path, max_bytes)


def _check_state(state, names):
    """ValueError unless `state` maps exactly `names` to finite real numbers."""
    if not isinstance(state, dict):
        raise RefusedValue(
            f"load_state_dict: got {type(state).__name__}; "
            "expected a dict of parameter name -> number"
        )
    missing = [name for name in names if name not in state]
    expected = set(names)
    unexpected = [name for name in state if name not in expected]
    if missing or unexpected:
        raise RefusedValue(
            "load_state_dict: parameters do not match this module's "
            f"(missing: {_some(missing)}; unexpected: {_some(unexpected)}); "
            f"expected the {len(names)} names of state_dict()"
        )
    for name in names:
        value = state[name]
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            raise RefusedValue(
                f"load_state_dict: parameter {name!r} is {value!r}; expected a finite number"
            )


def _some(names, shown=3):
    """At most `shown` names, then how many more: for error messages."""
    if not names:
        return "none"
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(map(repr, names[:shown])) + more
