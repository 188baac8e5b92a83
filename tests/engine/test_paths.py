"""The path-sum form of the chain rule, and the counting that shows why backward factorizes."""

import math

import pytest

from pathgrad import PathLimitExceeded, Value, all_paths, count_paths


def test_colah_has_one_path_from_a_and_two_from_b(colah):
    assert count_paths(colah["e"], colah["a"]) == 1
    assert count_paths(colah["e"], colah["b"]) == 2


def test_colah_paths_from_b_are_2_times_1_and_3_times_1_summing_to_5(colah):
    b, c, d, e = colah["b"], colah["c"], colah["d"], colah["e"]
    paths = all_paths(e, b)
    assert [p.nodes for p in paths] == [(b, c, e), (b, d, e)]
    assert [p.local_grads for p in paths] == [(1.0, 2.0), (1.0, 3.0)]
    assert [p.product for p in paths] == [2.0, 3.0]
    e.backward()
    assert sum(p.product for p in paths) == b.grad == 5.0


def test_lecture_001_nine_paths_sum_to_the_factorized_product():
    alpha, beta, gamma, delta, epsilon, zeta = 2.0, -1.0, 0.5, 3.0, 0.25, -2.0
    x = Value(1.0, "X")
    y = pathgradsum([alpha * x, beta * x, gamma * x])  # three edges X -> Y
    z = pathgradsum([delta * y, epsilon * y, zeta * y])  # three edges Y -> Z
    paths = all_paths(z, x)
    assert len(paths) == count_paths(z, x) == 9
    z.backward()
    factorized = (alpha + beta + gamma) * (delta + epsilon + zeta)
    assert sum(p.product for p in paths) == pytest.approx(factorized)
    assert x.grad == pytest.approx(factorized)


def pathgradsum(values):
    import pathgrad

    return pathgrad.sum(values)


def ladder(k):
    """k diamonds in a row: x -> (2x, 3x) -> sum -> ... has 2**k paths."""
    x = Value(1.0, "x")
    y = x
    for _ in range(k):
        y = y * 0.5 + y * 0.5
    return x, y


def test_a_ladder_of_60_diamonds_has_2_to_the_60_paths_counted_exactly():
    x, y = ladder(60)
    assert count_paths(y, x) == 2**60


def test_listing_paths_past_the_limit_says_how_many_and_why_backward_does_not_need_to():
    x, y = ladder(20)
    with pytest.raises(PathLimitExceeded, match=r"1048576 paths .* limit of 10000.*backward"):
        all_paths(y, x)
    assert issubclass(PathLimitExceeded, ValueError)


def test_a_ladder_path_sum_equals_backward():
    x, y = ladder(10)
    paths = all_paths(y, x)
    y.backward()
    assert len(paths) == 1024
    assert math.fsum(p.product for p in paths) == pytest.approx(x.grad)


def test_a_repeated_operand_gives_two_paths():
    a = Value(3.0)
    y = a * a
    assert [p.local_grads for p in all_paths(y, a)] == [(3.0,), (3.0,)]


def test_the_root_has_one_empty_path_to_itself_and_an_unrelated_value_none(colah):
    (path,) = all_paths(colah["e"], colah["e"])
    assert (path.nodes, path.local_grads, path.product) == ((colah["e"],), (), 1.0)
    assert all_paths(colah["e"], Value(1.0)) == []
    assert count_paths(colah["e"], Value(1.0)) == 0


def test_a_long_chain_has_one_path_and_listing_it_needs_no_recursion():
    x = Value(1.0)
    y = x
    for _ in range(5000):
        y = y + 1
    (path,) = all_paths(y, x)
    assert len(path.nodes) == 5001
