"""Loss functions, built from engine operations so every step can be drawn and checked.

Names and values follow torch.nn.functional (mean over the batch). Each takes
Values or plain numbers. Regression losses take a batch of predictions (each
a scalar, or a list for several outputs) and the matching targets.

Stability: softmax, log_softmax and cross_entropy shift the scores by their
largest value before exponentiating (the log-sum-exp trick), so logits of
1000 are fine; bce_with_logits uses softplus, which never overflows;
probabilities given to bce and cross_entropy(from_logits=False) are clamped
to [EPS, 1 - EPS] so that log never sees 0. A batch whose loss would
overflow a float is refused by the engine's own rule, with an OverflowError
naming the operation.
"""

import math
from numbers import Integral, Real
from typing import Callable, NamedTuple, Optional

from .arrays import np  # numpy on first use: `import pathgrad.nn` needs none

from pathgrad.engine import Value, maximum, minimum
from pathgrad.engine import sum as value_sum
from pathgrad.engine.ops import data_of
from pathgrad.engine.validation import RefusedType, RefusedValue, as_value

EPS = 1e-12  # probabilities are clamped to [EPS, 1 - EPS] before log


def mse(predictions, targets):
    """Mean squared error: (1/n) sum_i (p_i - t_i)^2, as F.mse_loss.

    d/dp_i = 2 (p_i - t_i) / n.

    >>> mse([Value(1.0), Value(3.0)], [0.0, 1.0]).data
    2.5
    """
    return _mean([(p - t) ** 2 for p, t in _pairs("mse", predictions, targets)])


def mae(predictions, targets):
    """Mean absolute error: (1/n) sum_i |p_i - t_i|, as F.l1_loss.

    d/dp_i = sign(p_i - t_i) / n.

    >>> mae([Value(1.0), Value(3.0)], [0.0, 1.0]).data
    1.5
    """
    return _mean([abs(as_value(p, Value) - t) for p, t in _pairs("mae", predictions, targets)])


def bce(probabilities, targets):
    """Binary cross-entropy on probabilities, as F.binary_cross_entropy:

        -(1/n) sum_i [t log p + (1-t) log(1-p)]

    p is clamped to [EPS, 1 - EPS]. d/dp = (p - t) / (p (1 - p)) / n.
    Targets lie in [0, 1].

    >>> round(bce([0.9], [1]).data, 4)
    0.1054
    """
    terms = []
    for p, t in _pairs("bce", probabilities, targets):
        _check_between("bce", "target", t, 0.0, 1.0)
        _check_between("bce", "probability", p, 0.0, 1.0)
        p = _clamp(p)
        terms.append(-(t * p.log() + (1 - t) * (1 - p).log()))
    return _mean(terms)


def bce_with_logits(logits, targets):
    """Binary cross-entropy on logits z (p = sigmoid z), as F.binary_cross_entropy_with_logits.

    -[t log S(z) + (1-t) log(1 - S(z))] = softplus(z) - t z, which never
    overflows. d/dz = S(z) - t.

    >>> round(bce_with_logits([0.0], [1]).data, 4)  # log 2
    0.6931
    """
    terms = []
    for z, t in _pairs("bce_with_logits", logits, targets):
        _check_between("bce_with_logits", "target", t, 0.0, 1.0)
        terms.append(as_value(z, Value).softplus() - t * z)
    return _mean(terms)


def hinge(scores, targets):
    """micrograd's max-margin (SVM) loss: (1/n) sum_i max(0, 1 - t_i s_i), targets +-1.

    d/ds_i = -t_i / n where t_i s_i < 1, else 0. micrograd's demo writes the
    term as (1 + -t*s).relu(); the value is the same, bit for bit.

    >>> hinge([Value(0.5), Value(-2.0)], [1, -1]).data
    0.25
    """
    terms = []
    for s, t in _pairs("hinge", scores, targets):
        if data_of(t) not in (1.0, -1.0):
            raise RefusedValue(
                f"hinge: got target {data_of(t)}; "
                "hinge targets are -1 or +1 (use y * 2 - 1 for 0/1 labels)"
            )
        terms.append((1 - t * as_value(s, Value)).relu())
    return _mean(terms)


def softmax(scores):
    """softmax(s)_k = e^(s_k - m) / sum_j e^(s_j - m) with m = max s (the same value, no overflow).

    d softmax_k / d s_j = softmax_k (delta_kj - softmax_j).

    >>> [round(p.data, 4) for p in softmax([1000.0, 1000.0])]
    [0.5, 0.5]
    """
    shifted = _shifted("softmax", scores)
    exps = [z.exp() for z in shifted]
    total = value_sum(exps)
    return [e / total for e in exps]


def log_softmax(scores):
    """log softmax(s)_k = (s_k - m) - log sum_j e^(s_j - m), m = max s (log-sum-exp).

    d/ds_j = delta_kj - softmax_j.

    >>> [round(v.data, 4) for v in log_softmax([0.0, 0.0, 0.0, 0.0])]
    [-1.3863, -1.3863, -1.3863, -1.3863]
    """
    shifted = _shifted("log_softmax", scores)
    log_total = value_sum([z.exp() for z in shifted]).log()
    return [z - log_total for z in shifted]


def cross_entropy(scores, target, from_logits=True):
    """Cross-entropy -sum_k t_k log p_k, for one sample or the mean over a batch.

    `scores` is one sample's class scores (a list) or a batch (a list of
    lists). `target` is a class index (a list of them for a batch) or a
    target vector: one-hot (0s and one 1), or soft targets, probabilities
    t_k in [0, 1] that sum to 1 (as F.cross_entropy's class probabilities);
    anything else is refused. With from_logits=True (as
    F.cross_entropy), log p = log_softmax(scores); with from_logits=False the
    scores are probabilities, clamped to [EPS, 1 - EPS]. For logits,
    d/ds_k = p_k - t_k.

    Lecture 001's example: a good prediction costs 0.04, a uniform one 1.39.

    >>> round(cross_entropy([0.01, 0.01, 0.01, 0.96], [0, 0, 0, 1], from_logits=False).data, 2)
    0.04
    >>> round(cross_entropy([0.25, 0.25, 0.25, 0.25], 3, from_logits=False).data, 2)
    1.39
    """
    if _is_batch(scores):
        if _is_sequence(target) and len(target) != len(scores):
            raise RefusedValue(
                f"cross_entropy: got {len(scores)} samples and {len(target)} targets; "
                "expected one target per sample"
            )
        if not _is_sequence(target):
            raise RefusedValue(
                f"cross_entropy: got a batch of {len(scores)} samples and target {target!r}; "
                "expected one target per sample"
            )
        if not scores:
            raise RefusedValue("cross_entropy: got an empty batch; expected at least one sample")
        return _mean([_cross_entropy_one(s, t, from_logits) for s, t in zip(scores, target)])
    return _cross_entropy_one(scores, target, from_logits)


def _cross_entropy_one(scores, target, from_logits):
    """-sum_k t_k log p_k for one sample; terms with t_k = 0 are left out (they add 0)."""
    if not _is_sequence(scores) or len(scores) < 1:
        raise RefusedValue(f"cross_entropy: got scores {scores!r}; expected a list of class scores")
    n = len(scores)
    if from_logits:
        log_p = log_softmax(scores)
    else:
        for p in scores:
            _check_between("cross_entropy", "probability", p, 0.0, 1.0)
        log_p = [_clamp(p).log() for p in scores]
    if _is_sequence(target):
        if len(target) != n:
            raise RefusedValue(
                f"cross_entropy: got {n} class scores and a target vector of length {len(target)}; "
                "expected the same length"
            )
        _check_distribution(target)
        return -value_sum([t * lp for t, lp in zip(target, log_p) if data_of(t) != 0])
    if isinstance(target, bool) or not isinstance(target, Integral):
        raise RefusedType(
            f"cross_entropy: got target {target!r}; "
            "expected a class index (an int) or a one-hot list"
        )
    if not 0 <= target < n:
        raise RefusedValue(
            f"cross_entropy: class index {int(target)} is out of range for {n} classes; "
            f"expected 0..{n - 1}"
        )
    return -log_p[target]


class Loss(NamedTuple):
    """What fit and the command line need to know about a loss, beside the function itself.

    - classes: 2 for the binary losses (one output), None for any number of
      classes (cross_entropy: one output per class) or for regression.
    - output_activation: what the model's last layer applies before the loss.
    - targets: class labels 0, 1, ... -> the targets the loss compares with.
    - predict: one model output -> its class label 0, 1, ... (None: a regression loss).
    """

    function: Callable
    classes: Optional[int]
    output_activation: str
    targets: Callable
    predict: Optional[Callable]


def argmax(values):
    """The index of the largest of `values` (numbers or Values), the first if tied, as np.argmax.

    The class a model's scores predict, or that a one-hot target names.

    >>> argmax([Value(0.1), Value(0.7), Value(0.7)]), argmax([0, 0, 1])
    (1, 2)
    """
    numbers = [data_of(v) for v in values]
    return max(range(len(numbers)), key=numbers.__getitem__)


def _same(y):
    return y


LOSSES = {
    "mse": Loss(mse, None, "linear", _same, None),
    "mae": Loss(mae, None, "linear", _same, None),
    "bce_with_logits": Loss(bce_with_logits, 2, "linear", _same, lambda out: int(out.data > 0)),
    "bce": Loss(bce, 2, "sigmoid", _same, lambda out: int(out.data > 0.5)),
    "hinge": Loss(hinge, 2, "linear", lambda y: 2 * y - 1, lambda out: int(out.data > 0)),
    "cross_entropy": Loss(cross_entropy, None, "linear", _same, argmax),
}
CLASSIFICATION = tuple(name for name, loss in LOSSES.items() if loss.predict is not None)


def default_loss(outputs):
    """The loss a classifier with `outputs` outputs is trained with unless told otherwise.

    cross_entropy for several outputs (one per class), bce_with_logits for one
    (two classes).

    >>> default_loss(3), default_loss(1)
    ('cross_entropy', 'bce_with_logits')
    """
    return "cross_entropy" if outputs > 1 else "bce_with_logits"


def describe(loss):
    """The `Loss` entry of a loss function or its name; None for a function of the user's own.

    >>> describe("hinge").classes
    2
    """
    if isinstance(loss, str):
        return LOSSES.get(loss)
    return next((entry for entry in LOSSES.values() if entry.function is loss), None)


# Helpers: turning what the user passes into pairs of Values and numbers.


def _is_sequence(x):
    return isinstance(x, (list, tuple, np.ndarray))


def _is_batch(scores):
    return _is_sequence(scores) and len(scores) > 0 and _is_sequence(scores[0])


def _pairs(op, predictions, targets):
    """[(prediction, target)] over a batch (lists flattened), or ValueError on a mismatch."""
    if not _is_sequence(predictions):
        predictions, targets = [predictions], [targets]
    elif not _is_sequence(targets):
        raise RefusedValue(
            f"{op}: got {len(predictions)} predictions and target {targets!r}; "
            "expected one target per prediction"
        )
    if len(predictions) != len(targets):
        raise RefusedValue(
            f"{op}: got {len(predictions)} predictions and {len(targets)} targets; "
            "expected the same number"
        )
    if len(predictions) == 0:
        raise RefusedValue(f"{op}: got no predictions; expected a batch of at least one")
    pairs = []
    for p, t in zip(predictions, targets):
        if _is_sequence(p) or _is_sequence(t):
            if not (_is_sequence(p) and _is_sequence(t) and len(p) == len(t)):
                raise RefusedValue(
                    f"{op}: got prediction {p!r} for target {t!r}; "
                    "expected matching shapes"
                )
            pairs.extend(zip(p, t))
        else:
            pairs.append((p, t))
    for p, t in pairs:
        for x in (p, t):
            if not isinstance(x, Value) and (isinstance(x, bool) or not isinstance(x, Real)):
                raise RefusedType(f"{op}: got {x!r}; expected Values or real numbers")
        if not math.isfinite(data_of(t)):
            raise RefusedValue(f"{op}: got target {data_of(t)!r}; expected finite targets")
    return pairs


def _mean(terms):
    """(t1 + ... + tn) * (1/n): one sum node, then micrograd's `* (1.0 / n)`, bit for bit."""
    return value_sum(terms) * (1.0 / len(terms))


def _check_distribution(target):
    """A target vector must be one-hot or probabilities: each t_k in [0, 1], summing to 1."""
    numbers = [data_of(t) for t in target]
    if any(isinstance(t, bool) or not isinstance(t, Real) or not 0 <= t <= 1 for t in numbers) or (
        abs(math.fsum(numbers) - 1) > 1e-6
    ):
        raise RefusedValue(
            f"cross_entropy: got target vector [{', '.join(map(str, numbers))}]; expected a one-hot "
            "vector (0s and one 1) or probabilities in [0, 1] that sum to 1"
        )


def _clamp(p):
    """p clamped to [EPS, 1 - EPS]; the gradient is 0 where it clamps, as torch.clamp."""
    return minimum(maximum(p, EPS), 1.0 - EPS)


def _check_between(op, what, x, low, high):
    x = data_of(x)
    if not low <= x <= high:
        raise RefusedValue(f"{op}: got {what} {x}; expected a number in [{low:g}, {high:g}]")


def _shifted(op, scores):
    """[s_k - max s]: the scores as Values, shifted so that exp never overflows."""
    if not _is_sequence(scores) or len(scores) == 0:
        raise RefusedValue(f"{op}: got {scores!r}; expected a non-empty list of scores")
    for s in scores:
        if isinstance(s, Real) and not math.isfinite(s):
            raise RefusedValue(f"{op}: got a score of {s!r}; expected finite scores")
    values = [as_value(s, Value) for s in scores]
    m = max(v.data for v in values)
    return [v - m for v in values]
