"""What a Value is: its data, its edges, its identity."""

import numpy as np
import pytest

from pathgrad import Value, no_grad, is_grad_enabled


@pytest.mark.parametrize("data", [3, 3.0, np.float64(3.0), np.float32(3.0), np.int64(3)])
def test_real_numbers_are_stored_as_float(data):
    v = Value(data)
    assert type(v.data) is float and v.data == 3.0


@pytest.mark.parametrize("data", ["3", None, 1j, [1.0], np.array([1.0, 2.0])])
def test_non_real_data_raises_type_error_naming_the_type(data):
    with pytest.raises(TypeError, match=type(data).__name__):
        Value(data)


def test_a_new_value_is_a_leaf_with_zero_grad():
    v = Value(1.5, "x")
    assert (v.grad, v.label, v.op, v.children, v.local_grads) == (0.0, "x", "", (), ())


def test_each_operator_makes_exactly_one_node():
    a, b = Value(5.0), Value(2.0)
    for out, op in [(a - b, "-"), (a / b, "/"), (-a, "neg"), (a**2, "**2"), (a**b, "**"), (2**a, "**")]:
        assert out.op == op
        assert all(child.children == () for child in out.children)


def test_subtraction_is_one_node_with_local_grads_1_and_minus_1():
    a, b = Value(5.0), Value(2.0)
    out = a - b
    assert (out.children, out.local_grads) == ((a, b), (1.0, -1.0))


def test_division_is_one_node_with_local_grads_1_over_b_and_minus_a_over_b_squared():
    a, b = Value(5.0), Value(2.0)
    out = a / b
    assert (out.children, out.local_grads) == ((a, b), (0.5, -1.25))


def test_a_repeated_operand_appears_as_two_edges():
    a = Value(3.0)
    out = a + a
    assert out.children == (a, a)
    out.backward()
    assert a.grad == 2.0


def test_micrograd_aliases_prev_and_op():
    a = Value(1.0)
    b = a * 2
    assert b._prev == b.children and b._op == "*"


def test_equality_and_hash_are_identity_so_values_are_dict_keys():
    a, b = Value(1.0), Value(1.0)
    assert a != b and a == a
    assert {a: "a", b: "b"}[b] == "b"


def test_comparisons_compare_data():
    a, b = Value(1.0), Value(2.0)
    assert a < b and a <= b and b > a and b >= a and a < 1.5 and b >= 2


def test_numpy_scalar_on_the_left_makes_a_value():
    out = np.float64(2.0) * Value(3.0)
    assert isinstance(out, Value) and out.data == 6.0


def test_an_unsupported_operand_raises_type_error():
    with pytest.raises(TypeError):
        Value(1.0) + "1"


def test_no_grad_results_record_no_children_and_restore_afterwards():
    a = Value(2.0)
    with no_grad():
        assert not is_grad_enabled()
        y = a * 3 + 1
    assert (y.data, y.children, y.op) == (7.0, (), "")
    assert is_grad_enabled()
    assert (a * 3).children[0] is a


def test_no_grad_is_restored_after_an_error():
    with pytest.raises(ZeroDivisionError):
        with no_grad():
            Value(1.0) / 0
    assert is_grad_enabled()


def test_values_have_slots_and_no_dict():
    assert not hasattr(Value(1.0), "__dict__")


def test_repr_shows_data_grad_and_label():
    assert repr(Value(2.5, "a")) == "Value(data=2.5, grad=0.0, label='a')"
    assert repr(Value(0.1 + 0.2)) == "Value(data=0.30000000000000004, grad=0.0)"  # micrograd's full float
