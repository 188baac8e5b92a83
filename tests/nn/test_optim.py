"""Optimizers on f(x) = x^2 (gradient 2x), checked against the update rules computed by hand."""

import math

import pytest

from pathgrad import Value
from pathgrad.nn import optim
from pathgrad.nn.optim.lr_scheduler import CosineAnnealingLR, LinearLR, StepLR


def run(make_optimizer, x0=3.0, steps=3):
    """Minimize x^2 from x0 for `steps` steps; return x after each step."""
    x = Value(x0)
    optimizer = make_optimizer([x])
    xs = []
    for _ in range(steps):
        loss = x * x
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        xs.append(x.data)
    return xs


def test_sgd_steps_x_minus_lr_times_2x():
    # 3 -> 3 - 0.1*6 = 2.4 -> 2.4 - 0.48 = 1.92 -> 1.536
    assert run(lambda p: optim.SGD(p, lr=0.1)) == pytest.approx([2.4, 1.92, 1.536], rel=1e-15)


def test_sgd_momentum_accumulates_a_velocity():
    # b1 = g1 = 6, x = 3 - 0.6 = 2.4; g2 = 4.8, b2 = 0.9*6 + 4.8 = 10.2, x = 2.4 - 1.02 = 1.38
    assert run(lambda p: optim.SGD(p, lr=0.1, momentum=0.9), steps=2) == pytest.approx([2.4, 1.38])


def test_sgd_dampening_scales_the_new_gradient_after_the_first_step():
    # b1 = 6 (no dampening at first), x = 2.4; b2 = 0.9*6 + 0.5*4.8 = 7.8, x = 2.4 - 0.78 = 1.62
    assert run(lambda p: optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.5), steps=2) == pytest.approx([2.4, 1.62])


def test_sgd_nesterov_looks_ahead_along_the_velocity():
    # b1 = 6, step with g + 0.9 b = 11.4: x = 3 - 1.14 = 1.86
    # g2 = 3.72, b2 = 5.4 + 3.72 = 9.12, step 3.72 + 8.208 = 11.928: x = 1.86 - 1.1928 = 0.6672
    assert run(lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True), steps=2) == pytest.approx(
        [1.86, 0.6672])


def test_sgd_weight_decay_adds_wd_times_x_to_the_gradient():
    # g = 6 + 0.5*3 = 7.5: x = 3 - 0.75 = 2.25
    assert run(lambda p: optim.SGD(p, lr=0.1, weight_decay=0.5), steps=1) == pytest.approx([2.25])


def test_adagrad_divides_by_the_root_of_summed_squared_gradients():
    # s = 36, x = 3 - 0.5*6/6 = 2.5; g = 5, s = 61, x = 2.5 - 0.5*5/sqrt(61)
    expected = [2.5, 2.5 - 2.5 / math.sqrt(61)]
    assert run(lambda p: optim.Adagrad(p, lr=0.5, eps=0), steps=2) == pytest.approx(expected, rel=1e-14)


def test_adagrad_lr_decay_and_initial_accumulator():
    # s = 1 + 36 = 37, x = 3 - 0.5*6/sqrt(37); second lr = 0.5 / (1 + 1*0.1)
    x1 = 3 - 0.5 * 6 / math.sqrt(37)
    g2 = 2 * x1
    x2 = x1 - (0.5 / 1.1) * g2 / math.sqrt(37 + g2 * g2)
    assert run(lambda p: optim.Adagrad(p, lr=0.5, lr_decay=0.1, initial_accumulator_value=1.0, eps=0),
               steps=2) == pytest.approx([x1, x2], rel=1e-14)


def test_rmsprop_divides_by_a_running_root_mean_square():
    # v = 0.01 * 36 = 0.36, x = 3 - 0.01 * 6 / (0.6 + 1e-8)
    assert run(lambda p: optim.RMSprop(p), steps=1) == pytest.approx([3 - 0.06 / (0.6 + 1e-8)], rel=1e-14)


def test_rmsprop_centered_subtracts_the_squared_mean_gradient():
    # alpha = 0.5: v = 18, c = 3, d = sqrt(18 - 9) = 3: x = 3 - 0.1 * 6 / 3 = 2.8
    assert run(lambda p: optim.RMSprop(p, lr=0.1, alpha=0.5, eps=0, centered=True), steps=1) == pytest.approx(
        [2.8], rel=1e-14)


def test_rmsprop_momentum_keeps_a_buffer_of_scaled_steps():
    # alpha=0.5: v1 = 18, b1 = 6/sqrt(18) = sqrt(2); x1 = 3 - 0.1 sqrt(2)
    x1 = 3 - 0.1 * math.sqrt(2)
    g2 = 2 * x1
    v2 = 0.5 * 18 + 0.5 * g2 * g2
    b2 = 0.9 * math.sqrt(2) + g2 / math.sqrt(v2)
    assert run(lambda p: optim.RMSprop(p, lr=0.1, alpha=0.5, eps=0, momentum=0.9), steps=2) == pytest.approx(
        [x1, x1 - 0.1 * b2], rel=1e-14)


def test_adam_first_step_moves_by_lr_whatever_the_gradient():
    # m1/(1-b1) = g, v1/(1-b2) = g^2: the step is lr * g / |g|
    for x0 in (3.0, -50.0, 0.001):
        assert run(lambda p: optim.Adam(p, lr=0.1, eps=0), x0=x0, steps=1)[0] == pytest.approx(
            x0 - 0.1 * math.copysign(1, x0), rel=1e-14)


def test_adam_second_step_follows_the_bias_corrected_moments():
    b1, b2, lr = 0.9, 0.999, 0.1
    x1 = 3.0 - lr
    g1, g2 = 6.0, 2 * x1
    m = (1 - b1) * g1 * b1 + (1 - b1) * g2
    v = (1 - b2) * g1 * g1 * b2 + (1 - b2) * g2 * g2
    x2 = x1 - lr * (m / (1 - b1**2)) / (math.sqrt(v / (1 - b2**2)))
    assert run(lambda p: optim.Adam(p, lr=lr, eps=0), steps=2) == pytest.approx([x1, x2], rel=1e-13)


def test_amsgrad_never_lets_the_second_moment_shrink():
    # a large first gradient, then a tiny one: AMSGrad keeps the large v, so its second step is smaller
    x = Value(0.0)
    plain, ams = optim.Adam([x], lr=0.1, eps=0), optim.Adam([Value(0.0)], lr=0.1, eps=0, amsgrad=True)
    ams_x = ams.params[0]
    for grad in (100.0, 0.01):
        x.grad = ams_x.grad = grad
        before, ams_before = x.data, ams_x.data
        plain.step()
        ams.step()
    assert abs(ams_x.data - ams_before) < abs(x.data - before)
    assert ams.max_exp_avg_sq[0] == pytest.approx((1 - 0.999) * 100.0**2)


def test_adam_weight_decay_is_added_to_the_gradient_but_adamw_shrinks_the_weight():
    x = Value(3.0)
    x.grad = 0.0
    adamw = optim.AdamW([x], lr=0.1, weight_decay=0.5)
    adamw.step()
    assert x.data == pytest.approx(3.0 * (1 - 0.1 * 0.5))  # zero gradient: only the decay moves it
    y = Value(3.0)
    y.grad = 0.0
    optim.Adam([y], lr=0.1, weight_decay=0.5, eps=0).step()
    assert y.data == pytest.approx(3.0 - 0.1)  # the decay 1.5 is a gradient: Adam's first step is lr


def test_torch_defaults():
    p = [Value(0.0)]
    assert optim.SGD(p).lr == 1e-3
    assert (optim.Adam(p).lr, optim.Adam(p).beta1, optim.Adam(p).beta2, optim.Adam(p).eps) == (1e-3, 0.9, 0.999, 1e-8)
    assert optim.AdamW(p).weight_decay == 1e-2 and optim.Adam(p).weight_decay == 0
    assert (optim.RMSprop(p).lr, optim.RMSprop(p).alpha, optim.RMSprop(p).eps) == (1e-2, 0.99, 1e-8)
    assert (optim.Adagrad(p).lr, optim.Adagrad(p).eps) == (1e-2, 1e-10)


def test_zero_grad_zeroes_the_parameters_grads():
    x = Value(1.0)
    x.grad = 5.0
    optim.SGD([x], lr=0.1).zero_grad()
    assert x.grad == 0.0


@pytest.mark.parametrize("make, message", [
    (lambda p: optim.SGD(p, lr=-0.1), r"SGD: got lr = -0.1; expected a finite number >= 0"),
    (lambda p: optim.SGD(p, lr=float("nan")), r"SGD: got lr = nan"),
    (lambda p: optim.SGD(p, momentum=-1), r"SGD: got momentum = -1"),
    (lambda p: optim.SGD(p, nesterov=True), r"Nesterov momentum needs momentum > 0 and dampening = 0"),
    (lambda p: optim.SGD(p, momentum=0.9, dampening=0.1, nesterov=True), r"Nesterov"),
    (lambda p: optim.Adam(p, betas=(1.0, 0.999)), r"Adam: got betas\[0\] = 1.0; expected a number in \[0, 1\)"),
    (lambda p: optim.Adam(p, betas=(0.9, -0.1)), r"Adam: got betas\[1\] = -0.1"),
    (lambda p: optim.Adam(p, betas=0.9), r"Adam: got betas = 0.9; expected a pair"),
    (lambda p: optim.AdamW(p, eps=-1e-8), r"AdamW: got eps = -1e-08"),
    (lambda p: optim.Adam(p, weight_decay=-0.1), r"Adam: got weight_decay = -0.1"),
    (lambda p: optim.RMSprop(p, alpha=-0.5), r"RMSprop: got alpha = -0.5"),
    (lambda p: optim.Adagrad(p, lr_decay=-1), r"Adagrad: got lr_decay = -1"),
    (lambda p: optim.Adagrad(p, initial_accumulator_value=-1), r"Adagrad: got initial_accumulator_value = -1"),
    (lambda p: optim.SGD([], lr=0.1), r"SGD: got an empty parameter list"),
])
def test_bad_hyperparameters_raise_value_error_naming_them(make, message):
    with pytest.raises(ValueError, match=message):
        make([Value(1.0)])


@pytest.mark.parametrize("make, message", [
    (lambda p: optim.SGD(p, lr="fast"), r"SGD: got lr = 'fast' \(str\); expected a real number"),
    (lambda p: optim.SGD([1.0], lr=0.1), r"SGD: got parameter 1.0 of type float; expected Values"),
])
def test_hyperparameters_of_the_wrong_type_raise_type_error(make, message):
    with pytest.raises(TypeError, match=message):
        make([Value(1.0)])


def lrs(make_schedule, epochs, lr=1.0):
    sgd = optim.SGD([Value(0.0)], lr=lr)
    schedule = make_schedule(sgd)
    out = []
    for _ in range(epochs):
        out.append(sgd.lr)
        schedule.step()
    return out


def test_linear_lr_is_micrograds_demo_schedule_bit_for_bit():
    got = lrs(lambda o: LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=100), 102)
    assert got[:100] == [1.0 - 0.9 * k / 100 for k in range(100)]
    assert got[100:] == [pytest.approx(0.1), pytest.approx(0.1)]  # stays at the end value


def test_step_lr_multiplies_by_gamma_every_step_size_epochs():
    assert lrs(lambda o: StepLR(o, step_size=3, gamma=0.1), 7, lr=0.5) == pytest.approx(
        [0.5, 0.5, 0.5, 0.05, 0.05, 0.05, 0.005])


def test_cosine_annealing_follows_half_a_cosine_to_eta_min():
    got = lrs(lambda o: CosineAnnealingLR(o, T_max=4, eta_min=0.1), 5)
    assert got == pytest.approx([0.1 + 0.9 * (1 + math.cos(math.pi * e / 4)) / 2 for e in range(5)])
    assert got[0] == 1.0 and got[4] == pytest.approx(0.1)


@pytest.mark.parametrize("make, message", [
    (lambda o: StepLR(o, step_size=0), "StepLR: got step_size = 0; expected a positive integer"),
    (lambda o: CosineAnnealingLR(o, T_max=-2), "CosineAnnealingLR: got T_max = -2"),
    (lambda o: LinearLR(o, start_factor=0.0), r"LinearLR: got start_factor = 0.0; expected a number in \(0, 1\]"),
    (lambda o: LinearLR(o, end_factor=1.5), r"LinearLR: got end_factor = 1.5"),
    (lambda o: StepLR("sgd", step_size=1), "StepLR: got str; expected an optimizer"),
])
def test_bad_schedule_arguments_raise_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make(optim.SGD([Value(0.0)], lr=1.0))
