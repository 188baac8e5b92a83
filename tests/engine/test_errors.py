"""Bad input is refused at the op that meets it, with the op and the value named."""

import math

import pytest

from pathgrad import Value, operation


@pytest.mark.parametrize("x", [0.0, -2.0])
def test_log_of_a_non_positive_number_is_refused(x):
    with pytest.raises(ValueError, match=rf"log: got x = {x!r}; log is defined only for x > 0"):
        Value(x).log()


def test_sqrt_of_a_negative_number_is_refused():
    with pytest.raises(ValueError, match=r"sqrt: got x = -4.0; sqrt is defined only for x >= 0"):
        Value(-4.0).sqrt()


@pytest.mark.parametrize("make", [lambda: Value(1.0) / 0, lambda: 1 / Value(0.0), lambda: Value(2.0) / Value(0.0)])
def test_division_by_zero_names_the_operation_and_divisor(make):
    with pytest.raises(ZeroDivisionError, match=r"/: got divisor 0.0"):
        make()


@pytest.mark.parametrize("make", [lambda: Value(-8.0) ** (1 / 3), lambda: Value(-8.0) ** Value(0.5)])
def test_a_negative_base_with_a_non_integer_exponent_is_refused(make):
    with pytest.raises(ValueError, match=r"got base -8.0 .*negative base needs an integer exponent"):
        make()


def test_a_negative_base_with_an_integer_exponent_works():
    x = Value(-2.0)
    y = x**3
    y.backward()
    assert (y.data, x.grad) == (-8.0, 12.0)


def test_a_negative_base_with_a_value_exponent_is_refused_for_its_exponent_derivative():
    with pytest.raises(ValueError, match=r"\*\*: got base -2.0 with a Value exponent"):
        Value(-2.0) ** Value(2.0)


def test_zero_to_a_negative_power_is_a_zero_division_error():
    with pytest.raises(ZeroDivisionError, match=r"\*\*-1: got 0 \*\* -1"):
        Value(0.0) ** -1


def test_exp_overflow_names_exp_and_its_input():
    with pytest.raises(OverflowError, match=r"exp: got x = 1000.0"):
        Value(1000.0).exp()


def test_power_overflow_is_an_overflow_error_naming_the_operation():
    with pytest.raises(OverflowError, match=r"\*\*3: 1e\+200 \*\* 3.0 overflows"):
        Value(1e200) ** 3


@pytest.mark.parametrize(
    "make",
    [
        lambda: Value(-1e300).sigmoid(),
        lambda: Value(1e300).softplus(),
        lambda: Value(1e6).tanh(),
        lambda: Value(-1e4).gelu(),
        lambda: Value(1e-300) / Value(1e-300),
        lambda: Value(0.0) ** 0.5,
    ],
)
def test_finite_inputs_never_give_a_silent_nan(make):
    out = make()
    assert not math.isnan(out.data)
    assert not any(math.isnan(g) for g in out.local_grads)


def test_operation_refuses_mismatched_children_and_local_grads():
    with pytest.raises(ValueError, match=r"cube: got 1 children and 2 local grads"):
        operation("cube", 8.0, (Value(2.0),), (12.0, 1.0))


def test_operation_refuses_a_non_numeric_local_grad():
    with pytest.raises(TypeError, match=r"cube: got local grad 'x'"):
        operation("cube", 8.0, (Value(2.0),), ("x",))


def test_weighted_sum_refuses_lengths_that_differ():
    from pathgrad import weighted_sum

    with pytest.raises(ValueError, match=r"weighted_sum: got 2 weights and 3 inputs"):
        weighted_sum([1.0, 2.0], [1.0, 2.0, 3.0])
