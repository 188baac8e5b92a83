"""micrograd's two lecture losses, built as micrograd builds them: values, sizes and grads checked."""

import random

import pytest

from pathgrad import Value, topological_order
from pathgrad.nn.data import make_moons
from pathgrad.nn.lecture import LECTURE_XS, LECTURE_YS, lecture_loss, moons_loss


def test_moons_loss_has_8318_nodes_counted_by_hand():
    # per sample: 2 inputs, 32 (weighted sum, relu) for each layer of 16, 1 output sum,
    # -y*s (op and constant), 1 + that (op and constant), relu: 72.
    # then 100 partial sums + 0 + 1/n + its product; 337 params, 337 p*p, 337 sums + 0, alpha and
    # its product; the total: 7200 + 103 + 337 * 3 + 1 + 2 + 1 = 8318.
    total, model = moons_loss()
    assert len(model.parameters()) == 337
    assert len(topological_order(total)) == 8318


def test_moons_loss_equals_micrograds_own_demo_loss_on_the_same_weights():
    micrograd_engine = pytest.importorskip("micrograd.engine")
    micrograd_nn = pytest.importorskip("micrograd.nn")
    total, model = moons_loss()
    random.seed(1337)
    theirs = micrograd_nn.MLP(2, [16, 16, 1])
    assert [p.data for p in theirs.parameters()] == [p.data for p in model.parameters()]
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    y = y * 2 - 1
    scores = [theirs(list(map(micrograd_engine.Value, xrow))) for xrow in X]
    losses = [(1 + -yi * s).relu() for yi, s in zip(y, scores)]
    their_total = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in theirs.parameters())
    their_total.backward()
    assert total.data == pytest.approx(their_total.data, rel=1e-12)
    assert total.data == pytest.approx(0.8958441028683222, rel=1e-12)
    for ours, theirs_p in zip(model.parameters(), theirs.parameters()):
        assert ours.grad == pytest.approx(theirs_p.grad, rel=1e-9, abs=1e-15)


def test_moons_loss_of_a_smaller_batch_averages_its_own_samples():
    total, model = moons_loss(n_samples=4)
    data_loss, reg_loss = total.children
    # reg = 1e-4 * sum p^2, over the same 337 parameters
    assert reg_loss.data == pytest.approx(1e-4 * sum(p.data ** 2 for p in model.parameters()), rel=1e-12)
    assert data_loss.data + reg_loss.data == pytest.approx(total.data, rel=1e-15)
    assert total.grad == 1.0


def test_lecture_loss_is_the_sum_of_four_squared_errors_with_finite_difference_grads():
    loss, model = lecture_loss()
    assert len(model.parameters()) == 41  # 3*4+4 + 4*4+4 + 4+1
    preds = [model([Value(x) for x in xs]).data for xs in LECTURE_XS]
    assert loss.data == pytest.approx(sum((p - t) ** 2 for p, t in zip(preds, LECTURE_YS)), rel=1e-12)
    assert all(-1 < p < 1 for p in preds)  # tanh output
    w = model.parameters()[0]
    h = 1e-6

    def loss_at(delta):
        w.data += delta
        value = sum((model([Value(x) for x in xs]).data - t) ** 2 for xs, t in zip(LECTURE_XS, LECTURE_YS))
        w.data -= delta
        return value

    assert w.grad == pytest.approx((loss_at(h) - loss_at(-h)) / (2 * h), rel=1e-5, abs=1e-8)
