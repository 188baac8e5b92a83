"""Optional: every loss's value and gradients against torch.nn.functional in float64, to 1e-9."""

import pytest

from pathgrad import Value
from pathgrad.nn import losses

torch = pytest.importorskip("torch")
F = torch.nn.functional

PREDICTIONS = [0.3, -1.2, 2.5, 0.05]
TARGETS = [0.0, 1.0, 1.0, 0.3]


def ours_and_theirs(ours, theirs, predictions, *targets):
    """(our loss, our grads, torch's loss, torch's grads) for the same predictions."""
    values = [Value(p) for p in predictions]
    loss = ours(values, *targets)
    loss.backward()
    tensor = torch.tensor(predictions, dtype=torch.float64, requires_grad=True)
    out = theirs(tensor, *[torch.tensor(t, dtype=torch.float64) for t in targets])
    out.backward()
    return loss.data, [v.grad for v in values], out.item(), tensor.grad.tolist()


def assert_close(ours_value, ours_grads, theirs_value, theirs_grads):
    assert ours_value == pytest.approx(theirs_value, rel=1e-9, abs=1e-12)
    assert ours_grads == pytest.approx(theirs_grads, rel=1e-9, abs=1e-12)


def test_mse_matches_mse_loss():
    assert_close(*ours_and_theirs(losses.mse, lambda p, t: F.mse_loss(p, t), PREDICTIONS, TARGETS))


def test_mae_matches_l1_loss():
    assert_close(*ours_and_theirs(losses.mae, lambda p, t: F.l1_loss(p, t), PREDICTIONS, TARGETS))


def test_bce_matches_binary_cross_entropy():
    probabilities = [0.2, 0.9, 0.55, 0.01]
    assert_close(*ours_and_theirs(
        losses.bce, lambda p, t: F.binary_cross_entropy(p, t), probabilities, TARGETS))


def test_bce_with_logits_matches_binary_cross_entropy_with_logits():
    assert_close(*ours_and_theirs(
        losses.bce_with_logits, lambda p, t: F.binary_cross_entropy_with_logits(p, t),
        PREDICTIONS + [40.0, -40.0], TARGETS + [0.0, 1.0]))


@pytest.mark.parametrize("k", range(4))
def test_softmax_matches_softmax(k):
    assert_close(*ours_and_theirs(
        lambda s: losses.softmax(s)[k] * 1.0, lambda s: F.softmax(s, dim=0)[k], PREDICTIONS))


@pytest.mark.parametrize("k", range(4))
def test_log_softmax_matches_log_softmax(k):
    assert_close(*ours_and_theirs(
        lambda s: losses.log_softmax(s)[k] * 1.0, lambda s: F.log_softmax(s, dim=0)[k], [1000.0, 998.5, 1001.0, 0.0]))


def test_cross_entropy_on_a_class_index_matches_cross_entropy():
    assert_close(*ours_and_theirs(
        lambda s: losses.cross_entropy(s, 2), lambda s: F.cross_entropy(s[None], torch.tensor([2])), PREDICTIONS))


def test_cross_entropy_on_soft_targets_matches_cross_entropy():
    soft = [0.1, 0.2, 0.3, 0.4]
    assert_close(*ours_and_theirs(
        lambda s: losses.cross_entropy(s, soft),
        lambda s: F.cross_entropy(s[None], torch.tensor([soft], dtype=torch.float64)), PREDICTIONS))


def test_cross_entropy_on_a_batch_matches_the_batch_mean():
    flat = [0.3, -1.2, 2.5, 0.05, 1.0, 1.5]
    labels = [2, 0]
    assert_close(*ours_and_theirs(
        lambda s: losses.cross_entropy([s[0:3], s[3:6]], labels),
        lambda s: F.cross_entropy(s.reshape(2, 3), torch.tensor(labels)), flat))
