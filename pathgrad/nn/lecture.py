"""micrograd's two lecture workloads, written as micrograd writes them.

A learner who redoes micrograd's lecture builds these two losses, and then
draws and steps them. They are built here once, the way micrograd's own
code builds them (builtin `sum`, `list(map(model, inputs))`, one op per
term), so that tests, benchmarks and notebooks all look at the graphs a
learner really has.

- `moons_loss()`: micrograd's demo.ipynb. `make_moons(n_samples=100,
  noise=0.1)`, `MLP(2, [16, 16, 1])`, the SVM max-margin loss
  `(1 + -yi*scorei).relu()` averaged over the samples, plus L2
  regularisation `alpha * sum(p*p for p in model.parameters())` with
  alpha = 1e-4; then `total_loss.backward()`. 8,318 nodes.
- `lecture_loss()`: the lecture's four samples through `MLP(3, [4, 4, 1])`
  (tanh neurons, as the lecture's), squared error summed with builtin `sum`.

>>> total, model = moons_loss()
>>> len(model.parameters()), round(total.data, 4)
(337, 0.8958)
"""

import random

from pathgrad.engine import Value

from .data import make_moons
from .layers import MLP

# The lecture's four samples and their targets.
LECTURE_XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
LECTURE_YS = [1.0, -1.0, -1.0, 1.0]


def moons_loss(n_samples=100, seed=1337):
    """(total_loss, model) for micrograd's moons demo, after total_loss.backward().

    The loss is demo.ipynb's, line for line (its `loss()` with the whole batch):
    total = (1/n) sum_i max(0, 1 - y_i s_i) + 1e-4 sum_p p^2, with y_i = +-1
    and s_i = model(x_i). `random.seed(seed)` before the MLP, as the demo does.

    >>> total, model = moons_loss(n_samples=4)
    >>> len(total.children), total.op
    (2, '+')
    """
    random.seed(seed)
    X, y = make_moons(n_samples=n_samples, noise=0.1, seed=seed)
    y = [yi * 2 - 1 for yi in y]  # make y be -1 or 1 (y may be a list: pathgrad without numpy)
    model = MLP(2, [16, 16, 1])  # 2-layer neural network
    inputs = [list(map(Value, xrow)) for xrow in X]
    # forward the model to get scores
    scores = list(map(model, inputs))
    # svm "max-margin" loss
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    # L2 regularization
    alpha = 1e-4
    reg_loss = alpha * sum((p * p for p in model.parameters()))
    total_loss = data_loss + reg_loss
    total_loss.backward()
    return total_loss, model


def sample_loss(x=(0.5, -0.3), y=1, seed=1337):
    """(loss, model) for one sample of the moons demo: max(0, 1 - y s), s = model(x), after backward.

    The same seeded MLP(2, [16, 16, 1]) as moons_loss, its inputs labelled x0 and x1: what a
    learner draws and steps through instead of the whole batch.

    >>> loss, model = sample_loss()
    >>> loss.op, len(model.parameters())
    ('relu', 337)
    """
    random.seed(seed)
    model = MLP(2, [16, 16, 1])
    score = model([Value(x[0], "x0"), Value(x[1], "x1")])
    loss = (1 + -float(y) * score).relu()
    loss.backward()
    return loss, model


def lecture_loss(seed=1337):
    """(loss, model) for the lecture's four samples through MLP(3, [4, 4, 1]), after loss.backward().

    loss = sum_i (ypred_i - ys_i)^2, with tanh neurons in every layer.

    >>> loss, model = lecture_loss()
    >>> len(model.parameters()), loss.op
    (41, '+')
    """
    random.seed(seed)
    n = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh")
    ypred = [n(x) for x in LECTURE_XS]
    loss = sum((yout - ygt) ** 2 for ygt, yout in zip(LECTURE_YS, ypred))
    loss.backward()
    return loss, n
