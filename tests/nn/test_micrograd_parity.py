"""pathgrad.nn against micrograd 0.1.0 itself: same weights, same demo, step for step."""

import random

import pytest

import pathgrad
from pathgrad.nn import MLP, losses, optim
from pathgrad.nn.data import make_moons

micrograd_engine = pytest.importorskip("micrograd.engine")
micrograd_nn = pytest.importorskip("micrograd.nn")


def demo_losses(Value, model, steps):
    """micrograd's demo.ipynb loop, verbatim but for the engine: hinge + L2, SGD with lr 1 -> 0.1."""
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    y = y * 2 - 1
    history = []
    for k in range(steps):
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses_ = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses_) * (1.0 / len(losses_))
        reg_loss = 1e-4 * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append(float(total_loss.data))
    return history


STEPS = 4  # micrograd takes over a second per demo step


def seeded(make):
    random.seed(1337)
    return make()


@pytest.fixture(scope="module")
def micrograd_demo():
    """micrograd's own demo losses for the first STEPS steps, computed once."""
    return demo_losses(micrograd_engine.Value, seeded(lambda: micrograd_nn.MLP(2, [16, 16, 1])), STEPS)


def test_seeded_mlp_has_micrograds_exact_weights_in_micrograds_order():
    ours = seeded(lambda: MLP(2, [16, 16, 1]))
    theirs = seeded(lambda: micrograd_nn.MLP(2, [16, 16, 1]))
    assert len(ours.parameters()) == len(theirs.parameters()) == 337
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]


@pytest.mark.parametrize("fused", [True, False])
def test_forward_values_are_bit_identical_to_micrograds(fused):
    ours = seeded(lambda: MLP(2, [16, 16, 1], fused=fused))
    theirs = seeded(lambda: micrograd_nn.MLP(2, [16, 16, 1]))
    for x in ([0.5, -0.3], [1.7, 0.25], [-1.0, 2.0]):
        assert ours(x).data == theirs(x).data


@pytest.mark.parametrize("fused", [True, False])
def test_demo_losses_match_micrograd_step_for_step(fused, micrograd_demo):
    ours = demo_losses(pathgrad.Value, seeded(lambda: MLP(2, [16, 16, 1], fused=fused)), STEPS)
    assert ours == pytest.approx(micrograd_demo, rel=0, abs=1e-12)
    assert ours[0] == micrograd_demo[0]  # before any update: the same bits


def test_demo_reproduces_the_loss_micrograds_notebook_printed_at_step_0():
    # demo.ipynb: "step 0 loss 0.8958441028683222, accuracy 50.0%" (sklearn's moons, seed 1337)
    first = demo_losses(pathgrad.Value, seeded(lambda: MLP(2, [16, 16, 1])), 1)[0]
    assert first == 0.8958441028683222


def test_demo_written_with_pathgrads_api_matches_micrograd(micrograd_demo):
    """losses.hinge + SGD + LinearLR(1 -> 0.1) is micrograd's hand-written loop."""
    model = seeded(lambda: MLP(2, [16, 16, 1]))
    sgd = optim.SGD(model.parameters(), lr=1.0)
    schedule = optim.lr_scheduler.LinearLR(sgd, start_factor=1.0, end_factor=0.1, total_iters=100)
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    ours = []
    for _ in range(STEPS):
        scores = [model(row) for row in X.tolist()]
        total = losses.hinge(scores, y * 2 - 1) + 1e-4 * pathgrad.sum(p * p for p in model.parameters())
        sgd.zero_grad()
        total.backward()
        sgd.step()
        schedule.step()
        ours.append(total.data)
    assert ours == pytest.approx(micrograd_demo, rel=0, abs=1e-12)


def test_unfused_graph_has_micrograds_nodes_and_ops():
    def ops(root, children):
        seen, stack, counts = {root}, [root], {}
        while stack:
            node = stack.pop()
            op = node._op if children == "_prev" else node.op
            counts[op] = counts.get(op, 0) + 1
            for child in getattr(node, children):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return counts

    ours = seeded(lambda: MLP(2, [4, 3, 1], fused=False))
    theirs = seeded(lambda: micrograd_nn.MLP(2, [4, 3, 1]))
    x_ours = [pathgrad.Value(0.5), pathgrad.Value(-0.3)]
    x_theirs = [micrograd_engine.Value(0.5), micrograd_engine.Value(-0.3)]
    ours_ops = ops(ours(x_ours), "children")
    theirs_ops = ops(theirs(x_theirs), "_prev")
    micrograd_name = {"+": "+", "*": "*", "relu": "ReLU"}
    for op, theirs_op in micrograd_name.items():
        assert ours_ops[op] == theirs_ops[theirs_op] > 0
