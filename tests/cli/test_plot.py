"""`pathgrad train --plot`: what the figure shows."""

import numpy as np
import pytest

from pathgrad.cli.plot import save_plot
from pathgrad.nn import MLP


@pytest.mark.parametrize("epochs", [1, 2, 3, 7, 40])
def test_the_epoch_axis_has_whole_number_ticks(epochs, tmp_path, monkeypatch):
    # Before, 2 epochs were drawn with ticks at 1.0, 1.2, 1.4, ... 2.0.
    figure_module = pytest.importorskip("matplotlib.figure")
    saved = []
    savefig = figure_module.Figure.savefig
    monkeypatch.setattr(figure_module.Figure, "savefig", lambda self, *a, **k: (saved.append(self), savefig(self, *a, **k)))
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1])
    history = {"loss": list(np.linspace(1, 0.1, epochs)), "val_loss": list(np.linspace(1.2, 0.2, epochs))}
    save_plot(tmp_path / "p.svg", MLP(2, [2]), lambda out: int(out[1].data > out[0].data), (X, y), (X, y), history, "t")
    (figure,) = saved
    curves = figure.axes[1]
    assert curves.get_xlabel() == "epoch"
    low, high = curves.get_xlim()
    shown = [tick for tick in curves.get_xticks() if low <= tick <= high]
    assert shown and all(float(tick).is_integer() for tick in shown), shown
    assert (tmp_path / "p.svg").stat().st_size > 0
