"""Toy data sets for classifiers in the plane, a train/test split and mini-batches.

Each generator returns X, n points in the plane, and y, their integer labels
in 0..k-1, in scikit-learn's order. Where numpy imports, X is an (n, 2)
float64 array and y an intp array; where it cannot (pathgrad in the browser),
X is a list of [x1, x2] lists of floats and y a list of ints. The numbers are
the same either way: they are computed in plain Python (`math.cos`, and
numpy's linspace formula), and drawn from `legacy_random.RandomState`, numpy's
`RandomState` written in Python, which gives the very draws numpy's does.

`seed` is an int (or None for fresh randomness), and make_moons, make_circles,
make_blobs and train_test_split draw in scikit-learn's order:
`make_moons(100, noise=0.1, seed=1337)` is the very data set of micrograd's
demo (`np.random.seed(1337); sklearn.datasets.make_moons(100, noise=0.1)`).
A numpy `RandomState` may be passed as the seed too, and is drawn from as is.
"""

import math
import random
import sys
from numbers import Integral, Real
from pathlib import Path

from .arrays import arrays_if_numpy, as_lists, np, shape_of  # numpy on first use: `import pathgrad.nn` needs none
from .legacy_random import RandomState

from pathgrad.engine.validation import RefusedValue, integer, number, positive_int


def random_state(seed):
    """The generator a seed names: an int (or None: fresh) gives a RandomState; one given is used as is.

    A RandomState is legacy_random's, or numpy's own: they make the same draws.

    >>> random_state(0).randint(10)
    5
    """
    numpy = sys.modules.get("numpy")  # a numpy RandomState can only come from an imported numpy
    if isinstance(seed, RandomState) or (numpy is not None and isinstance(seed, numpy.random.RandomState)):
        return seed
    if seed is None:
        seed = random.SystemRandom().getrandbits(32)
    return RandomState(integer("data", "seed", seed, low=0, high=2**32 - 1))


def _linspace(start, stop, num, endpoint=True):
    """numpy's linspace: i * step + start for i in 0..num-1, step = (stop - start) / (num - 1), the last = stop.

    Without the endpoint the step is (stop - start) / num and stop is left out.
    """
    div = num - 1 if endpoint else num
    step = (stop - start) / div if div > 0 else 0.0
    points = [i * step + start for i in range(num)]
    if endpoint and num > 1:
        points[-1] = stop
    return points


def _check_noise(op, noise):
    if noise is not None:
        number(op, "noise", noise, low=0.0)


def _shuffle_and_noise(X, y, rng, shuffle, noise):
    """scikit-learn's ending: permute the samples, then add N(0, noise^2) to every coordinate."""
    if shuffle:
        order = list(range(len(X)))
        rng.shuffle(order)
        X, y = [X[i] for i in order], [y[i] for i in order]
    if noise is not None:
        jitter = as_lists(rng.normal(scale=noise, size=(len(X), 2)))
        X = [[a + da, b + db] for (a, b), (da, db) in zip(X, jitter)]
    return arrays_if_numpy(X, y)


def make_moons(n_samples=100, noise=None, seed=None, shuffle=True):
    """Two interleaving half circles: class 0 on top, class 1 below, as sklearn's make_moons.

    Class 0: (cos t, sin t); class 1: (1 - cos t, 1/2 - sin t), for t evenly
    spaced in [0, pi]; then Gaussian noise of standard deviation `noise`.
    numpy arrays where numpy imports, else lists (see the module's docstring).

    >>> X, y = make_moons(100, noise=0.1, seed=1337)
    >>> len(X), sorted(set(y.tolist()))
    (100, [0, 1])
    """
    n_samples = integer("make_moons", "n_samples", n_samples, low=2)
    _check_noise("make_moons", noise)
    rng = random_state(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    outer = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n_out)]
    inner = [[1 - math.cos(t), 1 - math.sin(t) - 0.5] for t in _linspace(0.0, math.pi, n_in)]
    return _shuffle_and_noise(outer + inner, [0] * n_out + [1] * n_in, rng, shuffle, noise)


def make_circles(n_samples=100, noise=None, seed=None, factor=0.8, shuffle=True):
    """A large circle (class 0) around a small one of radius `factor` (class 1), as sklearn's.

    numpy arrays where numpy imports, else lists (see the module's docstring).

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
    outer = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, 2 * math.pi, n_out, endpoint=False)]
    inner = [
        [math.cos(t) * factor, math.sin(t) * factor]
        for t in _linspace(0.0, 2 * math.pi, n_in, endpoint=False)
    ]
    return _shuffle_and_noise(outer + inner, [0] * n_out + [1] * n_in, rng, shuffle, noise)


def make_blobs(n_samples=100, centers=3, cluster_std=1.0, center_box=(-10.0, 10.0), seed=None,
               shuffle=True):
    """Gaussian blobs in the plane, one class per center, as sklearn's make_blobs.

    `centers` is a count (drawn uniformly in `center_box`) or a list of (x, y)
    points. Samples are shared out evenly, the first centers taking the
    remainder. numpy arrays where numpy imports, else lists (see the module's docstring).

    >>> X, y = make_blobs(90, centers=[(0, 0), (5, 5), (-5, 5)], cluster_std=0.5, seed=0)
    >>> len(X), [y.tolist().count(k) for k in range(3)]
    (90, [30, 30, 30])
    """
    n_samples = positive_int("make_blobs", "n_samples", n_samples)
    cluster_std = number("make_blobs", "cluster_std", cluster_std, low=0.0)
    rng = random_state(seed)
    if isinstance(centers, Integral) and not isinstance(centers, bool):
        if centers < 1:
            raise RefusedValue(
                f"make_blobs: got centers = {centers!r}; "
                "expected a count >= 1 or a list of points"
            )
        centers = as_lists(rng.uniform(center_box[0], center_box[1], size=(centers, 2)))
    else:
        centers = as_lists(centers)
        shape = shape_of(centers)
        if len(shape) != 2 or shape[0] == 0 or any(shape_of(c) != (2,) for c in centers):
            raise RefusedValue(
                f"make_blobs: got centers of shape {shape}; "
                "expected a count or a list of (x, y) points"
            )
        centers = [[float(a), float(b)] for a, b in centers]
    k = len(centers)
    counts = [n_samples // k + (1 if i < n_samples % k else 0) for i in range(k)]
    X, y = [], []
    for i, ((cx, cy), n) in enumerate(zip(centers, counts)):
        # numpy's normal(loc=c, scale=cluster_std): c + cluster_std * g, coordinate by coordinate
        X += [[cx + cluster_std * gx, cy + cluster_std * gy] for gx, gy in as_lists(rng.normal(size=(n, 2)))]
        y += [i] * n
    return _shuffle_and_noise(X, y, rng, shuffle, None)


def make_spiral(n_samples=300, n_classes=3, noise=0.2, seed=None, shuffle=True):
    """`n_classes` interleaved spiral arms (CS231n's spiral), a classic non-linear problem.

    Arm j: radius r evenly in [0, 1], angle t = 4 (j + r) + N(0, noise^2),
    point (r sin t, r cos t). numpy arrays where numpy imports, else lists (see
    the module's docstring).

    >>> X, y = make_spiral(300, n_classes=3, seed=0)
    >>> len(X), [y.tolist().count(k) for k in range(3)]
    (300, [100, 100, 100])
    """
    n_samples = positive_int("make_spiral", "n_samples", n_samples)
    _check_noise("make_spiral", noise)
    n_classes = integer("make_spiral", "n_classes", n_classes, low=2)
    rng = random_state(seed)
    X, y = [], []
    for j in range(n_classes):
        n = n_samples // n_classes + (1 if j < n_samples % n_classes else 0)
        jitter = as_lists(rng.normal(scale=noise or 0.0, size=n))
        angles = [t + dt for t, dt in zip(_linspace(4.0 * j, 4.0 * (j + 1), n), jitter)]
        X += [[r * math.sin(t), r * math.cos(t)] for r, t in zip(_linspace(0.0, 1.0, n), angles)]
        y += [j] * n
    return _shuffle_and_noise(X, y, rng, shuffle, None)


def make_xor(n_samples=200, noise=None, seed=None):
    """Points uniform in [-1, 1]^2, label 1 where exactly one coordinate is positive (XOR).

    No single line separates the classes: the problem that needs a hidden
    layer. `noise` then jitters the points (labels stay those of the clean
    points). numpy arrays where numpy imports, else lists (see the module's docstring).

    >>> X, y = make_xor(100, seed=0)
    >>> [int((a > 0) != (b > 0)) for a, b in X.tolist()] == y.tolist()
    True
    """
    n_samples = positive_int("make_xor", "n_samples", n_samples)
    _check_noise("make_xor", noise)
    rng = random_state(seed)
    X = as_lists(rng.uniform(-1.0, 1.0, size=(n_samples, 2)))
    y = [int((a > 0) != (b > 0)) for a, b in X]
    return _shuffle_and_noise(X, y, rng, False, noise)


def _check_pair(op, X, y):
    if len(X) != len(y):
        raise RefusedValue(
            f"{op}: got {len(X)} samples in X and {len(y)} labels in y; "
            "expected the same number"
        )


def _take(items, chosen):
    """items[chosen], for an array (numpy's indexing) or a list (a list of the chosen items)."""
    return items[chosen] if isinstance(items, np.ndarray) else [items[i] for i in chosen]


def train_test_split(X, y, test_size=0.25, seed=None, shuffle=True):
    """Split into (X_train, X_test, y_train, y_test), scikit-learn's order and draw.

    A float test_size is a fraction (the test count rounds up), an int a count.
    Arrays are split into arrays, lists into lists.

    >>> X, y = make_moons(100, seed=0)
    >>> [len(a) for a in train_test_split(X, y, test_size=0.2, seed=0)]
    [80, 20, 80, 20]
    """
    _check_pair("train_test_split", X, y)
    n = len(X)
    if isinstance(test_size, Integral) and not isinstance(test_size, bool):
        n_test = int(test_size)
    elif isinstance(test_size, Real) and 0 < test_size < 1:
        n_test = math.ceil(test_size * n)
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
    order = as_lists(random_state(seed).permutation(n)) if shuffle else list(range(n))
    test, train = order[:n_test], order[n_test:]
    return _take(X, train), _take(X, test), _take(y, train), _take(y, test)


def batches(X, y, batch_size=32, shuffle=True, seed=None):
    """Yield (X_batch, y_batch) pairs of at most `batch_size` samples that cover the data once.

    With shuffle, the order is a fresh permutation drawn from `seed`. Arrays
    are cut into arrays, lists into lists.

    >>> X, y = make_moons(10, seed=0)
    >>> [len(xb) for xb, yb in batches(X, y, batch_size=4, seed=0)]
    [4, 4, 2]
    """
    _check_pair("batches", X, y)
    batch_size = positive_int("batches", "batch_size", batch_size)
    order = as_lists(random_state(seed).permutation(len(X))) if shuffle else list(range(len(X)))
    for start in range(0, len(X), batch_size):
        chosen = order[start : start + batch_size]
        yield _take(X, chosen), _take(y, chosen)


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
