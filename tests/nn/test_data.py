"""Toy data sets, train_test_split and batches: shapes, labels, geometry, determinism, errors."""

import math

import numpy as np
import pytest

from pathgrad.nn import data


def numpy_moons(n, noise, seed):
    """scikit-learn's make_moons, written with numpy as it is (and as pathgrad's was)."""
    rng = np.random.RandomState(seed)
    n_out, n_in = n // 2, n - n // 2
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.vstack([np.append(np.cos(t_out), 1 - np.cos(t_in)), np.append(np.sin(t_out), 1 - np.sin(t_in) - 0.5)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    order = np.arange(n)
    rng.shuffle(order)
    return X[order] + rng.normal(scale=noise, size=X.shape), y[order]


def numpy_circles(n, noise, seed, factor):
    rng = np.random.RandomState(seed)
    n_out, n_in = n // 2, n - n // 2
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.append(np.cos(t_out), np.cos(t_in) * factor), np.append(np.sin(t_out), np.sin(t_in) * factor)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    order = np.arange(n)
    rng.shuffle(order)
    return X[order] + rng.normal(scale=noise, size=X.shape), y[order]


def numpy_blobs_and_spiral(n, seed):
    rng = np.random.RandomState(seed)
    centers = rng.uniform(-10.0, 10.0, size=(3, 2))
    counts = [n // 3 + (1 if i < n % 3 else 0) for i in range(3)]
    blobs = np.concatenate([rng.normal(loc=c, scale=0.7, size=(k, 2)) for c, k in zip(centers, counts)])
    arms = []
    for j, k in enumerate(counts):
        r = np.linspace(0.0, 1.0, k)
        t = np.linspace(4.0 * j, 4.0 * (j + 1), k) + rng.normal(scale=0.2, size=k)
        arms.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
    return blobs, np.concatenate(arms)


def within_an_ulp(X, X_numpy):
    """Points equal to numpy's to 1 ulp: math.cos and np.cos may round differently on some machines.

    On this one (CPython 3.11, numpy 2.4, x86-64 glibc) they are equal to the bit.
    """
    return X.shape == X_numpy.shape and all(
        abs(a - b) <= math.ulp(b) for a, b in zip(X.ravel().tolist(), X_numpy.ravel().tolist())
    )


@pytest.mark.parametrize("n, seed", [(100, 1337), (7, 0), (2, 5), (301, 2**32 - 1)])
def test_data_sets_are_their_numpy_formulas_to_the_last_bit(n, seed):
    X, y = data.make_moons(n, noise=0.1, seed=seed)
    X_np, y_np = numpy_moons(n, 0.1, seed)
    assert within_an_ulp(X, X_np) and y.tolist() == y_np.tolist()
    X, y = data.make_circles(n, noise=0.05, seed=seed, factor=0.3)
    X_np, y_np = numpy_circles(n, 0.05, seed, 0.3)
    assert within_an_ulp(X, X_np) and y.tolist() == y_np.tolist()
    blobs, spiral = numpy_blobs_and_spiral(n, seed)
    rng = np.random.RandomState(seed)  # one generator through both, as numpy_blobs_and_spiral draws
    assert data.make_blobs(n, cluster_std=0.7, seed=rng, shuffle=False)[0].tolist() == blobs.tolist()  # no cos
    assert within_an_ulp(data.make_spiral(n, n_classes=3, seed=rng, shuffle=False)[0], spiral)


def test_moons_lie_on_two_half_circles_without_noise():
    X, y = data.make_moons(101, seed=0)
    assert X.shape == (101, 2) and y.dtype.kind == "i"
    assert np.bincount(y).tolist() == [50, 51]  # sklearn: n // 2 outer, the rest inner
    top, bottom = X[y == 0], X[y == 1]
    assert np.allclose(np.hypot(top[:, 0], top[:, 1]), 1.0) and (top[:, 1] >= -1e-12).all()
    assert np.allclose(np.hypot(bottom[:, 0] - 1, bottom[:, 1] - 0.5), 1.0) and (bottom[:, 1] <= 0.5 + 1e-12).all()


def test_moons_noise_has_the_requested_standard_deviation():
    clean, y_clean = data.make_moons(4000, seed=5)
    noisy, y_noisy = data.make_moons(4000, noise=0.1, seed=5)
    # same seed: the same shuffle, then noise drawn on top
    assert (y_clean == y_noisy).all()
    assert np.std(noisy - clean) == pytest.approx(0.1, rel=0.05)


def test_without_shuffle_the_classes_come_in_order():
    _, y = data.make_moons(10, seed=0, shuffle=False)
    assert y.tolist() == [0] * 5 + [1] * 5


@pytest.mark.parametrize("make", [data.make_moons, data.make_circles, data.make_blobs, data.make_spiral, data.make_xor])
def test_a_seed_fixes_the_data_and_another_seed_changes_it(make):
    X1, y1 = make(60, seed=1)
    X2, y2 = make(60, seed=1)
    X3, _ = make(60, seed=2)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert X1.shape == (60, 2) and y1.shape == (60,)


def test_circles_have_radii_1_and_factor():
    X, y = data.make_circles(50, factor=0.3, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(radius[y == 0], 1.0) and np.allclose(radius[y == 1], 0.3)


def test_blobs_share_samples_out_and_sit_around_their_centers():
    centers = [(0.0, 0.0), (10.0, 10.0), (-10.0, 5.0)]
    X, y = data.make_blobs(3001, centers=centers, cluster_std=0.5, seed=0)
    assert np.bincount(y).tolist() == [1001, 1000, 1000]
    for k, center in enumerate(centers):
        assert X[y == k].mean(axis=0) == pytest.approx(center, abs=0.05)
        assert X[y == k].std(axis=0) == pytest.approx([0.5, 0.5], rel=0.08)


def test_blob_centers_drawn_by_count_lie_in_the_center_box():
    X, y = data.make_blobs(300, centers=4, cluster_std=0.01, center_box=(-2.0, 2.0), seed=0)
    assert sorted(set(y.tolist())) == [0, 1, 2, 3]
    assert (np.abs(X) < 2.1).all()


def test_spiral_has_balanced_classes_inside_the_unit_disc():
    X, y = data.make_spiral(301, n_classes=4, seed=0)
    assert np.bincount(y).tolist() == [76, 75, 75, 75]
    assert (np.hypot(X[:, 0], X[:, 1]) <= 1 + 1e-12).all()


def test_xor_labels_are_one_where_exactly_one_coordinate_is_positive():
    X, y = data.make_xor(200, seed=0)
    assert (y == ((X[:, 0] > 0) ^ (X[:, 1] > 0))).all()
    assert 60 < y.sum() < 140


def test_train_test_split_returns_sklearns_order_and_covers_every_sample_once():
    X = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0)
    assert len(X_test) == 3 and len(X_train) == 7  # ceil(0.25 * 10) = 3
    assert sorted(y_train.tolist() + y_test.tolist()) == list(range(10))
    assert (X_train[:, 0] == 2 * y_train).all() and (X_test[:, 0] == 2 * y_test).all()  # rows stay paired


def test_train_test_split_is_fixed_by_its_seed_and_takes_a_count():
    X, y = data.make_moons(40, seed=0)
    a = data.train_test_split(X, y, test_size=10, seed=3)
    b = data.train_test_split(X, y, test_size=10, seed=3)
    assert len(a[1]) == 10 and all(np.array_equal(p, q) for p, q in zip(a, b))


def test_train_test_split_without_shuffle_keeps_the_order():
    X, y = np.arange(8).reshape(4, 2), np.arange(4)
    _, _, y_train, y_test = data.train_test_split(X, y, test_size=0.25, shuffle=False)
    assert y_test.tolist() == [0] and y_train.tolist() == [1, 2, 3]


def test_batches_cover_the_data_once_in_batches_of_at_most_batch_size():
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    chunks = list(data.batches(X, y, batch_size=4, seed=0))
    assert [len(xb) for xb, _ in chunks] == [4, 4, 2]
    seen = np.concatenate([yb for _, yb in chunks])
    assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))
    assert all((xb[:, 0] == 2 * yb).all() for xb, yb in chunks)


def test_lists_are_split_and_batched_into_lists_in_the_same_order_as_arrays():
    X, y = [[float(i), -float(i)] for i in range(10)], list(range(10))
    parts = data.train_test_split(X, y, test_size=3, seed=4)
    array_parts = data.train_test_split(np.array(X), np.array(y), test_size=3, seed=4)
    assert all(type(part) is list for part in parts)
    assert all(isinstance(part, np.ndarray) for part in array_parts)
    assert list(parts) == [part.tolist() for part in array_parts]
    chunks = list(data.batches(X, y, batch_size=4, seed=4))
    array_chunks = list(data.batches(np.array(X), np.array(y), batch_size=4, seed=4))
    assert all(type(xb) is list and type(yb) is list for xb, yb in chunks)
    assert chunks == [(xb.tolist(), yb.tolist()) for xb, yb in array_chunks]


def test_batches_without_shuffle_keep_the_order():
    X, y = np.zeros((5, 2)), np.arange(5)
    assert [yb.tolist() for _, yb in data.batches(X, y, batch_size=2, shuffle=False)] == [[0, 1], [2, 3], [4]]


@pytest.mark.parametrize("call, message", [
    (lambda: data.make_moons(1), "make_moons: got n_samples = 1; expected an integer >= 2"),
    (lambda: data.make_moons(10, noise=-0.1), "make_moons: got noise = -0.1"),
    (lambda: data.make_circles(10, factor=1.0), r"make_circles: got factor = 1.0; expected a number in \[0, 1\)"),
    (lambda: data.make_blobs(10, centers=0), "make_blobs: got centers = 0"),
    (lambda: data.make_blobs(10, centers=[1, 2, 3]), r"make_blobs: got centers of shape \(3,\)"),
    (lambda: data.make_spiral(10, n_classes=1), "make_spiral: got n_classes = 1"),
    (lambda: data.train_test_split(np.zeros((4, 2)), np.zeros(3)), "got 4 samples in X and 3 labels in y"),
    (lambda: data.train_test_split(np.zeros((4, 2)), np.zeros(4), test_size=1.5), "got test_size = 1.5"),
    (lambda: data.train_test_split(np.zeros((4, 2)), np.zeros(4), test_size=4), "leaves 4 of 4 samples"),
    (lambda: list(data.batches(np.zeros((4, 2)), np.zeros(4), batch_size=0)), "got batch_size = 0"),
])
def test_bad_arguments_raise_value_error_naming_them(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: data.make_moons(10, seed=1.5), r"data: got seed = 1.5 \(float\); expected an integer"),
    (lambda: data.make_moons(10.0), r"make_moons: got n_samples = 10.0 \(float\); expected an integer"),
    (lambda: data.make_blobs(10, cluster_std="wide"), "make_blobs: got cluster_std = 'wide' \\(str\\)"),
])
def test_arguments_of_the_wrong_type_raise_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_load_names_reads_makemores_32033_lower_case_names():
    names = data.load_names()
    assert len(names) == 32033
    assert names[:3] == ["emma", "olivia", "ava"] and names[-1] == "zzyzx"
    assert set("".join(names)) == set("abcdefghijklmnopqrstuvwxyz")
