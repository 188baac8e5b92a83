"""What a micrograd user meets after the import swap: the lecture's code runs, or is refused clearly."""

import math

import pytest

from pathgrad import Value


def test_the_lectures_manual_backprop_with_underscore_backward_gives_the_tanh_neurons_grads():
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = n.tanh()
    o.grad = 1.0
    for node in (o, n, x1w1x2w2, x2w2, x1w1):  # the lecture's cells, in its order
        node._backward()
    assert round(o.data, 4) == 0.7071
    assert [round(v.grad, 6) for v in (x1, w1, x2, w2, b)] == [-1.5, 1.0, 0.5, 0.0, 0.5]


def test_underscore_backward_is_one_step_of_the_chain_rule_accumulating_into_children():
    a = Value(3.0)
    y = a * a
    y.grad = 2.0
    y._backward()
    assert a.grad == 12.0  # 2 edges, each local 3 times upstream 2


def test_repr_shows_the_full_float_as_micrograd():
    assert repr(Value(0.1 + 0.2)) == "Value(data=0.30000000000000004, grad=0.0)"


@pytest.mark.parametrize("make", [lambda a: Value(1.0, (a,), "tanh"), lambda a: Value(1.0, (a,)), lambda a: Value(1.0, 3)])
def test_micrograds_constructor_and_non_str_labels_are_refused_pointing_to_operation(make):
    with pytest.raises(TypeError, match=r'Value\(data, label=""\).*pathgrad.operation'):
        make(Value(0.5))


def test_repeated_backward_accumulates_in_leaves_only():
    x = Value(3.0)
    y = x**3
    y.backward()
    y.backward()
    assert x.grad == 54.0  # micrograd also gives 54 for x**3, but 72 for x*x*x
    x = Value(3.0)
    y = x * x * x
    y.backward()
    y.backward()
    assert x.grad == 54.0


def test_data_is_a_float_and_prev_keeps_repeated_operands():
    a = Value(3)
    assert type(a.data) is float and (a * a)._prev == (a, a)
    with pytest.raises(AttributeError):
        a._backward_closure = None  # __slots__: no new attributes
    assert math.isclose((-a).data, -3.0) and (-a).op == "neg"
