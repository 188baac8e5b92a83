"""Neurons, layers and multi-layer perceptrons, in micrograd's forms.

A neuron computes act(b + w1 x1 + ... + wn xn). By default the weighted sum is
one fused node (op "wsum", children w1, x1, ..., wn, xn, b with local grads
x1, w1, ..., xn, wn, 1), which draws as one box and runs fast; its value is
micrograd's left-to-right sum, bit for bit. `fused=False` builds micrograd's
own graph instead, one node per product and per addition, for teaching.

Fixes to micrograd 0.1.0: an input of the wrong length raises ValueError
(micrograd's zip silently ignores unmatched weights or inputs), and a hidden layer of one
neuron works (micrograd's MLP hands the next layer a bare Value there, which
it cannot iterate). As in micrograd, a layer of one neuron and an MLP whose
last layer has one neuron return a single Value; `Layer.forward` always
returns the list, and is what an MLP chains.
"""

from pathgrad.engine import Value, scope, weighted_sum
from pathgrad.engine.validation import RefusedValue, as_value, positive_int

from .activations import activation_function
from .init import check_init, initial_weights
from .module import Module


class Neuron(Module):
    """One neuron: act(b + sum_i wi xi), with wi ~ U(-1, 1) and b = 0 by default.

    `Neuron(nin, nonlin=True)` is micrograd's: ReLU, or linear when
    nonlin=False. `activation=` names another ('tanh', 'sigmoid',
    'leaky_relu', 'gelu', 'linear'); `init=` is 'uniform', 'he' or 'xavier'
    (see pathgrad.nn.init; `fan_out` is the layer width xavier needs).

    >>> n = Neuron(2, activation="tanh")
    >>> n.load_state_dict({"w.0": -3.0, "w.1": 1.0, "b": 6.8813735870195432})
    >>> round(n([2.0, 0.0]).data, 4)
    0.7071
    """

    def __init__(self, nin, nonlin=True, *, activation=None, init="uniform", fused=True, fan_out=1):
        nin = positive_int("Neuron", "nin", nin)
        if activation is None:
            activation = "relu" if nonlin else "linear"
        elif not nonlin and activation != "linear":
            raise RefusedValue(
                f"Neuron: got nonlin=False with activation={activation!r}; "
                "give one of them (nonlin=False means activation='linear')"
            )
        self._activate = activation_function("Neuron", activation)
        self.w = [Value(w) for w in initial_weights("Neuron", init, nin, fan_out)]
        self.b = Value(0.0)
        self.activation = activation
        self.nonlin = activation != "linear"
        self.fused = bool(fused)
        self.label_parameters()

    def __call__(self, x):
        if len(x) != len(self.w):
            raise RefusedValue(f"Neuron: expected {len(self.w)} inputs, got {len(x)}")
        return self.forward(x)

    def forward(self, x):
        """act(b + w . x) without the length check; Layer checks once for all its neurons."""
        if self.fused:
            act = weighted_sum(self.w, x, self.b)
        else:  # micrograd's graph: b + w1*x1, then + w2*x2, ...
            act = self.b
            for wi, xi in zip(self.w, x):
                act = act + wi * xi
        return self._activate(act) if self._activate else act

    def parameters(self):
        return self.w + [self.b]

    def named_parameters(self):
        return [(f"w.{i}", w) for i, w in enumerate(self.w)] + [("b", self.b)]

    def architecture(self):
        return {"type": "Neuron", "nin": len(self.w), "activation": self.activation}

    def __repr__(self):
        name = "ReLU" if self.activation == "relu" else self.activation.title().replace("_", "")
        return f"{name}Neuron({len(self.w)})"


class Layer(Module):
    """`nout` neurons reading the same `nin` inputs; returns a list of `nout` Values.

    A layer of one neuron returns that neuron's Value, as micrograd's does.
    Keyword arguments go to each Neuron. Plain-number inputs become Values once
    here, shared by all the neurons.

    >>> layer = Layer(3, 1)
    >>> type(layer([1.0, 2.0, 3.0])).__name__, len(layer.forward([1.0, 2.0, 3.0]))
    ('Value', 1)
    """

    def __init__(self, nin, nout, **kwargs):
        nin = positive_int("Layer", "nin", nin)
        nout = positive_int("Layer", "nout", nout)
        self.nin = nin
        self.neurons = [Neuron(nin, fan_out=nout, **kwargs) for _ in range(nout)]
        self.label_parameters()

    def __call__(self, x):
        out = self.forward(x)
        return out[0] if len(out) == 1 else out

    def forward(self, x):
        """The outputs as a list, even for one neuron."""
        if len(x) != self.nin:
            raise RefusedValue(f"Layer: expected {self.nin} inputs, got {len(x)}")
        x = [as_value(xi, Value) for xi in x]
        return [scope.run(f"neurons.{i}", n.forward, x) for i, n in enumerate(self.neurons)]

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

    def named_parameters(self):
        return [
            (f"neurons.{i}.{name}", p)
            for i, n in enumerate(self.neurons)
            for name, p in n.named_parameters()
        ]

    def architecture(self):
        return {
            "type": "Layer",
            "nin": self.nin,
            "nout": len(self.neurons),
            "activation": self.neurons[0].activation,
        }

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: layers of sizes `nouts` on `nin` inputs.

    Hidden layers use `activation` (ReLU, as micrograd), the last layer
    `output_activation` (linear, as micrograd). One output: returns a Value;
    several: a list. `random.seed(1337); MLP(2, [16, 16, 1])` has exactly
    micrograd 0.1.0's weights, and `parameters()` lists them in its order.

    >>> import random; random.seed(1337)
    >>> model = MLP(2, [16, 16, 1])
    >>> len(model.parameters()), type(model([0.5, -1.0])).__name__
    (337, 'Value')
    """

    def __init__(self, nin, nouts, *, activation="relu", output_activation="linear",
                 init="uniform", fused=True):
        nin = positive_int("MLP", "nin", nin)
        if isinstance(nouts, (str, bytes)) or not hasattr(nouts, "__iter__"):
            raise RefusedValue(
                f"MLP: got nouts = {nouts!r}; "
                "expected a list of layer sizes like [16, 16, 1]"
            )
        nouts = [positive_int("MLP", "a layer size in nouts", n) for n in nouts]
        if not nouts:
            raise RefusedValue(
                "MLP: got nouts = []; expected at least one layer size, like [16, 16, 1]"
            )
        # Every argument is checked before the first weight is drawn.
        activation_function("MLP", activation)
        activation_function("MLP", output_activation)
        check_init("MLP", init)
        sizes = [nin] + nouts
        self.nin = nin
        self.nouts = nouts
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                activation=activation if i < len(nouts) - 1 else output_activation,
                init=init,
                fused=fused,
            )
            for i in range(len(nouts))
        ]
        self.activation = activation
        self.output_activation = output_activation
        self.label_parameters()

    def __call__(self, x):
        if len(x) != self.nin:
            raise RefusedValue(f"MLP: expected {self.nin} inputs, got {len(x)}")
        for i, layer in enumerate(self.layers):
            x = scope.run(f"layers.{i}", layer.forward, x)
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def named_parameters(self):
        return [
            (f"layers.{i}.{name}", p)
            for i, layer in enumerate(self.layers)
            for name, p in layer.named_parameters()
        ]

    def architecture(self):
        return {
            "type": "MLP",
            "nin": self.nin,
            "nouts": self.nouts,
            "activation": self.activation,
            "output_activation": self.output_activation,
        }

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"

