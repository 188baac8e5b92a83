"""`fit`: the training loop of a first course, with a history and a progress bar.

For each epoch: shuffle, then for each mini-batch run the model forward, take
the loss, zero the grads, backpropagate and let the optimizer step. The loss
and (for classification losses) the accuracy are recorded per epoch, on the
training data as seen during the epoch and on the validation data after it.
"""

import contextlib

from .arrays import as_lists, shape_of

from pathgrad.engine import detect_anomaly as anomaly_detection
from pathgrad.engine import no_grad
from pathgrad.engine.validation import RefusedType, RefusedValue, integer, positive_int

from . import losses, optim
from .data import batches, random_state
from .progress import progress_bar


class Diverged(OverflowError):
    """Training stopped where a number overflowed; `history` holds the epochs before it.

    The forward pass or the loss overflowed a float (the engine refuses that),
    the optimizer's update would have made a weight inf or nan (a Value refuses
    that too), or, with detect_anomaly, backward made a grad that is not
    finite. Training stops before the step that would have used it, and the
    model and the optimizer keep the weights and state they had before it.
    """

    def __init__(self, message, history):
        super().__init__(message)
        self.history = history


def fit(model, X, y, loss=None, optimizer=None, epochs=100, batch_size=32, validation=None,
        scheduler=None, shuffle=True, seed=None, progress=True, detect_anomaly=False):
    """Train `model` on (X, y) and return its history: {name: [value per epoch]}.

    - loss: a function from pathgrad.nn.losses (or its name, or any
      f(outputs, targets) -> Value). Default: cross_entropy for a model with
      several outputs, bce_with_logits for one.
    - optimizer: default `optim.Adam(model.parameters(), lr=0.01)`.
    - batch_size: samples per step (None: the whole data set, one step per epoch).
    - validation: (X_val, y_val), evaluated after each epoch without building a graph.
    - scheduler: an optim.lr_scheduler schedule, stepped after each epoch.
    - seed: fixes the shuffling. progress=False silences the progress bar.
    - detect_anomaly: run each backward inside engine.detect_anomaly(), so that
      the first grad that is not finite stops training, naming its node.

    History keys: "loss", plus "accuracy" for cross_entropy, hinge, bce and
    bce_with_logits, plus "val_loss" and "val_accuracy" with validation data.
    Everything is checked before the first step: X and y lengths, the input
    width, and that every target suits the loss (a class index in range, say).
    X and y may be numpy arrays or lists (of rows, and of targets).
    A forward pass, loss or update that overflows (a learning rate too large
    makes the weights blow up) stops training before that step with
    `Diverged`, an OverflowError naming the epoch and the step.

    >>> import random; random.seed(0)
    >>> from pathgrad.nn import MLP, data, optim
    >>> X, y = data.make_moons(64, noise=0.1, seed=0)
    >>> model = MLP(2, [8, 1])
    >>> history = fit(model, X, y, epochs=3, progress=False, seed=0)
    >>> sorted(history), len(history["loss"])
    (['accuracy', 'loss'], 3)
    """
    loss = _resolve_loss(loss)
    X, y = _checked_data("fit", model, X, y)
    if validation is not None:
        if not isinstance(validation, (tuple, list)):
            raise RefusedType(
                f"fit: got validation {type(validation).__name__}; expected a pair (X_val, y_val)"
            )
        if len(validation) != 2:
            raise RefusedValue(
                f"fit: got validation {type(validation).__name__} of {len(validation)} items; "
                "expected a pair (X_val, y_val)"
            )
        X_val, y_val = _checked_data("fit (validation)", model, *validation)
    epochs = integer("fit", "epochs", epochs, low=0)
    batch_size = len(X) if batch_size is None else positive_int("fit", "batch_size", batch_size)

    n_out = _output_count(model, X)
    if loss is None:
        loss = losses.LOSSES[losses.default_loss(n_out)].function
    _check_targets(loss, n_out, y)
    if validation is not None:
        _check_targets(loss, n_out, y_val)
    if optimizer is None:
        optimizer = optim.Adam(model.parameters(), lr=0.01)
    predict = _prediction(loss)

    history = {"loss": []}
    if predict:
        history["accuracy"] = []
    if validation is not None:
        history["val_loss"] = []
        if predict:
            history["val_accuracy"] = []

    rng = random_state(seed)
    parameters = model.parameters()
    bar = progress_bar(epochs, "fit", progress)
    try:
        for epoch in range(1, epochs + 1):
            total, correct = 0.0, 0
            where = {"epoch": epoch, "step": 0}  # what a Diverged names
            with _stopping_if_diverged(where, optimizer, history):
                for Xb, yb in batches(X, y, batch_size, shuffle, rng):
                    where["step"] += 1
                    outputs = [model(row) for row in Xb]
                    batch_loss = loss(outputs, yb)
                    optimizer.zero_grad()
                    with anomaly_detection() if detect_anomaly else contextlib.nullcontext():
                        batch_loss.backward()
                    _step_whole(optimizer, parameters)
                    total += batch_loss.data * len(yb)
                    if predict:
                        correct += _count_correct(predict, outputs, yb)
                where["step"] = None  # on the validation data
                if validation is not None:
                    val_loss, val_accuracy = evaluate(model, X_val, y_val, loss)
            history["loss"].append(total / len(X))
            if predict:
                history["accuracy"].append(correct / len(X))
            if validation is not None:
                history["val_loss"].append(val_loss)
                if predict:
                    history["val_accuracy"].append(val_accuracy)
            if scheduler is not None:
                scheduler.step()
            bar.set_postfix({k: v[-1] for k, v in history.items()})
            bar.update(1)
    finally:
        bar.close()
    return history


def evaluate(model, X, y, loss):
    """(loss, accuracy) of `model` on (X, y), without building a graph.

    accuracy is None unless the loss is a classification loss. X and y may
    be numpy arrays or lists.

    >>> from pathgrad.nn import Neuron, losses
    >>> neuron = Neuron(1, nonlin=False); neuron.load_state_dict({"w.0": 1.0, "b": 0.0})
    >>> evaluate(neuron, [[2.0], [-1.0]], [1, 1], losses.bce_with_logits)[1]
    0.5
    """
    with no_grad():
        y = as_lists(y)
        outputs = [model([float(v) for v in row]) for row in as_lists(X)]
        value = loss(outputs, y).data
    predict = _prediction(loss)
    accuracy = _count_correct(predict, outputs, y) / len(y) if predict else None
    return value, accuracy


def _count_correct(predict, outputs, targets):
    """How many outputs predict their target (a label, or a one-hot row for cross_entropy)."""
    correct = 0
    for out, t in zip(outputs, targets):
        label = losses.argmax(t) if isinstance(t, (list, tuple)) else t
        correct += predict(out) == label
    return int(correct)


class _RefusedUpdate(Exception):
    """The optimizer's step wrote a weight that a Value refused (inf or nan); the weights are restored."""


def _step_whole(optimizer, parameters):
    """optimizer.step(), all or nothing: if a weight refuses its new data, every weight is put back.

    So is the optimizer's own state (Adam's moments and step count, say:
    numbers and lists of numbers), so that training can go on from there,
    with a smaller learning rate.
    """
    before = [p.data for p in parameters]
    attributes = getattr(optimizer, "__dict__", {})  # any object with step() may be the optimizer
    state = {name: list(v) if isinstance(v, list) else v for name, v in attributes.items()}
    try:
        optimizer.step()
    except (RefusedValue, OverflowError) as error:  # a Value refusing inf, nan or a huge number
        for p, data in zip(parameters, before):
            p.data = data
        attributes.update(state)
        raise _RefusedUpdate(f"{type(optimizer).__name__}'s update was refused: {error}") from None


@contextlib.contextmanager
def _stopping_if_diverged(where, optimizer, history):
    """Turn an overflow, a refused update or a grad detect_anomaly caught into Diverged naming `where`."""
    try:
        yield
    except (OverflowError, FloatingPointError, _RefusedUpdate) as error:
        lr = getattr(optimizer, "lr", None)
        at = f" (lr = {lr:g})" if isinstance(lr, float) else ""
        step = where["step"]
        place = f"epoch {where['epoch']}, " + (f"step {step}" if step else "on the validation data")
        raise Diverged(
            f"fit: training diverged at {place} ({error}); the weights blew up. "
            f"Try a smaller learning rate{at}; training stopped before that step",
            history,
        ) from None


def _prediction(loss):
    """One output -> label in the loss's own targets (hinge: -1 or +1); None for regression."""
    entry = losses.describe(loss)
    if entry is None or entry.predict is None:
        return None
    return lambda out: entry.targets(entry.predict(out))


def _resolve_loss(loss):
    if loss is None or callable(loss):
        return loss
    if isinstance(loss, str) and loss in losses.LOSSES:
        return losses.LOSSES[loss].function
    raise RefusedValue(
        f"fit: got loss {loss!r}; "
        f"expected a function or one of {', '.join(map(repr, losses.LOSSES))}"
    )


def _checked_data(op, model, X, y):
    """X as a list of n rows of floats and y as a list of n targets, or ValueError."""
    X, y = as_lists(X), as_lists(y)
    shape = shape_of(X)
    if len(shape) != 2 or len(X) == 0:
        raise RefusedValue(
            f"{op}: got X of shape {shape}; "
            "expected a 2-D array with one row per sample"
        )
    try:
        X = [[float(v) for v in row] for row in X]
    except (TypeError, ValueError):
        X = None
    if X is None or any(len(row) != shape[1] for row in X):
        raise RefusedValue(f"{op}: X must be a 2-D array of numbers, one row per sample")
    if len(X) != len(y):
        raise RefusedValue(
            f"{op}: got {len(X)} samples in X and {len(y)} targets in y; "
            "expected the same number"
        )
    nin = getattr(model, "nin", None)
    if nin is not None and shape[1] != nin:
        raise RefusedValue(f"{op}: got X with {shape[1]} columns; the model expects {nin} inputs")
    return X, y


def _output_count(model, X):
    with no_grad():
        out = model(X[0])
    return len(out) if isinstance(out, list) else 1


def _check_targets(loss, n_out, y):
    """Before training, let the loss check every target, on zero outputs of the model's shape."""
    zeros = [[0.0] * n_out if n_out > 1 else 0.0 for _ in range(len(y))]
    with no_grad():
        try:
            loss(zeros, y)
        except ValueError as error:
            name = getattr(loss, "__name__", "the loss")
            raise RefusedValue(f"fit: the targets y do not suit {name}: {error}") from None
