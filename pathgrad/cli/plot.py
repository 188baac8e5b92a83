"""`pathgrad train --plot`: the decision boundary and the loss curves, drawn by matplotlib.

matplotlib is an optional extra (`pip install 'pathgrad[plot]'`), so it is
imported only when a plot is asked for, and its absence is a plain message.
"""

from pathgrad.engine import no_grad

from .errors import InputError

FORMATS = (".svg", ".png", ".pdf")  # what matplotlib writes that a browser or viewer opens
_GRID = 80  # points per side of the grid the boundary is read from


def pyplot():
    """matplotlib.pyplot on a file-only backend, or InputError saying how to install it.

    >>> try:
    ...     backend = pyplot().get_backend().lower()
    ... except InputError as error:  # no matplotlib: the message says how to install it
    ...     backend = "agg" if "pip install" in str(error) else str(error)
    >>> backend
    'agg'
    """
    try:
        import matplotlib
    except ImportError:
        raise InputError(
            "--plot needs matplotlib, an optional extra; install it with: "
            "pip install 'pathgrad[plot]'   (or: pip install matplotlib)"
        ) from None
    matplotlib.use("Agg")  # no display needed: the figure only goes to a file
    import matplotlib.pyplot

    return matplotlib.pyplot


def save_plot(path, model, classify, train, test, history, title):
    """Draw the classes the model gives each point of the plane beside the loss per epoch.

    `classify(output)` turns one model output into a class; `train` and
    `test` are (X, y) pairs; `history` is fit's.
    """
    import numpy as np  # here, not above: the command line is imported in the browser too, where numpy is not

    plt = pyplot()
    from matplotlib.ticker import MaxNLocator  # matplotlib is there: pyplot() said so

    X = np.vstack([train[0], test[0]])
    low, high = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    xs, ys = np.linspace(low[0], high[0], _GRID), np.linspace(low[1], high[1], _GRID)
    with no_grad():
        classes = np.array([[classify(model([x, y])) for x in xs] for y in ys])
    count = int(max(classes.max(), train[1].max(), test[1].max())) + 1  # classes 0 .. count - 1
    figure, (boundary, curves) = plt.subplots(1, 2, figsize=(11, 4.5))
    boundary.contourf(xs, ys, classes, levels=np.arange(count + 1) - 0.5, cmap="coolwarm", alpha=0.35)
    for (points, labels), marker, name in ((train, "o", "train"), (test, "^", "test")):
        boundary.scatter(points[:, 0], points[:, 1], c=labels, cmap="coolwarm", marker=marker,
                         edgecolors="black", linewidths=0.5, s=28, label=name, vmin=0, vmax=count - 1)
    boundary.set_title("decision boundary")
    boundary.legend(loc="upper right")
    epochs = np.arange(1, len(history["loss"]) + 1)
    marker = "o" if len(epochs) == 1 else None  # one epoch is a point, not a line
    curves.plot(epochs, history["loss"], label="train loss", marker=marker)
    curves.plot(epochs, history["val_loss"], label="test loss", marker=marker)
    # Epochs are whole numbers: a tick at each of a few, else at whole numbers only (no epoch 1.5).
    if len(epochs) <= 10:
        curves.set_xticks(epochs)
    else:
        curves.xaxis.set_major_locator(MaxNLocator(integer=True))
    curves.set_xlabel("epoch")
    curves.set_ylabel("loss")
    curves.set_title("loss per epoch")
    curves.legend()
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
