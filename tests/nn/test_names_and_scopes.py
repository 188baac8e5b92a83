"""nn labels its parameters with their named_parameters() names and opens a scope per layer and neuron."""

import random

from pathgrad import Value, topological_order
from pathgrad.nn import MLP, Layer, Neuron


def test_parameters_are_labelled_with_their_named_parameters_names():
    random.seed(0)
    model = MLP(2, [3, 1])
    for name, p in model.named_parameters():
        assert p.label == name
    assert model.layers[0].neurons[2].w[1].label == "layers.0.neurons.2.w.1"
    assert model.layers[1].neurons[0].b.label == "layers.1.neurons.0.b"
    assert [p.label for p in Neuron(2).parameters()] == ["w.0", "w.1", "b"]
    assert Layer(2, 2).neurons[1].b.label == "neurons.1.b"


def test_each_layer_and_neuron_makes_its_nodes_in_its_own_scope():
    random.seed(0)
    model = MLP(2, [3, 1], fused=False)
    y = model([Value(1.0, "x0"), Value(2.0, "x1")])
    scopes = {node.scope for node in topological_order(y) if node.children}
    assert scopes == {f"layers.0.neurons.{i}" for i in range(3)} | {"layers.1.neurons.0"}
    assert y.scope == "layers.1.neurons.0"
    assert model.layers[0].neurons[0].w[0].scope == ""  # parameters are made outside any call
