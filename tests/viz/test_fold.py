"""Repeated structure found: micrograd's moons loss is one sample's hinge term, model inside, 100 times."""

import pytest

import pathgrad
from pathgrad import Value, topological_order
from pathgrad.engine.validation import RefusedType
from pathgrad.nn.data import make_moons
from pathgrad.nn.lecture import LECTURE_XS, LECTURE_YS, lecture_loss, moons_loss
from pathgrad.viz.fold import find_folds, indexed


@pytest.fixture(scope="module")
def moons():
    total, model = moons_loss()
    return total, model, find_folds(total)


def samples_fold(folding):
    (fold,) = [fold for fold in folding.folds if fold.name == "samples"]
    return fold


def test_moons_loss_folds_into_100_samples_each_a_hinge_term_with_the_whole_model_inside(moons):
    total, model, folding = moons
    fold = samples_fold(folding)
    assert fold.count == 100
    # 2 inputs, 16 x (sum, relu) twice, the output sum, -y*s and its -y, 1 + that and its 1, relu
    assert fold.size == 2 + 32 + 32 + 1 + 2 + 2 + 1 == 72
    assert all(root.op == "relu" for root in fold.roots)
    assert set(fold.shared) == set(model.parameters()) and len(fold.shared) == 337
    assert fold.parent is None and fold.outputs == (0,)
    # the data loss is (sum of the roots) * (1/100): the roots are exactly its terms, in list order
    data_loss = total.children[0]
    reduction = folding.reductions[[r.fold for r in folding.reductions].index(folding.folds.index(fold))]
    assert reduction.result is data_loss.children[0]
    assert reduction.terms == fold.roots
    assert reduction.start.data == 0.0 and len(reduction.nodes) == 100


def test_moons_instance_k_holds_sample_k_of_make_moons(moons):
    _, _, folding = moons
    fold = samples_fold(folding)
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    for k in (0, 3, 57, 99):
        leaves = [fold.instances[k][j].data for j in fold.inputs]
        # the constant 1, then -y (y in {-1, 1}), then the sample's two coordinates
        assert leaves == [1.0, -float(2 * y[k] - 1), X[k][0], X[k][1]]


def test_moons_regularisation_folds_into_337_squares_and_both_sums_are_reductions(moons):
    total, model, folding = moons
    (terms,) = [fold for fold in folding.folds if fold.name == "terms"]
    assert terms.count == 337 and terms.size == 2  # p * p, and p
    assert [instance[1] for instance in terms.instances] == model.parameters()
    assert sorted(len(r.terms) for r in folding.reductions) == [100, 337]


def test_moons_folded_drawing_hides_all_but_one_instance_and_the_partial_sums(moons):
    total, _, folding = moons
    # 99 samples of 72 nodes, 336 squares (their parameters stay: the model uses them),
    # 99 partial sums and builtin sum's 0, 336 partial sums and its 0
    assert len(folding.hidden) == 99 * 72 + 336 + 100 + 337 == 7901
    assert len(topological_order(total)) - len(folding.hidden) == 417


def test_sample_2s_nodes_are_drawn_as_sample_0s_and_named_with_index_2(moons):
    _, _, folding = moons
    fold = samples_fold(folding)
    for j in (0, 5, 40):
        assert folding.stand_in(fold.instances[2][j]) == (fold.instances[0][j], [2])
    # a parameter is instance k of the p * p fold, but the model uses it, so it is drawn as itself
    for param in (fold.shared[0], fold.shared[-1]):
        assert param not in folding.hidden and folding.stand_in(param) == (param, [])
    assert indexed("L2.n0", [2]) == "L2.n0[2]"


def test_lecture_loss_folds_into_4_samples_of_24_nodes(moons):
    loss, model = lecture_loss()
    folding = find_folds(loss)
    assert [(fold.name, fold.count, fold.size) for fold in folding.folds] == [("samples", 4, 24)]
    fold = folding.folds[0]
    assert all(root.op == "**2" for root in fold.roots)
    assert set(fold.shared) == set(model.parameters())
    # the target, then the sample's three inputs
    assert [[fold.instances[k][j].data for j in fold.inputs] for k in range(4)] == [
        [t] + xs for t, xs in zip(LECTURE_YS, LECTURE_XS)]
    (reduction,) = folding.reductions
    assert reduction.result is loss and reduction.terms == fold.roots


def test_two_different_products_added_do_not_fold():
    a, b, c, d = (Value(v, name) for v, name in [(2.0, "a"), (3.0, "b"), (4.0, "c"), (5.0, "d")])
    folding = find_folds(a * b + c * d)
    assert folding.folds == [] and folding.reductions == [] and folding.hidden == frozenset()


def test_a_shared_intermediate_is_not_one_computation_twice():
    a, b = Value(2.0, "a"), Value(1.0, "b")
    assert find_folds((a + b) * (b + 1), least_saved=1).folds == []


def losses_of(xs):
    w = Value(0.5, "w")
    return [((w * Value(x) - 1) ** 2).tanh() for x in xs]


@pytest.mark.parametrize("add", [
    lambda ls: sum(ls),
    lambda ls: pathgrad.sum(ls),
    lambda ls: _loop(ls),
], ids=["builtin sum", "pathgrad.sum", "loop"])
def test_instances_are_numbered_in_the_order_the_list_is_added(add):
    losses = losses_of([1.0, 2.0, 3.0, 4.0])
    folding = find_folds(add(losses), least_saved=1)
    assert folding.folds[0].roots == tuple(losses)
    assert len(folding.reductions[0].terms) == 4
    reversed_losses = losses_of([1.0, 2.0, 3.0, 4.0])[::-1]
    assert find_folds(add(reversed_losses), least_saved=1).folds[0].roots == tuple(reversed_losses)


def _loop(losses):
    total = losses[0]
    for loss in losses[1:]:
        total = total + loss
    return total


def test_least_saved_decides_whether_a_small_repeat_is_worth_folding():
    losses = losses_of([1.0, 2.0])  # each instance: tanh, **, -, *, x, and the constants 1 (and 2)
    total = losses[0] + losses[1]
    assert find_folds(total).folds == []  # saves 1 * size < 8 nodes
    (fold,) = find_folds(total, least_saved=1).folds
    assert fold.count == 2 and fold.shared[0].label == "w"


def test_find_folds_refuses_what_is_not_a_value():
    with pytest.raises(RefusedType, match="find_folds: root must be a pathgrad Value, got float 2.0"):
        find_folds(2.0)
