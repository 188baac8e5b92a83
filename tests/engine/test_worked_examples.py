"""The lecture notes' hand-checked numbers, reproduced exactly."""

import math

import pytest

from pathgrad import Value


def test_colah_forward_values_are_6_3_and_2(colah):
    assert (colah["c"].data, colah["d"].data, colah["e"].data) == (3.0, 2.0, 6.0)


def test_colah_de_da_is_2_and_de_db_is_5(colah):
    colah["e"].backward()
    assert colah["a"].grad == 2.0
    assert colah["b"].grad == 5.0


def test_colah_intermediate_grads_are_de_dc_2_and_de_dd_3(colah):
    colah["e"].backward()
    assert (colah["c"].grad, colah["d"].grad, colah["e"].grad) == (2.0, 3.0, 1.0)


def test_colah_local_grads_on_every_edge(colah):
    assert colah["c"].local_grads == (1.0, 1.0)
    assert colah["d"].local_grads == (1.0, 1.0)
    assert colah["e"].local_grads == (2.0, 3.0)  # de/dc = d, de/dd = c


@pytest.mark.parametrize("t1, t2, x, y", [(0.5, -1.5, 2.0, 3.0), (2.0, 3.0, -1.0, 0.25)])
def test_lecture_003_loss_matches_its_closed_form_gradients(t1, t2, x, y):
    theta1, theta2, xv, yv = Value(t1), Value(t2), Value(x), Value(y)
    loss = (theta1 * theta2 * xv - yv) ** 2
    loss.backward()
    residual = t1 * t2 * x - y
    assert loss.data == pytest.approx(residual**2)
    assert theta1.grad == pytest.approx(2 * residual * x * t2)
    assert theta2.grad == pytest.approx(2 * residual * x * t1)


def test_tanh_neuron_output_is_0_7071_with_grads_from_the_lecture(tanh_neuron):
    n = tanh_neuron
    n["o"].backward()
    assert n["o"].data == pytest.approx(math.sqrt(0.5), abs=1e-12)
    assert n["n"].grad == pytest.approx(0.5)
    assert n["x1"].grad == pytest.approx(-1.5)
    assert n["w1"].grad == pytest.approx(1.0)
    assert n["x2"].grad == pytest.approx(0.5)
    assert n["w2"].grad == pytest.approx(0.0)
    assert n["b"].grad == pytest.approx(0.5)


def test_max_sends_the_gradient_to_the_larger_input_as_in_lecture_001():
    x1, x2 = Value(3.0), Value(2.0)
    x1.maximum(x2).backward()
    assert (x1.grad, x2.grad) == (1.0, 0.0)


def test_max_at_a_tie_sends_the_whole_gradient_to_the_first_input():
    x1, x2 = Value(2.0), Value(2.0)
    x1.maximum(x2).backward()
    assert (x1.grad, x2.grad) == (1.0, 0.0)


def test_sigmoid_derivative_is_s_times_one_minus_s_from_lecture_000():
    x = Value(0.3)
    s = x.sigmoid()
    s.backward()
    assert x.grad == pytest.approx(s.data * (1 - s.data), rel=1e-15)


def test_tanh_derivative_is_one_minus_t_squared_from_lecture_000():
    x = Value(-0.8)
    t = x.tanh()
    t.backward()
    assert x.grad == pytest.approx(1 - t.data**2, rel=1e-15)
