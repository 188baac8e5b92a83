"""Neuron, Layer and MLP: the fused node, activations, init schemes, micrograd's bugs fixed."""

import math
import random
import statistics

import pytest

from pathgrad import Value
from pathgrad.nn import MLP, Layer, Neuron


def set_weights(neuron, w, b):
    neuron.load_state_dict({**{f"w.{i}": wi for i, wi in enumerate(w)}, "b": b})


def test_tanh_neuron_gives_the_hand_checked_0_7071_and_gradients():
    # micrograd's lecture neuron: x = (2, 0), w = (-3, 1), b = 6.8813735870195432
    n = Neuron(2, activation="tanh")
    set_weights(n, [-3.0, 1.0], 6.8813735870195432)
    x = [Value(2.0), Value(0.0)]
    o = n(x)
    o.backward()
    assert o.data == pytest.approx(0.7071, abs=1e-4)
    # do/dn = 1 - o^2 = 0.5; do/dw1 = x1 * 0.5 = 1, do/dx1 = w1 * 0.5 = -1.5
    assert n.w[0].grad == pytest.approx(1.0, abs=1e-12)
    assert n.w[1].grad == 0.0
    assert x[0].grad == pytest.approx(-1.5, abs=1e-12)
    assert x[1].grad == pytest.approx(0.5, abs=1e-12)
    assert n.b.grad == pytest.approx(0.5, abs=1e-12)


def test_fused_neuron_is_one_wsum_node_with_children_w1_x1_w2_x2_b():
    n = Neuron(2, nonlin=False)
    set_weights(n, [2.0, -1.0], 0.5)
    x = [Value(3.0), Value(4.0)]
    out = n(x)
    assert out.op == "wsum"
    assert out.children == (n.w[0], x[0], n.w[1], x[1], n.b)
    assert out.local_grads == (3.0, 2.0, 4.0, -1.0, 1.0)
    assert out.data == 0.5 + 2.0 * 3.0 + -1.0 * 4.0


def test_unfused_neuron_is_micrograds_chain_of_products_and_sums():
    n = Neuron(2, nonlin=False, fused=False)
    set_weights(n, [2.0, -1.0], 0.5)
    out = n([Value(3.0), Value(4.0)])
    # ((b + w1*x1) + w2*x2)
    assert out.op == "+"
    left, right = out.children
    assert right.op == "*" and left.op == "+"
    assert left.children[0] is n.b and left.children[1].op == "*"
    assert out.data == 2.5


@pytest.mark.parametrize("seed", range(5))
def test_fused_and_unfused_agree_bit_for_bit_on_values_and_gradients(seed):
    random.seed(seed)
    a = MLP(3, [5, 4, 2], activation="tanh")
    b = MLP(3, [5, 4, 2], activation="tanh", fused=False)
    b.load_state_dict(a.state_dict())
    x = [random.uniform(-2, 2) for _ in range(3)]
    out_a, out_b = a(x), b(x)
    assert [v.data for v in out_a] == [v.data for v in out_b]
    (out_a[0] * out_a[1]).backward()
    (out_b[0] * out_b[1]).backward()
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert pa.grad == pytest.approx(pb.grad, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("fused", [True, False])
def test_a_hidden_layer_of_one_neuron_works(fused):
    # micrograd issue #13: Layer returned a bare Value, which the next layer cannot read.
    model = MLP(2, [1, 3, 1], fused=fused)
    out = model([0.5, -1.0])
    assert isinstance(out, Value)
    out.backward()


def test_mlp_returns_a_value_for_one_output_and_a_list_for_several():
    assert isinstance(MLP(2, [3, 1])([1.0, 2.0]), Value)
    out = MLP(2, [3, 4])([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 4


def test_a_layer_of_one_neuron_returns_its_value_as_micrograd_and_forward_returns_a_list():
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Value)  # micrograd's Layer(nin, 1) gives the Value
    assert len(Layer(2, 1).forward([1.0, 2.0])) == 1


@pytest.mark.parametrize("make, expected", [
    (lambda: Neuron(3), "Neuron: expected 3 inputs, got 2"),
    (lambda: Layer(3, 2), "Layer: expected 3 inputs, got 2"),
    (lambda: MLP(3, [2, 1]), "MLP: expected 3 inputs, got 2"),
])
def test_an_input_of_the_wrong_length_raises_naming_both_lengths(make, expected):
    # micrograd's zip would silently drop the missing weight.
    with pytest.raises(ValueError, match=expected):
        make()([1.0, 2.0])


def test_too_long_an_input_raises_too():
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        MLP(2, [1])([1.0, 2.0, 3.0])


@pytest.mark.parametrize("name, f", [
    ("relu", lambda z: max(z, 0.0)),
    ("tanh", math.tanh),
    ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
    ("leaky_relu", lambda z: z if z > 0 else 0.01 * z),
    ("gelu", lambda z: 0.5 * z * (1 + math.erf(z / math.sqrt(2)))),
    ("linear", lambda z: z),
])
@pytest.mark.parametrize("z_sign", [1.0, -1.0])
def test_activation_is_applied_to_the_weighted_sum(name, f, z_sign):
    n = Neuron(2, activation=name)
    set_weights(n, [0.5 * z_sign, 0.25 * z_sign], 0.1 * z_sign)
    z = 0.1 * z_sign + 0.5 * z_sign * 1.0 + 0.25 * z_sign * 2.0
    assert n([1.0, 2.0]).data == pytest.approx(f(z), rel=1e-12)


def test_hidden_and_output_activations_are_chosen_separately():
    model = MLP(2, [3, 3, 2], activation="tanh", output_activation="sigmoid")
    assert [n.activation for layer in model.layers for n in layer.neurons] == ["tanh"] * 6 + ["sigmoid"] * 2
    assert all(0 < v.data < 1 for v in model([3.0, -2.0]))


def test_defaults_are_micrograds_relu_hidden_and_linear_output():
    model = MLP(2, [16, 16, 1])
    assert str(model).startswith("MLP of [Layer of [ReLUNeuron(2)")
    assert str(model).endswith("Layer of [LinearNeuron(16)]]")
    assert str(Neuron(2, nonlin=False)) == "LinearNeuron(2)"


def test_uniform_init_draws_in_minus_one_one_with_zero_bias():
    random.seed(0)
    n = Neuron(1000)
    assert all(-1 <= w.data <= 1 for w in n.w) and n.b.data == 0.0
    assert statistics.pstdev(w.data for w in n.w) == pytest.approx(1 / math.sqrt(3), rel=0.05)


def test_he_init_has_standard_deviation_sqrt_2_over_nin():
    random.seed(0)
    layer = Layer(50, 200, init="he")
    weights = [p.data for n in layer.neurons for p in n.w]
    assert statistics.pstdev(weights) == pytest.approx(math.sqrt(2 / 50), rel=0.03)
    assert statistics.fmean(weights) == pytest.approx(0.0, abs=0.01)


def test_xavier_init_is_uniform_within_sqrt_6_over_nin_plus_nout():
    random.seed(0)
    layer = Layer(30, 70, init="xavier")
    bound = math.sqrt(6 / (30 + 70))
    weights = [p.data for n in layer.neurons for p in n.w]
    assert max(map(abs, weights)) <= bound
    assert max(map(abs, weights)) > 0.99 * bound
    assert statistics.pstdev(weights) == pytest.approx(bound / math.sqrt(3), rel=0.03)


@pytest.mark.parametrize("make, message", [
    (lambda: MLP(2, [16, 1], activation="softmax"), "MLP: got activation 'softmax'; expected one of"),
    (lambda: MLP(2, [16, 1], output_activation="swish"), "MLP: got activation 'swish'"),
    (lambda: MLP(2, [16, 1], init="normal"), "MLP: got init 'normal'; expected one of 'uniform', 'he', 'xavier'"),
    (lambda: MLP(0, [1]), "MLP: got nin = 0; expected a positive integer"),
    (lambda: MLP(2, []), r"MLP: got nouts = \[\]"),
    (lambda: MLP(2, 3), "MLP: got nouts = 3; expected a list of layer sizes"),
    (lambda: MLP(2, [4, 0]), "MLP: got a layer size in nouts = 0"),
    (lambda: Neuron(2, nonlin=False, activation="tanh"), "Neuron: got nonlin=False with activation='tanh'"),
])
def test_bad_arguments_raise_value_error_naming_them(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_size_of_the_wrong_type_raises_type_error():
    with pytest.raises(TypeError, match=r"Layer: got nout = 1.5 \(float\); expected an integer"):
        Layer(2, 1.5)


def test_numpy_integer_sizes_are_accepted():
    import numpy as np

    model = MLP(np.int64(2), [np.int64(3), 1])
    assert model.architecture()["nouts"] == [3, 1] and type(model.nouts[0]) is int


def test_bad_arguments_are_caught_before_any_weight_is_drawn():
    random.seed(3)
    state = random.getstate()
    with pytest.raises(ValueError):
        MLP(2, [16, 16, 1], output_activation="nope")
    assert random.getstate() == state


def test_parameters_are_listed_layer_by_layer_neuron_by_neuron_weights_then_bias():
    model = MLP(2, [2, 1])
    first = model.layers[0].neurons[0]
    assert model.parameters()[:3] == [first.w[0], first.w[1], first.b]
    assert [name for name, _ in model.named_parameters()][:4] == [
        "layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b", "layers.0.neurons.1.w.0",
    ]
    assert [p for _, p in model.named_parameters()] == model.parameters()


def test_zero_grad_zeroes_every_parameter_grad():
    model = MLP(2, [3, 1])
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())


def test_plain_number_inputs_become_one_shared_leaf_per_input():
    model = MLP(2, [3, 1])
    out = model([1.0, 2.0])
    first_layer_sums = [c for c in out.children if c.op == "relu"]
    inputs = {id(relu.children[0].children[1]) for relu in first_layer_sums}
    assert len(inputs) == 1  # every first-layer neuron reads the same x1 node
