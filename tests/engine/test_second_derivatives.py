"""Derivatives of derivatives: create_graph, grad, hessian and hvp, checked by hand."""

import gc
import math

import pytest

import pathgrad
from pathgrad import Value, all_paths, backward_trace, explain, grad, hessian, hvp


def second(f, x):
    """f''(x) by differentiating backward's Value grad once more."""
    v = Value(x)
    (first,) = grad(f(v), [v], create_graph=True)
    (result,) = grad(first, [v], allow_unused=True)  # None: f' does not depend on x
    return 0.0 if result is None else result


def test_x_cubed_at_2_has_first_derivative_12_and_second_12():
    x = Value(2.0)
    (x**3).backward(create_graph=True)
    dydx = x.grad
    assert isinstance(dydx, Value) and dydx.data == 12.0  # 3x² at 2
    x.grad = 0.0
    dydx.backward()
    assert x.grad == 12.0  # 6x at 2


@pytest.mark.parametrize("x", [-1.3, 0.4, 2.0])
def test_sin_second_derivative_is_minus_sin(x):
    assert second(Value.sin, x) == pytest.approx(-math.sin(x), rel=1e-14)


@pytest.mark.parametrize("x", [-1.3, 0.4, 2.0])
def test_tanh_second_derivative_is_minus_2_tanh_times_1_minus_tanh_squared(x):
    t = math.tanh(x)
    assert second(Value.tanh, x) == pytest.approx(-2 * t * (1 - t * t), rel=1e-12)


def test_relu_and_abs_have_second_derivative_0_even_at_the_kink_as_in_pytorch():
    for f in (Value.relu, Value.abs):
        assert [second(f, x) for x in (-1.0, 0.0, 1.0)] == [0.0, 0.0, 0.0]


def test_grad_leaves_every_grad_untouched():
    x, y = Value(3.0), Value(2.0)
    x.grad = 7.0
    out = x * x * y
    assert grad(out, [x, y]) == (12.0, 9.0)
    assert (x.grad, y.grad, out.grad) == (7.0, 0.0, 0.0)


def test_grad_with_grad_outputs_weights_each_output():
    x = Value(3.0)
    a, b = x * 2, x * x
    assert grad([a, b], [x], grad_outputs=[10.0, 1.0]) == (26.0,)  # 10*2 + 1*2x


def test_grad_refuses_an_unused_input_unless_allow_unused():
    x, unused = Value(1.0), Value(2.0)
    with pytest.raises(ValueError, match=r"grad: inputs\[1\] .* is not used .*allow_unused=True"):
        grad(x * 3, [x, unused])
    assert grad(x * 3, [x, unused], allow_unused=True) == (3.0, None)


def test_hessian_of_x_squared_y_is_2y_2x_2x_0():
    assert hessian(lambda x, y: x * x * y, [3.0, 2.0]) == [[4.0, 6.0], [6.0, 0.0]]


def test_hvp_is_the_hessian_times_v_without_the_hessian():
    f = lambda x, y: (x * y).sin() + x**3  # noqa: E731
    inputs, v = [0.5, -1.2], [0.3, 2.0]
    h = hessian(f, inputs)
    expected = [sum(h[i][j] * v[j] for j in range(2)) for i in range(2)]
    assert hvp(f, inputs, v) == pytest.approx(expected, rel=1e-12)


def test_hessian_of_a_linear_function_is_zero():
    assert hessian(lambda x, y: 2 * x - y, [1.0, 5.0]) == [[0.0, 0.0], [0.0, 0.0]]


def test_a_grads_graph_is_an_ordinary_graph_for_every_view():
    x = Value(2.0, "x")
    y = x * x
    y.label = "y"
    (dydx,) = grad(y, [x], create_graph=True)
    assert dydx.data == 4.0 and dydx.children
    (d2,) = grad(dydx, [x])
    assert sum(p.product for p in all_paths(dydx, x)) == d2 == 2.0
    assert backward_trace(dydx)[0].grad == 1.0
    assert str(explain(dydx, x)).endswith("= 2")
    from pathgrad.viz import draw, step_through

    assert "x" in draw(dydx).source
    assert len(step_through(dydx)) > 1


def test_create_graph_through_a_node_without_a_rule_is_refused():
    x = Value(2.0)
    cube = pathgrad.operation("cube", 8.0, (x,), (12.0,))
    with pytest.raises(TypeError, match="create_graph: the 'cube' node was made by operation"):
        cube.backward(create_graph=True)


@pytest.mark.parametrize(
    "x, k, inf_grads",
    [
        (10.0, 308.0, (math.inf, math.inf)),  # d/dx = 308 * 10^307 overflows, and so does d/dk
        (1e300, 1.02, (1.02e6, math.inf)),  # only d/dk = x^k ln x = 6.9e308 overflows
    ],
)
def test_create_graph_through_a_power_whose_derivative_overflows_is_refused_as_an_inf_one_is(x, k, inf_grads):
    xv, kv = Value(x), Value(k)
    (xv**kv).backward()  # without create_graph: inf, as PyTorch gives
    assert (xv.grad, kv.grad) == pytest.approx(inf_grads)
    for differentiate in (lambda y: y.backward(create_graph=True), lambda y: grad(y, [xv, kv], create_graph=True)):
        with pytest.raises(ValueError, match=r"^create_graph: the '\*\*' node .* has local derivative inf, "
                                             r"which cannot be differentiated again"):
            differentiate(xv**kv)


def test_a_value_grad_keeps_its_graph_alive_until_the_grad_is_cleared():
    gc.collect()
    x = Value(2.0)
    (x.tanh() * 3).backward(create_graph=True)
    before = len(gc.get_objects())
    assert isinstance(x.grad, Value)  # x -> grad -> ... -> x: a cycle, as in PyTorch
    x.grad = 0.0
    gc.collect()
    assert len(gc.get_objects()) <= before


def test_newtons_method_finds_the_minimum_of_x4_over_4_minus_x():
    x = 2.0
    for _ in range(10):
        v = Value(x)
        (slope,) = grad(v**4 / 4 - v, [v])
        x -= slope / hessian(lambda u: u**4 / 4 - u, [x])[0][0]
    assert x == pytest.approx(1.0, abs=1e-15)


def test_hessian_and_hvp_need_f_to_return_a_value():
    with pytest.raises(TypeError, match="hessian: f returned float"):
        hessian(lambda x: 1.0, [1.0])
    with pytest.raises(TypeError, match="hvp: f returned float"):
        hvp(lambda x: 1.0, [1.0], [1.0])


def test_grad_outputs_must_match_the_outputs():
    x = Value(1.0)
    with pytest.raises(ValueError, match="grad: got 2 outputs and 1 grad_outputs"):
        grad([x * 2, x * 3], [x], grad_outputs=[1.0])

