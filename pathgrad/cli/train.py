"""`pathgrad train`: an MLP on a toy data set, with pathgrad.nn, from a shell."""

import argparse
import os
import random
import re
import sys


from pathgrad.engine import no_grad
from pathgrad.engine.validation import Refused, RefusedValue, number, positive_int
from pathgrad.files import STDOUT, staged_outputs
from pathgrad.nn import ACTIVATIONS, MLP, data, fit, losses, optim

from .errors import InputError, building, shown
from .parser import CommandParser, real_number
from .plot import FORMATS as PLOT_FORMATS
from .plot import pyplot, save_plot

# Each data set as (X, y) with labels 0, 1, ...; moons as in micrograd's demo.
DATASETS = {
    "moons": lambda seed: data.make_moons(100, noise=0.1, seed=seed),
    "circles": lambda seed: data.make_circles(100, noise=0.1, factor=0.5, seed=seed),
    "blobs": lambda seed: data.make_blobs(150, centers=3, seed=seed),
    "spiral": lambda seed: data.make_spiral(300, n_classes=3, seed=seed),
    "xor": lambda seed: data.make_xor(200, seed=seed),
}

# Each optimizer with the learning rate it gets unless --lr says otherwise.
OPTIMIZERS = {
    "adam": (optim.Adam, 0.01),
    "adamw": (optim.AdamW, 0.01),
    "rmsprop": (optim.RMSprop, 0.01),
    "adagrad": (optim.Adagrad, 0.1),
    "sgd": (optim.SGD, 0.1),
}

def _mse_on_one_hot(classes):
    """mse as a classifier: one output per class against one-hot targets; the largest output wins."""
    import numpy as np  # here, not at the top: the command line imports without numpy (in the browser)

    largest = losses.LOSSES["cross_entropy"].predict
    return losses.Loss(losses.mse, None, "linear", lambda y: np.eye(classes)[y], largest)


# A scalar engine builds one Value per weight per sample: past this many
# parameters a model takes minutes per epoch and gigabytes to build.
MAX_PARAMETERS = 1_000_000

EPILOG = """\
The data are split 75% / 25% into training and test samples. The last layer
has one output for bce_with_logits, bce and hinge (two classes), and one per
class for cross_entropy, the default when there are more than two classes, and
for mse, which compares the outputs with one-hot targets (the largest is the class).
Default learning rates: 0.01 for adam, adamw and rmsprop; 0.1 for adagrad and sgd.

examples:
  pathgrad train
  pathgrad train --dataset spiral --hidden 32,32 --epochs 200 --plot spiral.svg
  pathgrad train --dataset xor --hidden 8 --activation tanh --optimizer sgd --lr 0.5 --save xor.json
  pathgrad train --dataset moons --loss hinge --hidden '' --plot linear.png   (no hidden layer)
"""


def _hidden_sizes(text):
    """"16,16" -> [16, 16]; "" -> [] (no hidden layer).

    >>> _hidden_sizes("16,16"), _hidden_sizes("")
    ([16, 16], [])
    """
    try:
        return [positive_int("--hidden", "a size", _integer(part)) for part in text.split(",")] if text.strip() else []
    except (ValueError, Refused):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of layer sizes; give positive integers like 16,16 (or '' for none)"
        ) from None


def _integer(text):
    """int(text) for ASCII digits only (int() alone reads ٣ as 3), and at most 30 of them."""
    if not re.fullmatch(r"\s*[-+]?[0-9]{1,30}\s*", text):
        raise RefusedValue(f"{text!r} is not an integer")
    return int(text)


def _count(text):
    """A positive integer, as --epochs and --batch-size take."""
    try:
        return positive_int("count", "it", _integer(text))
    except (ValueError, Refused):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive integer") from None


def _learning_rate(text):
    """A finite number > 0."""
    try:
        lr = number("--lr", "lr", real_number(text), low=0.0)
    except (ValueError, Refused):
        lr = 0.0
    if not lr > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number > 0, such as 0.01")
    return lr


def _seed(text):
    """A seed numpy accepts: an integer from 0 to 2**32 - 1."""
    try:
        seed = _integer(text)
    except ValueError:
        seed = -1
    if not 0 <= seed < 2**32:
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed; give an integer from 0 to {2**32 - 1}")
    return seed


def parser():
    """The argument parser of `pathgrad train`.

    >>> parser().parse_args(["--hidden", "8", "--lr", "0.5"]).lr
    0.5
    """
    command = CommandParser(
        prog="pathgrad train",
        description=(
            "Train an MLP on a toy data set with pathgrad.nn, showing a progress bar,\n"
            "then print the train and test accuracy."
        ),
        epilog=EPILOG,
    )
    command.add_argument("--dataset", choices=DATASETS, default="moons", help="default: moons")
    command.add_argument(
        "--hidden", type=_hidden_sizes, default=[16, 16], metavar="SIZES",
        help="hidden layer sizes, comma-separated (default: 16,16)",
    )
    command.add_argument(
        "--activation", choices=[name for name in ACTIVATIONS if name != "linear"], default="relu",
        help="of the hidden layers (default: relu)",
    )
    command.add_argument(
        "--loss", choices=(*losses.CLASSIFICATION, "mse"),
        help="default: bce_with_logits for two classes, cross_entropy for more",
    )
    command.add_argument("--optimizer", choices=OPTIMIZERS, default="adam", help="default: adam")
    command.add_argument("--lr", type=_learning_rate, help="learning rate (default: by optimizer)")
    command.add_argument("--epochs", type=_count, default=100, help="default: 100")
    command.add_argument("--batch-size", type=_count, default=32, help="default: 32")
    command.add_argument(
        "--seed", type=_seed, default=0, help="seeds the data, the split, the weights and the shuffling (default: 0)"
    )
    command.add_argument(
        "--detect-anomaly", action="store_true",
        help="stop at the first gradient that is not finite, naming its node (slower)",
    )
    command.add_argument("--save", metavar="MODEL.json", help="write the trained model as JSON (- for standard output)")
    command.add_argument(
        "--plot", metavar="FILE", help="draw the decision boundary and loss curves (.svg, .png or .pdf; needs matplotlib)"
    )
    return command


def run(args):
    """Train as asked, print the accuracies, then write the model and the plot."""
    X, y = DATASETS[args.dataset](args.seed)
    classes = int(y.max()) + 1
    loss_name = args.loss or losses.default_loss(1 if classes == 2 else classes)
    objective = _mse_on_one_hot(classes) if loss_name == "mse" else losses.LOSSES[loss_name]
    if objective.classes is not None and classes > objective.classes:
        raise InputError(
            f"--loss {loss_name} separates two classes, and {args.dataset} has {classes}; use --loss cross_entropy"
        )
    outputs = 1 if objective.classes == 2 else classes
    sizes = [2] + args.hidden + [outputs]
    parameters = sum((nin + 1) * nout for nin, nout in zip(sizes, sizes[1:]))
    if parameters > MAX_PARAMETERS:
        raise InputError(
            f"--hidden {','.join(map(str, args.hidden))}: MLP(2, {sizes[1:]}) would have {parameters:,} "
            f"parameters; at most {MAX_PARAMETERS:,} are trained here (try --hidden 16,16)"
        )
    if args.save is not None and args.save != STDOUT and not args.save.lower().endswith(".json"):
        raise InputError(f"--save {shown(args.save, 40)}: a model is saved as JSON; name it MODEL.json (or - for standard output)")
    if args.plot is not None and not args.plot.lower().endswith(PLOT_FORMATS):
        raise InputError(f"--plot {shown(args.plot, 40)}: the name must end in {', '.join(PLOT_FORMATS)}")
    report = sys.stderr if args.save == STDOUT else sys.stdout  # standard output keeps the model alone
    with staged_outputs(allow_stdout=True) as staging:
        model_path = staging.path(args.save, ".json") if args.save else None
        plot_path = staging.path(args.plot) if args.plot else None
        if plot_path:
            pyplot()  # no matplotlib: say so before training, not after
        X_train, X_test, y_train, y_test = data.train_test_split(X, y, seed=args.seed)
        random.seed(args.seed)  # MLP draws its weights from `random`, as micrograd does
        with building(f"MLP(2, {sizes[1:]})"):
            model = MLP(2, sizes[1:], activation=args.activation,
                        output_activation=objective.output_activation)
        optimizer_class, default_lr = OPTIMIZERS[args.optimizer]
        lr = args.lr or default_lr
        print(f"{args.dataset}: {len(X_train)} samples to train on, {len(X_test)} to test, {classes} classes",
              file=report)
        hidden = f"{args.activation} hidden layers" if args.hidden else "no hidden layer"
        print(f"model: MLP(2, {args.hidden + [outputs]}) with {hidden}, {len(model.parameters())} parameters",
              file=report)
        print(f"training: {args.optimizer} (lr {lr:g}), {loss_name}, {args.epochs} epochs, "
              f"batches of {args.batch_size}, seed {args.seed}", flush=True, file=report)
        loss = objective.function
        train = (X_train, objective.targets(y_train))
        test = (X_test, objective.targets(y_test))
        history = fit(model, *train, loss=loss, optimizer=optimizer_class(model.parameters(), lr=lr),
                      epochs=args.epochs, batch_size=args.batch_size, validation=test, seed=args.seed,
                      detect_anomaly=args.detect_anomaly)
        lines = [f"loss: train {history['loss'][-1]:.4g}, test {history['val_loss'][-1]:.4g}"]
        for name, (inputs, labels) in (("train", (X_train, y_train)), ("test", (X_test, y_test))):
            accuracy = _accuracy(model, inputs, labels, objective.predict)
            lines.append(f"{name} accuracy {accuracy:.1%} ({round(accuracy * len(labels))} of {len(labels)})")
        if model_path:
            model.save(model_path)
        if plot_path:
            title = f"{args.dataset}, MLP(2, {args.hidden + [outputs]}): {lines[-1]}"
            save_plot(plot_path, model, objective.predict, (X_train, y_train), (X_test, y_test), history, title)
        lines.extend(f"wrote {os.path.relpath(path)}" for path in staging.commit() if path != STDOUT)
    print("\n".join(lines), file=report)
    return 0


def _accuracy(model, X, labels, predict):
    """The fraction of samples whose output `predict` turns into their class label 0, 1, ..."""
    with no_grad():
        return sum(predict(model(row)) == label for row, label in zip(X.tolist(), labels.tolist())) / len(labels)
