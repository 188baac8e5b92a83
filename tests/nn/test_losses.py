"""Losses: lecture numbers, closed forms, gradients against gradcheck, stability, bad targets."""

import math

import pytest

from pathgrad import Value, gradcheck
from pathgrad.nn import losses


def test_lecture_001_cross_entropy_of_a_good_prediction_is_0_04():
    loss = losses.cross_entropy([0.01, 0.01, 0.01, 0.96], [0, 0, 0, 1], from_logits=False)
    assert round(loss.data, 2) == 0.04
    assert loss.data == pytest.approx(-math.log(0.96), rel=1e-15)


def test_lecture_001_cross_entropy_of_the_uniform_prediction_is_1_39():
    loss = losses.cross_entropy([0.25, 0.25, 0.25, 0.25], [0, 0, 0, 1], from_logits=False)
    assert round(loss.data, 2) == 1.39
    assert loss.data == pytest.approx(math.log(4), rel=1e-15)


def test_mse_and_mae_are_the_lecture_means():
    p, t = [3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]
    assert losses.mse(p, t).data == pytest.approx((0.25 + 0.25 + 0 + 1) / 4)
    assert losses.mae(p, t).data == pytest.approx((0.5 + 0.5 + 0 + 1) / 4)


def test_mse_gradient_is_2_p_minus_t_over_n():
    p = [Value(3.0), Value(-0.5)]
    losses.mse(p, [2.5, 0.0]).backward()
    assert [v.grad for v in p] == [pytest.approx(2 * 0.5 / 2), pytest.approx(2 * -0.5 / 2)]


def test_mae_gradient_is_the_sign_over_n():
    p = [Value(3.0), Value(-0.5), Value(1.0)]
    losses.mae(p, [2.5, 0.0, 4.0]).backward()
    assert [v.grad for v in p] == [pytest.approx(1 / 3), pytest.approx(-1 / 3), pytest.approx(-1 / 3)]


def test_regression_losses_average_over_every_output_of_a_batch_of_lists():
    assert losses.mse([[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]]).data == pytest.approx(30 / 4)


def test_bce_is_minus_t_log_p_minus_1_minus_t_log_1_minus_p():
    assert losses.bce([0.9, 0.2], [1, 0]).data == pytest.approx(-(math.log(0.9) + math.log(0.8)) / 2)


def test_bce_gradient_is_p_minus_t_over_p_times_1_minus_p():
    p = Value(0.3)
    losses.bce([p], [1.0]).backward()
    assert p.grad == pytest.approx((0.3 - 1.0) / (0.3 * 0.7), rel=1e-12)


def test_bce_with_logits_equals_bce_of_the_sigmoid():
    for z, t in [(-2.0, 0.0), (0.7, 1.0), (3.0, 0.25)]:
        s = 1 / (1 + math.exp(-z))
        assert losses.bce_with_logits([z], [t]).data == pytest.approx(losses.bce([s], [t]).data, rel=1e-12)


def test_bce_with_logits_gradient_is_sigmoid_minus_t():
    z = Value(0.7)
    losses.bce_with_logits([z], [1.0]).backward()
    assert z.grad == pytest.approx(1 / (1 + math.exp(-0.7)) - 1.0, rel=1e-12)


def test_hinge_is_the_mean_of_max_0_1_minus_t_s():
    assert losses.hinge([2.0, 0.5, -0.25], [1, 1, 1]).data == pytest.approx((0 + 0.5 + 1.25) / 3)


def test_hinge_matches_micrograds_term_bit_for_bit():
    scores = [Value(0.123456789), Value(-1.987654321), Value(0.3)]
    targets = [1, 1, -1]
    terms = [(1 + -t * s).relu() for t, s in zip(targets, scores)]
    micrograd_way = sum(terms) * (1.0 / len(terms))
    assert losses.hinge(scores, targets).data == micrograd_way.data


def test_softmax_is_exponentials_over_their_sum():
    p = losses.softmax([1.0, 2.0, 3.0])
    total = math.exp(1) + math.exp(2) + math.exp(3)
    assert [v.data for v in p] == pytest.approx([math.exp(k) / total for k in (1, 2, 3)], rel=1e-14)


def test_log_softmax_is_the_log_of_softmax():
    scores = [0.5, -1.0, 2.0]
    assert [v.data for v in losses.log_softmax(scores)] == pytest.approx(
        [math.log(v.data) for v in losses.softmax(scores)], rel=1e-14
    )


def test_cross_entropy_from_logits_gradient_is_softmax_minus_one_hot():
    s = [Value(1.0), Value(2.0), Value(0.5)]
    losses.cross_entropy(s, 1).backward()
    p = [v.data for v in losses.softmax([1.0, 2.0, 0.5])]
    assert [v.grad for v in s] == pytest.approx([p[0], p[1] - 1, p[2]], abs=1e-15)


def test_cross_entropy_of_a_class_index_equals_its_one_hot_target():
    scores = [0.2, 1.5, -0.3]
    assert losses.cross_entropy(scores, 1).data == losses.cross_entropy(scores, [0, 1, 0]).data


def test_cross_entropy_of_a_batch_is_the_mean_of_its_samples():
    batch = [[0.2, 1.5, -0.3], [2.0, 0.0, 0.0]]
    single = [losses.cross_entropy(s, t).data for s, t in zip(batch, [1, 2])]
    assert losses.cross_entropy(batch, [1, 2]).data == pytest.approx(sum(single) / 2, rel=1e-15)


def test_cross_entropy_accepts_soft_probability_targets():
    scores, target = [0.2, 1.5, -0.3], [0.25, 0.5, 0.25]
    log_p = [v.data for v in losses.log_softmax(scores)]
    assert losses.cross_entropy(scores, target).data == pytest.approx(-sum(t * lp for t, lp in zip(target, log_p)))


@pytest.mark.parametrize("logits", [[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -999.0], [1e4, 1e4, 1e4]])
def test_softmax_family_is_finite_for_huge_logits(logits):
    probabilities = [v.data for v in losses.softmax(logits)]
    assert all(math.isfinite(p) for p in probabilities) and sum(probabilities) == pytest.approx(1.0)
    scores = [Value(x) for x in logits]
    loss = losses.cross_entropy(scores, 2)
    loss.backward()
    assert math.isfinite(loss.data) and all(math.isfinite(s.grad) for s in scores)


def test_cross_entropy_of_logits_1000_apart_is_the_gap():
    assert losses.cross_entropy([1000.0, 0.0], 1).data == pytest.approx(1000.0)


def test_bce_with_logits_is_finite_for_huge_logits():
    assert losses.bce_with_logits([1000.0, -1000.0], [0, 1]).data == pytest.approx(1000.0)


def test_probabilities_of_0_and_1_are_clamped_so_the_loss_stays_finite():
    loss = losses.bce([0.0, 1.0], [1, 0])
    assert loss.data == pytest.approx(-math.log(losses.EPS), rel=1e-3)
    ce = losses.cross_entropy([1.0, 0.0], 1, from_logits=False)
    assert math.isfinite(ce.data) and ce.data > 25


def test_every_loss_returns_a_value_for_plain_numbers():
    for loss in (losses.mse(1.0, 2.0), losses.mae([1.0], [2.0]), losses.bce([0.5], [1]),
                 losses.bce_with_logits([0.0], [1]), losses.hinge([0.0], [1]), losses.cross_entropy([0.0, 1.0], 0)):
        assert isinstance(loss, Value)


GRADCHECKS = {
    "mse": lambda a, b, c: losses.mse([a, b, c], [0.5, -1.0, 2.0]),
    "mae": lambda a, b, c: losses.mae([a, b, c], [0.5, -1.0, 2.0]),
    "bce": lambda a, b, c: losses.bce([a.sigmoid(), b.sigmoid(), c.sigmoid()], [1, 0, 0.3]),
    "bce_with_logits": lambda a, b, c: losses.bce_with_logits([a, b, c], [1, 0, 0.3]),
    "hinge": lambda a, b, c: losses.hinge([a, b, c], [1, -1, 1]),
    "cross_entropy": lambda a, b, c: losses.cross_entropy([a, b, c], 2),
    "cross_entropy_soft": lambda a, b, c: losses.cross_entropy([a, b, c], [0.2, 0.3, 0.5]),
    "cross_entropy_probabilities": lambda a, b, c: losses.cross_entropy(
        losses.softmax([a, b, c]), 0, from_logits=False),
    "cross_entropy_batch": lambda a, b, c: losses.cross_entropy([[a, b], [b, c]], [0, 1]),
    "softmax": lambda a, b, c: losses.softmax([a, b, c])[1] * 3 + losses.softmax([a, b, c])[2],
    "log_softmax": lambda a, b, c: losses.log_softmax([a, b, c])[0] - losses.log_softmax([a, b, c])[2] * 2,
}


@pytest.mark.parametrize("name", GRADCHECKS)
def test_gradients_agree_with_finite_differences(name):
    result = gradcheck(GRADCHECKS[name], [0.3, -0.8, 1.1], tol=1e-6)
    assert result.ok, str(result)


@pytest.mark.parametrize("call, message", [
    (lambda: losses.cross_entropy([0.1, 0.2, 0.3], 3), "class index 3 is out of range for 3 classes; expected 0..2"),
    (lambda: losses.cross_entropy([0.1, 0.2, 0.3], -1), "class index -1 is out of range"),
    (lambda: losses.cross_entropy([[0.1, 0.2], [0.3, 0.4]], [0, 2]), "class index 2 is out of range for 2 classes"),
    (lambda: losses.cross_entropy([0.1, 0.2], [0, 0, 1]), "2 class scores and a target vector of length 3"),
    (lambda: losses.cross_entropy([[0.1, 0.2]], [0, 1]), "1 samples and 2 targets"),
    (lambda: losses.cross_entropy([0.5, 1.5], 0, from_logits=False), "got probability 1.5"),
    (lambda: losses.hinge([0.5, 0.2], [1, 0]), "got target 0; hinge targets are -1 or \\+1"),
    (lambda: losses.bce([0.5], [2]), "bce: got target 2; expected a number in \\[0, 1\\]"),
    (lambda: losses.bce([1.5], [1]), "bce: got probability 1.5"),
    (lambda: losses.mse([1.0, 2.0], [1.0]), "mse: got 2 predictions and 1 targets"),
    (lambda: losses.mse([], []), "mse: got no predictions"),
    (lambda: losses.softmax([]), "softmax: got \\[\\]; expected a non-empty list"),
    # A non-finite number never becomes a Value: the engine refuses it first.
    (lambda: losses.softmax([1.0, float("nan")]), "softmax: got a score of nan; expected finite scores"),
    (lambda: losses.cross_entropy([1.0, float("inf")], 0), "log_softmax: got a score of inf"),
])
def test_bad_inputs_raise_value_error_naming_the_loss_and_the_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: losses.cross_entropy([0.1, 0.2], 1.0), "expected a class index"),
    (lambda: losses.mae(["a"], [1.0]), "mae: got 'a'; expected Values or real numbers"),
])
def test_inputs_of_the_wrong_type_raise_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_losses_build_one_sum_node_for_the_batch():
    loss = losses.mse([Value(1.0), Value(2.0), Value(3.0)], [0.0, 0.0, 0.0])
    assert loss.op == "*" and loss.children[0].op == "sum" and len(loss.children[0].children) == 3



@pytest.mark.parametrize("target", [[-5, 1], [0, 2], [1, 1], [0, 0], [0.5, float("nan")]])
def test_a_target_vector_that_is_not_one_hot_or_probabilities_is_refused(target):
    # Before, cross_entropy([0, 1], [-5, 1]) gave -6.25, a negative cross-entropy.
    with pytest.raises(ValueError, match=r"got target vector .*expected a one-hot vector"):
        losses.cross_entropy([0.0, 1.0], target)


def test_soft_targets_that_sum_to_one_give_the_mixed_cross_entropy():
    # -(0.25 log p0 + 0.75 log p1) with p = softmax(0, 1) = (1, e) / (1 + e)
    expected = 0.25 * math.log(1 + math.e) + 0.75 * (math.log(1 + math.e) - 1)
    assert losses.cross_entropy([0.0, 1.0], [0.25, 0.75]).data == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("loss", [losses.mse, losses.mae, losses.hinge, losses.bce_with_logits])
@pytest.mark.parametrize("bad", [float("inf"), float("nan")])
def test_a_target_that_is_not_finite_is_refused(loss, bad):
    with pytest.raises(ValueError, match=f"{loss.__name__}: got (target )?{bad}"):
        loss([0.5], [bad])


def test_a_batch_loss_that_overflows_is_an_overflow_error():
    # each term (1e154 - 0)^2 = 1e308 is a float; their sum, 2e308, is not
    with pytest.raises(OverflowError, match=r"sum: sum\(1e\+308, 1e\+308\) overflows a float"):
        losses.mse([1e154, 1e154], [0.0, 0.0])


def test_each_described_loss_is_the_function_of_its_name():
    for name, entry in losses.LOSSES.items():
        assert entry.function is getattr(losses, name)
        assert losses.describe(entry.function) is entry is losses.describe(name)


def test_the_described_predictions_give_class_labels_and_targets_in_the_losses_own_values():
    hinge = losses.LOSSES["hinge"]
    assert [hinge.predict(Value(s)) for s in (-0.5, 0.5)] == [0, 1]
    assert [hinge.targets(label) for label in (0, 1)] == [-1, 1]
    assert losses.LOSSES["cross_entropy"].predict([Value(0.1), Value(2.0), Value(-1.0)]) == 1
    assert losses.LOSSES["mse"].predict is None
