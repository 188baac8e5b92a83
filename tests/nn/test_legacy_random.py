"""legacy_random.RandomState against numpy's RandomState: the same draws, bit for bit."""

import numpy as np
import pytest

from pathgrad.nn import data
from pathgrad.nn.legacy_random import RandomState

SEEDS = [0, 1, 1337, 2**32 - 1]


def pair(seed):
    return RandomState(seed), np.random.RandomState(seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_sample_is_numpys_bit_for_bit_past_several_twists(seed):
    ours, theirs = pair(seed)
    assert ours.random_sample(2000) == theirs.random_sample(2000).tolist()  # 4000 words: 7 twists
    assert ours.random_sample() == theirs.random_sample()


@pytest.mark.parametrize("seed", SEEDS)
def test_uniform_is_numpys_for_scalars_lists_and_shapes(seed):
    ours, theirs = pair(seed)
    assert ours.uniform() == theirs.uniform()
    assert ours.uniform(-1.0, 1.0, size=7) == theirs.uniform(-1.0, 1.0, size=7).tolist()
    assert ours.uniform(-10, 10, size=(5, 2)) == theirs.uniform(-10, 10, size=(5, 2)).tolist()


@pytest.mark.parametrize("seed", SEEDS)
def test_normal_is_numpys_with_the_cached_second_value_across_calls(seed):
    ours, theirs = pair(seed)
    # odd counts leave Box-Muller's second normal cached; the next call, of any kind in between, must keep it
    assert ours.normal(size=3) == theirs.normal(size=3).tolist()
    assert ours.random_sample() == theirs.random_sample()
    assert ours.normal(0.5, 2.0) == theirs.normal(0.5, 2.0)
    assert ours.permutation(10) == theirs.permutation(10).tolist()
    assert ours.normal(scale=0.1, size=(3, 2)) == theirs.normal(scale=0.1, size=(3, 2)).tolist()
    assert ours.normal(size=5) == theirs.normal(size=5).tolist()
    assert ours.uniform(size=3) == theirs.uniform(size=3).tolist()
    assert ours.normal(1.0, 0.0, size=4) == theirs.normal(1.0, 0.0, size=4).tolist()
    assert ours.normal(size=1001) == theirs.normal(size=1001).tolist()


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", [1, 2, 10, 1000])
def test_shuffle_and_permutation_are_numpys(seed, n):
    ours, theirs = pair(seed)
    assert ours.permutation(n) == theirs.permutation(n).tolist()
    items, array = list(range(n)), np.arange(n)
    ours.shuffle(items)
    theirs.shuffle(array)
    assert items == array.tolist()
    assert ours.random_sample() == theirs.random_sample()  # and the same number of words drawn


@pytest.mark.parametrize("seed", SEEDS)
def test_randint_is_numpys_for_small_and_wide_ranges(seed):
    ours, theirs = pair(seed)
    assert ours.randint(10) == theirs.randint(10)
    assert ours.randint(-5, 5, size=20) == theirs.randint(-5, 5, size=20).tolist()
    assert ours.randint(0, 1) == theirs.randint(0, 1)  # one possible value: no draw
    assert ours.randint(2**32, size=5) == theirs.randint(2**32, size=5).tolist()  # every 32-bit word
    assert ours.randint(2**40, size=5) == theirs.randint(2**40, size=5).tolist()  # 64-bit draws
    assert ours.random_sample() == theirs.random_sample()


def test_randint_refuses_an_empty_range():
    with pytest.raises(ValueError, match="randint: got low = 3 and high = 3; expected low < high"):
        RandomState(0).randint(3, 3)


def test_data_random_state_gives_the_pure_generator_for_an_int_and_none():
    assert isinstance(data.random_state(7), RandomState)
    assert isinstance(data.random_state(None), RandomState)
    assert data.random_state(7).random_sample(3) == np.random.RandomState(7).random_sample(3).tolist()


@pytest.mark.parametrize("make", [RandomState, np.random.RandomState])
def test_data_random_state_uses_a_generator_given_as_is(make):
    rng = make(3)
    assert data.random_state(rng) is rng


@pytest.mark.parametrize("make", [data.make_moons, data.make_circles, data.make_blobs, data.make_spiral, data.make_xor])
def test_a_numpy_random_state_makes_the_same_data_set_as_its_seed(make):
    X, y = make(61, seed=np.random.RandomState(11))
    X_seed, y_seed = make(61, seed=11)
    assert X.tolist() == X_seed.tolist() and y.tolist() == y_seed.tolist()


@pytest.mark.parametrize("seed, error, message", [
    (-1, ValueError, r"data: got seed = -1; expected an integer"),
    (2**32, ValueError, r"data: got seed = 4294967296; expected an integer"),
    (1.0, TypeError, r"data: got seed = 1.0 \(float\); expected an integer"),
    (True, TypeError, r"data: got seed = True \(bool\); expected an integer"),
])
def test_bad_seeds_are_refused_naming_the_seed(seed, error, message):
    with pytest.raises(error, match=message):
        data.random_state(seed)
