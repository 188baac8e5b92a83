"""Toy data sets for classifiers in the plane, a train/test split and mini-batches (numpy only).

Each generator returns X, an (n, 2) float array, and y, integer labels in
0..k-1, in scikit-learn's order. `seed` is an int (or None for fresh
randomness) fed to numpy's `RandomState`, the generator scikit-learn uses, and
make_moons, make_circles, make_blobs and train_test_split draw in scikit-learn's
order: `make_moons(100, noise=0.1, seed=1337)` is the very data set of
micrograd's demo (`np.random.seed(1337); sklearn.datasets.make_moons(100, noise=0.1)`).
"""

from numbers import Integral, Real
from pathlib import Path

from .arrays import np  # numpy on first use: `import pathgrad.nn` needs none

from pathgrad.engine.validation import RefusedValue, integer, number, positive_int


def random_state(seed):
    """numpy's RandomState from an int seed, None (fresh) or a RandomState (used as is).

    >>> int(random_state(0).randint(10))
    5
    """
    if isinstance(seed, np.random.RandomState):
        return seed
    return np.random.RandomState(None if seed is None else integer("data", "seed", seed, low=0, high=2**32 - 1))


def _check_noise(op, noise):
    if noise is not None:
        number(op, "noise", noise, low=0.0)


def _shuffle_and_noise(X, y, rng, shuffle, noise):
    """scikit-learn's ending: permute the samples, then add N(0, noise^2) to every coordinate."""
    if shuffle:
        order = np.arange(len(X))
        rng.shuffle(order)
        X, y = X[order], y[order]
    if noise is not None:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, y


def make_moons(n_samples=100, noise=None, seed=None, shuffle=True):
    """Two interleaving half circles: class 0 on top, class 1 below, as sklearn's make_moons.

    Class 0: (cos t, sin t); class 1: (1 - cos t, 1/2 - sin t), for t evenly
    spaced in [0, pi]; then Gaussian noise of standard deviation `noise`.

    >>> X, y = make_moons(100, noise=0.1, seed=1337)
    >>> X.shape, sorted(set(y.tolist()))
    ((100, 2), [0, 1])
    """
    n_samples = integer("make_moons", "n_samples", n_samples, low=2)
    _check_noise("make_moons", noise)
    rng = random_state(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.vstack([
        np.append(np.cos(t_out), 1 - np.cos(t_in)),
        np.append(np.sin(t_out), 1 - np.sin(t_in) - 0.5),
    ]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    return _shuffle_and_noise(X, y, rng, shuffle, noise)


def make_circles(n_samples=100, noise=None, seed=None, factor=0.8, shuffle=True):
    """A large circle (class 0) around a small one of radius `factor` (class 1), as sklearn's.

    >>> X, y = make_circles(8, seed=0, shuffle=False)
    >>> [round(float(x), 2) for x in X[4]], int(y[4])
    ([0.8, 0.0], 1)
    """
    n_samples = integer("make_circles", "n_samples", n_samples, low=2)
    _check_noise("make_circles", noise)
    if not 0 <= number("make_circles", "factor", factor) < 1:
        raise RefusedValue(f"make_circles: got factor = {factor!r}; expected a number in [0, 1)")
    rng = random_state(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([
        np.append(np.cos(t_out), np.cos(t_in) * factor),
        np.append(np.sin(t_out), np.sin(t_in) * factor),
    ]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    return _shuffle_and_noise(X, y, rng, shuffle, noise)


def make_blobs(n_samples=100, centers=3, cluster_std=1.0, center_box=(-10.0, 10.0), seed=None,
               shuffle=True):
    """Gaussian blobs in the plane, one class per center, as sklearn's make_blobs.

    `centers` is a count (drawn uniformly in `center_box`) or a list of (x, y)
    points. Samples are shared out evenly, the first centers taking the
    remainder.

    >>> X, y = make_blobs(90, centers=[(0, 0), (5, 5), (-5, 5)], cluster_std=0.5, seed=0)
    >>> X.shape, np.bincount(y).tolist()
    ((90, 2), [30, 30, 30])
    """
    n_samples = positive_int("make_blobs", "n_samples", n_samples)
    number("make_blobs", "cluster_std", cluster_std, low=0.0)
    rng = random_state(seed)
    if isinstance(centers, Integral) and not isinstance(centers, bool):
        if centers < 1:
            raise RefusedValue(
                f"make_blobs: got centers = {centers!r}; "
                "expected a count >= 1 or a list of points"
            )
        centers = rng.uniform(center_box[0], center_box[1], size=(centers, 2))
    else:
        centers = np.asarray(centers, dtype=float)
        if centers.ndim != 2 or centers.shape[1] != 2 or len(centers) == 0:
            raise RefusedValue(
                f"make_blobs: got centers of shape {centers.shape}; "
                "expected a count or a list of (x, y) points"
            )
    k = len(centers)
    counts = [n_samples // k + (1 if i < n_samples % k else 0) for i in range(k)]
    X = np.concatenate(
        [rng.normal(loc=c, scale=cluster_std, size=(n, 2)) for c, n in zip(centers, counts)]
    )
    y = np.concatenate([np.full(n, i, dtype=np.intp) for i, n in enumerate(counts)])
    return _shuffle_and_noise(X, y, rng, shuffle, None)


def make_spiral(n_samples=300, n_classes=3, noise=0.2, seed=None, shuffle=True):
    """`n_classes` interleaved spiral arms (CS231n's spiral), a classic non-linear problem.

    Arm j: radius r evenly in [0, 1], angle t = 4 (j + r) + N(0, noise^2),
    point (r sin t, r cos t).

    >>> X, y = make_spiral(300, n_classes=3, seed=0)
    >>> X.shape, np.bincount(y).tolist()
    ((300, 2), [100, 100, 100])
    """
    n_samples = positive_int("make_spiral", "n_samples", n_samples)
    _check_noise("make_spiral", noise)
    n_classes = integer("make_spiral", "n_classes", n_classes, low=2)
    rng = random_state(seed)
    parts, labels = [], []
    for j in range(n_classes):
        n = n_samples // n_classes + (1 if j < n_samples % n_classes else 0)
        r = np.linspace(0.0, 1.0, n)
        t = np.linspace(4.0 * j, 4.0 * (j + 1), n) + rng.normal(scale=noise or 0.0, size=n)
        parts.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        labels.append(np.full(n, j, dtype=np.intp))
    X, y = np.concatenate(parts), np.concatenate(labels)
    return _shuffle_and_noise(X, y, rng, shuffle, None)


def make_xor(n_samples=200, noise=None, seed=None):
    """Points uniform in [-1, 1]^2, label 1 where exactly one coordinate is positive (XOR).

    No single line separates the classes: the problem that needs a hidden
    layer. `noise` then jitters the points (labels stay those of the clean points).

    >>> X, y = make_xor(100, seed=0)
    >>> bool(((X[:, 0] > 0) != (X[:, 1] > 0)).astype(int).tolist() == y.tolist())
    True
    """
    n_samples = positive_int("make_xor", "n_samples", n_samples)
    _check_noise("make_xor", noise)
    rng = random_state(seed)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.intp)
    return _shuffle_and_noise(X, y, rng, False, noise)


def _check_pair(op, X, y):
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise RefusedValue(
            f"{op}: got {len(X)} samples in X and {len(y)} labels in y; "
            "expected the same number"
        )
    return X, y


def train_test_split(X, y, test_size=0.25, seed=None, shuffle=True):
    """Split into (X_train, X_test, y_train, y_test), scikit-learn's order and draw.

    A float test_size is a fraction (the test count rounds up), an int a count.

    >>> X, y = make_moons(100, seed=0)
    >>> [len(a) for a in train_test_split(X, y, test_size=0.2, seed=0)]
    [80, 20, 80, 20]
    """
    X, y = _check_pair("train_test_split", X, y)
    n = len(X)
    if isinstance(test_size, Integral) and not isinstance(test_size, bool):
        n_test = int(test_size)
    elif isinstance(test_size, Real) and 0 < test_size < 1:
        n_test = int(np.ceil(test_size * n))
    else:
        raise RefusedValue(
            f"train_test_split: got test_size = {test_size!r}; "
            "expected a fraction in (0, 1) or a count"
        )
    if not 0 < n_test < n:
        raise RefusedValue(
            f"train_test_split: test_size = {test_size!r} leaves {n_test} of {n} samples "
            "for testing; both parts need at least one"
        )
    order = random_state(seed).permutation(n) if shuffle else np.arange(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def batches(X, y, batch_size=32, shuffle=True, seed=None):
    """Yield (X_batch, y_batch) pairs of at most `batch_size` samples that cover the data once.

    With shuffle, the order is a fresh permutation drawn from `seed`.

    >>> X, y = make_moons(10, seed=0)
    >>> [len(xb) for xb, yb in batches(X, y, batch_size=4, seed=0)]
    [4, 4, 2]
    """
    X, y = _check_pair("batches", X, y)
    batch_size = positive_int("batches", "batch_size", batch_size)
    order = random_state(seed).permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        chosen = order[start : start + batch_size]
        yield X[chosen], y[chosen]


_NAMES = Path(__file__).with_name("datasets") / "names.txt"


def load_names():
    """The 32,033 names of karpathy/makemore's names.txt (MIT), lower case, in file order.

    The data set of a character-level language model such as notebook 08's
    scalar GPT; its source and license are in pathgrad/nn/datasets/.

    >>> names = load_names()
    >>> len(names), names[:3]
    (32033, ['emma', 'olivia', 'ava'])
    """
    return _NAMES.read_text(encoding="utf-8").split()
