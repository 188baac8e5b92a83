"""Forward mode: tangents from one input up, over the same local grads as backward."""

import pytest

from pathgrad import Value, forward_mode


def test_colah_tangents_with_respect_to_b(colah):
    t = forward_mode(colah["e"], colah["b"])
    assert [t[colah[k]] for k in "abcde"] == [0.0, 1.0, 1.0, 1.0, 5.0]


def test_colah_tangents_with_respect_to_a(colah):
    t = forward_mode(colah["e"], colah["a"])
    assert [t[colah[k]] for k in "abcde"] == [1.0, 0.0, 1.0, 0.0, 2.0]


def test_forward_mode_agrees_with_backward_for_every_input(tanh_neuron):
    o = tanh_neuron["o"]
    o.backward()
    for name in ("x1", "x2", "w1", "w2", "b"):
        leaf = tanh_neuron[name]
        assert forward_mode(o, leaf)[o] == pytest.approx(leaf.grad, abs=1e-15)


def test_forward_mode_with_respect_to_an_interior_node(colah):
    t = forward_mode(colah["e"], colah["c"])
    assert t[colah["e"]] == 2.0 and t[colah["a"]] == 0.0


def test_an_unrelated_value_has_zero_tangent_everywhere(colah):
    t = forward_mode(colah["e"], Value(1.0))
    assert set(t.values()) == {0.0}
