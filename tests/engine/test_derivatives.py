"""Every operation's local derivative against its closed form and against gradcheck."""

import math

import pytest

import pathgrad
from pathgrad import Value, gradcheck, maximum, minimum, weighted_sum

SQRT_2PI = math.sqrt(2 * math.pi)


def _phi(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


# name, f on Values, closed-form derivative(s) as functions of the inputs, points
UNARY = [
    ("neg", lambda x: -x, lambda x: -1.0, [-2.0, 0.5]),
    ("exp", Value.exp, math.exp, [-3.0, 0.0, 2.5]),
    ("log", Value.log, lambda x: 1 / x, [0.1, 1.0, 7.0]),
    ("sqrt", Value.sqrt, lambda x: 0.5 / math.sqrt(x), [0.25, 4.0]),
    ("tanh", Value.tanh, lambda x: 1 - math.tanh(x) ** 2, [-2.0, 0.0, 0.7]),
    ("sigmoid", Value.sigmoid, lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2, [-4.0, 0.0, 3.0]),
    ("relu", Value.relu, lambda x: 1.0 if x > 0 else 0.0, [-1.5, 2.0]),
    ("leaky_relu", Value.leaky_relu, lambda x: 1.0 if x > 0 else 0.01, [-1.5, 2.0]),
    ("gelu", Value.gelu, lambda x: _phi(x) + x * math.exp(-x * x / 2) / SQRT_2PI, [-1.3, 0.0, 0.9]),
    ("softplus", Value.softplus, lambda x: 1 / (1 + math.exp(-x)), [-3.0, 0.0, 2.0]),
    ("sin", Value.sin, math.cos, [-1.0, 0.3, 2.0]),
    ("cos", Value.cos, lambda x: -math.sin(x), [-1.0, 0.3, 2.0]),
    ("abs", Value.abs, lambda x: math.copysign(1.0, x), [-2.0, 3.0]),
    ("**3", lambda x: x**3, lambda x: 3 * x**2, [-2.0, 0.5, 1.5]),
    ("**-0.5", lambda x: x**-0.5, lambda x: -0.5 * x**-1.5, [0.3, 4.0]),
    ("2**", lambda x: 2**x, lambda x: 2**x * math.log(2), [-1.0, 0.0, 3.5]),
]


@pytest.mark.parametrize("name, f, derivative, points", UNARY, ids=[u[0] for u in UNARY])
def test_unary_local_grad_equals_closed_form(name, f, derivative, points):
    for point in points:
        x = Value(point)
        y = f(x)
        y.backward()
        assert x.grad == pytest.approx(derivative(point), rel=1e-12, abs=1e-15), point


@pytest.mark.parametrize("name, f, derivative, points", UNARY, ids=[u[0] for u in UNARY])
def test_unary_passes_gradcheck(name, f, derivative, points):
    for point in points:
        if name in ("relu", "leaky_relu", "abs") and point == 0:
            continue  # a kink: the finite difference is not the derivative there
        assert gradcheck(f, [point]).ok, (name, point)


BINARY = [
    ("+", lambda a, b: a + b, lambda a, b: (1.0, 1.0)),
    ("-", lambda a, b: a - b, lambda a, b: (1.0, -1.0)),
    ("*", lambda a, b: a * b, lambda a, b: (b, a)),
    ("/", lambda a, b: a / b, lambda a, b: (1 / b, -a / b**2)),
    ("**", lambda a, b: a**b, lambda a, b: (b * a ** (b - 1), a**b * math.log(a))),
    ("max", maximum, lambda a, b: (1.0, 0.0) if a >= b else (0.0, 1.0)),
    ("min", minimum, lambda a, b: (1.0, 0.0) if a <= b else (0.0, 1.0)),
]


@pytest.mark.parametrize("name, f, derivative", BINARY, ids=[b[0] for b in BINARY])
@pytest.mark.parametrize("a, b", [(1.5, 2.5), (3.0, 0.75), (0.4, -1.2)])
def test_binary_local_grads_equal_closed_form(name, f, derivative, a, b):
    va, vb = Value(a), Value(b)
    out = f(va, vb)
    assert out.op == name
    assert out.local_grads == pytest.approx(derivative(a, b), rel=1e-12)
    out.backward()
    assert (va.grad, vb.grad) == pytest.approx(derivative(a, b), rel=1e-12)


@pytest.mark.parametrize("name, f, derivative", BINARY, ids=[b[0] for b in BINARY])
def test_binary_passes_gradcheck(name, f, derivative):
    assert gradcheck(f, [1.7, 0.6]).ok


def test_binary_ops_with_a_number_on_either_side_keep_operand_order():
    a = Value(3.0)
    for expression, expected_data, expected_local in [
        (lambda: 2 - a, -1.0, (1.0, -1.0)),
        (lambda: a - 2, 1.0, (1.0, -1.0)),
        (lambda: 6 / a, 2.0, (1 / 3, -6 / 9)),
        (lambda: a / 6, 0.5, (1 / 6, -3 / 36)),
        (lambda: 2 * a, 6.0, (3.0, 2.0)),
        (lambda: 2 + a, 5.0, (1.0, 1.0)),
    ]:
        out = expression()
        assert out.data == expected_data
        assert out.local_grads == pytest.approx(expected_local)
        assert a in out.children and len(out.children) == 2


def test_sum_node_has_one_edge_per_operand_each_with_local_grad_1():
    values = [Value(float(i)) for i in range(5)]
    total = pathgrad.sum(values + [values[0]])
    total.backward()
    assert total.data == 10.0
    assert total.local_grads == (1.0,) * 6
    assert [v.grad for v in values] == [2.0, 1.0, 1.0, 1.0, 1.0]


def test_weighted_sum_is_micrograds_left_to_right_sum_bit_for_bit():
    ws = [0.1, -0.7, 0.33333, 1e-8]
    xs = [0.3, 0.2, -0.9, 12345.678]
    bias = 0.123
    expected = sum((w * x for w, x in zip(ws, xs)), bias)
    assert weighted_sum(ws, xs, bias).data == expected


def test_weighted_sum_local_grads_are_inputs_then_weights_then_1():
    w = [Value(2.0), Value(-1.0)]
    x = [Value(0.5), Value(4.0)]
    b = Value(0.25)
    out = weighted_sum(w, x, b)
    assert out.children == (w[0], x[0], w[1], x[1], b)
    assert out.local_grads == (0.5, 2.0, 4.0, -1.0, 1.0)
    assert gradcheck(lambda w1, x1, w2, x2, b: weighted_sum([w1, w2], [x1, x2], b), [2, 0.5, -1, 4, 0.25]).ok


def test_a_new_operation_defined_from_its_local_grads_passes_gradcheck():
    def cube(x):
        return pathgrad.operation("cube", x.data**3, (x,), (3 * x.data**2,))

    assert gradcheck(cube, [1.3]).ok
    x = Value(2.0)
    y = cube(x)
    y.backward()
    assert (y.op, y.data, x.grad) == ("cube", 8.0, 12.0)


def test_a_new_operation_with_a_wrong_local_grad_fails_gradcheck():
    def bad_cube(x):
        return pathgrad.operation("cube", x.data**3, (x,), (2 * x.data**2,))

    result = gradcheck(bad_cube, [1.3])
    assert not result.ok
    assert result.rows[0].analytic == pytest.approx(2 * 1.3**2)
    assert result.rows[0].numeric == pytest.approx(3 * 1.3**2, rel=1e-6)


@pytest.mark.parametrize("x", [1e4, -1e4, 800.0, -800.0])
def test_sigmoid_and_softplus_do_not_overflow_for_large_inputs(x):
    s = Value(x).sigmoid()
    sp = Value(x).softplus()
    assert s.data == (1.0 if x > 0 else pytest.approx(0.0, abs=1e-300))
    assert sp.data == pytest.approx(max(x, 0.0), abs=1e-300)
    assert math.isfinite(s.local_grads[0]) and math.isfinite(sp.local_grads[0])


def test_relu_derivative_at_zero_is_zero_as_in_pytorch():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


def test_sqrt_derivative_at_zero_is_infinite_as_in_pytorch():
    assert Value(0.0).sqrt().local_grads == (math.inf,)


def test_zero_to_a_value_power_has_zero_exponent_derivative():
    base, exponent = Value(0.0), Value(2.0)
    out = base**exponent
    assert out.data == 0.0
    assert out.local_grads == (0.0, 0.0)
