"""Bad input is refused at the op that meets it, with the op and the value named."""

import math

import pytest

from fractions import Fraction

import pathgrad
from pathgrad import Value, detect_anomaly, operation


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


@pytest.mark.parametrize("arguments", [([1.0, 2.0], [3.0]), ()])
def test_sum_refuses_anything_but_one_sequence_of_operands_on_both_engines(arguments):
    with pytest.raises(TypeError, match=rf"sum: got {len(arguments)} arguments; it takes one sequence of operands"):
        pathgrad.sum(*arguments)


@pytest.mark.parametrize("make, message", [
    (lambda: Value(1e308) + Value(1e308), r"\+: 1e\+308 \+ 1e\+308 overflows a float"),
    (lambda: Value(-1e308) - 1e308, r"-: -1e\+308 - 1e\+308 overflows a float"),
    (lambda: Value(1e200) * 1e200, r"\*: 1e\+200 \* 1e\+200 overflows a float"),
    (lambda: Value(1e300) / 1e-300, r"/: 1e\+300 / 1e-300 overflows a float"),
    (lambda: pathgrad.sum([1e308, 1e308]), r"sum: sum\(1e\+308, 1e\+308\) overflows a float"),
    (lambda: pathgrad.weighted_sum([1e200], [1e200]), r"wsum: wsum\(1e\+200, 1e\+200, 0.0\) overflows"),
    (lambda: Value(1000.0).exp(), r"exp: got x = 1000.0; exp\(x\) overflows a float"),
])
def test_every_op_refuses_an_overflow_naming_the_op_and_its_operands(make, message):
    with pytest.raises(OverflowError, match=message):
        make()


@pytest.mark.parametrize("data", [math.nan, math.inf, -math.inf])
def test_a_value_must_be_finite(data):
    with pytest.raises(ValueError, match=rf"Value: got {data!r}; data must be a finite number"):
        Value(data)


def test_a_huge_int_is_an_overflow_error_naming_value():
    with pytest.raises(OverflowError, match=r"Value: got 1000000000.*, too large for a float"):
        Value(10**400)


@pytest.mark.parametrize("data, grads, error, message", [
    (math.nan, (1.0,), ValueError, r"cube: got data nan; data must be a finite number"),
    (8.0, (math.inf,), ValueError, r"cube: got local grad inf; each local grad must be a finite number"),
])
def test_operation_refuses_non_finite_data_and_local_grads(data, grads, error, message):
    with pytest.raises(error, match=message):
        operation("cube", data, (Value(2.0),), grads)


@pytest.mark.parametrize("slope, error, message", [
    (math.nan, ValueError, r"leaky_relu: got slope = nan; expected a finite number"),
    (math.inf, ValueError, r"leaky_relu: got slope = inf; expected a finite number"),
    ("0.1", TypeError, r"leaky_relu: got slope = '0.1' \(str\); expected a real number"),
])
def test_leaky_relus_slope_must_be_a_finite_number(slope, error, message):
    with pytest.raises(error, match=message):
        Value(-1.0).leaky_relu(slope)


def test_a_fraction_exponent_works():
    y = Value(2.0) ** Fraction(1, 2)
    y.backward()
    assert (y.op, y.data) == ("**0.5", math.sqrt(2.0))
    assert y.children[0].grad == pytest.approx(0.5 / math.sqrt(2.0), rel=1e-15)


def test_a_non_finite_exponent_is_refused():
    with pytest.raises(ValueError, match=r"power: got k = inf; expected a finite number"):
        Value(2.0) ** math.inf


@pytest.mark.parametrize("make, grad", [
    (lambda x: x.sqrt() * 0, "nan"),              # sqrt'(0) = inf, times 0
    (lambda x: (x * 5e-324 + 5e-324).log(), "inf"),   # log' at 5e-324 is 1/5e-324
    (lambda x: (x * 1e-200) ** -1, "-inf"),          # d(u^-1)/du = -u^-2 overflows
])
def test_detect_anomaly_raises_at_the_first_non_finite_grad_naming_node_op_and_inputs(make, grad):
    x = Value(0.0 if grad == "nan" else 1.0, "x")
    y = make(x)
    y.backward()  # without detect_anomaly: silent
    with pytest.raises(FloatingPointError, match=rf"detect_anomaly: backward made grad {grad} for .* at the '.*' node"):
        with detect_anomaly():
            y.backward()


def test_detect_anomaly_lets_a_finite_backward_through():
    x = Value(2.0)
    with detect_anomaly():
        (x * x).backward()
    assert x.grad == 4.0


def test_a_bool_exponent_is_refused_even_after_the_same_number_was_used():
    x = Value(2.0)
    assert (x**1).data == 2.0  # caches the rule for exponent 1, and True == 1
    with pytest.raises(TypeError, match=r"power: got k = True \(bool\); expected a real number"):
        x**True
