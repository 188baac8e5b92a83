"""The activation functions a neuron may apply to its weighted sum, by name.

Each is one engine operation, so its derivative is the one recorded on that
node: relu' = 1 for x > 0 else 0, tanh' = 1 - tanh^2, sigmoid' = S(1 - S), and
so on (see `pathgrad.engine.Value`). 'linear' applies nothing: the neuron's
output is its weighted sum, as in micrograd's last layer.
"""

from pathgrad.engine import ops
from pathgrad.engine.validation import RefusedValue

# Every row of the engine's table marked as an activation, then 'linear'.
ACTIVATIONS = {rule.name: rule.function for rule in ops.TABLE if rule.activation}
ACTIVATIONS["linear"] = None


def activation_function(owner, name):
    """The function for activation `name` (None for 'linear'), or ValueError naming `owner`.

    >>> from pathgrad import Value
    >>> activation_function("Neuron", "tanh") is Value.tanh
    True
    """
    if name not in ACTIVATIONS:
        raise RefusedValue(
            f"{owner}: got activation {name!r}; expected one of {', '.join(map(repr, ACTIVATIONS))}"
        )
    return ACTIVATIONS[name]
