"""fit(): training quality with fixed seeds, the history, checks before training, the progress bar."""

import math
import random

import numpy as np
import pytest

from pathgrad import Value
from pathgrad.nn import MLP, Diverged, Neuron, data, fit, losses, optim
from pathgrad.nn.optim.lr_scheduler import StepLR


def split(make, seed, **kwargs):
    X, y = make(seed=seed, **kwargs)
    return data.train_test_split(X, y, test_size=0.25, seed=seed)


def test_moons_mlp_with_adam_reaches_97_percent_held_out():
    random.seed(0)
    X_train, X_test, y_train, y_test = split(data.make_moons, 0, n_samples=200, noise=0.1)
    model = MLP(2, [16, 16, 1])
    history = fit(model, X_train, y_train, optimizer=optim.Adam(model.parameters(), lr=0.02), epochs=20,
                  validation=(X_test, y_test), seed=0, progress=False)
    assert history["val_accuracy"][-1] >= 0.97
    assert history["loss"][-1] < history["loss"][0] / 3


def test_three_class_spiral_with_cross_entropy_reaches_90_percent_held_out():
    random.seed(0)
    X_train, X_test, y_train, y_test = split(data.make_spiral, 0, n_samples=300, n_classes=3, noise=0.2)
    model = MLP(2, [16, 16, 3])
    history = fit(model, X_train, y_train, loss=losses.cross_entropy,
                  optimizer=optim.Adam(model.parameters(), lr=0.02), epochs=20,
                  validation=(X_test, y_test), seed=0, progress=False)
    assert history["val_accuracy"][-1] >= 0.90


def test_history_records_one_entry_per_epoch_that_agrees_with_a_fresh_evaluation():
    random.seed(1)
    X, y = data.make_moons(60, noise=0.1, seed=1)
    model = MLP(2, [8, 1])
    history = fit(model, X, y, epochs=4, validation=(X, y), seed=1, progress=False)
    assert sorted(history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(values) == 4 for values in history.values())
    scores = [model(row) for row in X.tolist()]
    assert history["val_loss"][-1] == pytest.approx(losses.bce_with_logits(scores, y).data, rel=1e-12)
    predicted = [int(s.data > 0) for s in scores]
    assert history["val_accuracy"][-1] == np.mean(np.array(predicted) == y)


def test_fit_on_lists_gives_the_history_it_gives_on_arrays_one_hot_targets_too():
    X, y = data.make_spiral(30, n_classes=3, seed=2)
    one_hot = np.eye(3)[y]

    def history(X, y, validation):
        random.seed(2)
        return fit(MLP(2, [4, 3]), X, y, epochs=2, batch_size=7, validation=validation, seed=2, progress=False)

    on_arrays = history(X, one_hot, (X, y))
    on_lists = history(X.tolist(), one_hot.tolist(), (X.tolist(), y.tolist()))
    assert on_lists == on_arrays and len(on_lists["val_accuracy"]) == 2


def test_the_hinge_loss_takes_plus_minus_one_labels_and_reports_accuracy():
    random.seed(0)
    X, y = data.make_moons(80, noise=0.1, seed=0)
    history = fit(MLP(2, [8, 1]), X, y * 2 - 1, loss="hinge", epochs=3, seed=0, progress=False)
    assert len(history["accuracy"]) == 3 and 0 <= history["accuracy"][-1] <= 1


def test_a_regression_loss_has_no_accuracy():
    X = np.linspace(-1, 1, 20).reshape(-1, 1)
    y = 3 * X[:, 0] + 1
    model = MLP(1, [1])
    history = fit(model, X, y, loss=losses.mse, optimizer=optim.SGD(model.parameters(), lr=0.1),
                  epochs=200, batch_size=None, progress=False)
    assert sorted(history) == ["loss"]
    assert model.layers[0].neurons[0].w[0].data == pytest.approx(3.0, abs=1e-6)
    assert model.layers[0].neurons[0].b.data == pytest.approx(1.0, abs=1e-6)


def test_full_batch_sgd_epochs_are_plain_gradient_descent_steps():
    X, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])
    model = MLP(1, [1])
    model.load_state_dict({"layers.0.neurons.0.w.0": 0.0, "layers.0.neurons.0.b": 0.0})
    fit(model, X, y, loss="mse", optimizer=optim.SGD(model.parameters(), lr=0.1), epochs=1, batch_size=None,
        progress=False)
    # d mse / dw = mean(2 (wx + b - y) x) = (2*-2*1 + 2*-4*2) / 2 = -10; d/db = (-4 - 8) / 2 = -6
    assert model.parameters()[0].data == pytest.approx(1.0)
    assert model.parameters()[1].data == pytest.approx(0.6)


def test_a_scheduler_is_stepped_once_per_epoch():
    X, y = data.make_moons(20, seed=0)
    model = MLP(2, [4, 1])
    sgd = optim.SGD(model.parameters(), lr=1.0)
    fit(model, X, y, optimizer=sgd, scheduler=StepLR(sgd, step_size=1, gamma=0.5), epochs=3, progress=False)
    assert sgd.lr == 0.125


def test_the_same_seeds_give_the_same_training():
    def train():
        random.seed(4)
        X, y = data.make_moons(40, noise=0.1, seed=4)
        model = MLP(2, [6, 1])
        fit(model, X, y, epochs=2, batch_size=8, seed=4, progress=False)
        return [p.data for p in model.parameters()]

    assert train() == train()


def untouched(model):
    return [p.data for p in model.parameters()]


@pytest.mark.parametrize("X, y, loss, message", [
    (np.zeros((10, 2)), np.zeros(9, dtype=int), None, "got 10 samples in X and 9 targets in y"),
    (np.zeros((10, 3)), np.zeros(10, dtype=int), None, "got X with 3 columns; the model expects 2 inputs"),
    (np.zeros(10), np.zeros(10, dtype=int), None, r"got X of shape \(10,\)"),
    (np.zeros((4, 2)), np.array([0, 1, 2, 3]), losses.cross_entropy, "class index 3 is out of range for 3 classes"),
    (np.zeros((4, 2)), np.array([0, 1, 0, 1]), losses.hinge, "hinge: got target 0; hinge targets are -1 or \\+1"),
    (np.zeros((4, 2)), np.array([0, 1, 0, 1]), "cosine", "got loss 'cosine'"),
])
def test_bad_data_raises_before_any_training(X, y, loss, message):
    model = MLP(2, [3, 3]) if loss is losses.cross_entropy else MLP(2, [3, 1])
    before = untouched(model)
    with pytest.raises(ValueError, match=message):
        fit(model, X, y, loss=loss, epochs=5, progress=False)
    assert untouched(model) == before


def test_a_bad_label_late_in_the_data_is_caught_before_the_first_step():
    X, y = data.make_spiral(60, n_classes=3, seed=0)
    y[-1] = 7
    model = MLP(2, [4, 3])
    before = untouched(model)
    with pytest.raises(ValueError, match="fit: the targets y do not suit cross_entropy: .*class index 7"):
        fit(model, X, y, epochs=1, batch_size=4, progress=False)
    assert untouched(model) == before


def test_bad_validation_data_raises_before_training():
    X, y = data.make_moons(20, seed=0)
    model = MLP(2, [3, 1])
    with pytest.raises(ValueError, match=r"fit \(validation\): got 20 samples in X and 5 targets"):
        fit(model, X, y, validation=(X, y[:5]), progress=False)


@pytest.mark.parametrize("kwargs, message", [
    (dict(epochs=-1), "got epochs = -1"),
    (dict(batch_size=0), "got batch_size = 0"),
    (dict(validation=[1, 2, 3]), "got validation list of 3 items; expected a pair"),
])
def test_bad_arguments_raise_value_error(kwargs, message):
    X, y = data.make_moons(20, seed=0)
    with pytest.raises(ValueError, match=message):
        fit(MLP(2, [3, 1]), X, y, progress=False, **kwargs)


def test_progress_false_prints_nothing(capsys):
    X, y = data.make_moons(20, seed=0)
    fit(MLP(2, [3, 1]), X, y, epochs=2, progress=False)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_a_long_fit_shows_a_progress_bar(capsys, monkeypatch):
    import pathgrad.nn.progress as progress

    monkeypatch.setattr(progress, "DELAY", 0.0)
    X, y = data.make_moons(20, seed=0)
    fit(MLP(2, [3, 1]), X, y, epochs=2)
    assert "2/2" in capsys.readouterr().err


def test_without_tqdm_the_bar_falls_back_to_plain_lines(capsys, monkeypatch):
    import builtins

    import pathgrad.nn.progress as progress

    real_import = builtins.__import__

    def no_tqdm(name, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    monkeypatch.setattr(progress, "DELAY", 0.0)
    X, y = data.make_moons(20, seed=0)
    fit(MLP(2, [3, 1]), X, y, epochs=2)
    err = capsys.readouterr().err
    assert err.startswith("fit: 2/2 loss=") and "accuracy=" in err


def test_fit_stops_at_the_first_loss_that_is_not_finite_naming_the_epoch():
    # Before, lr=1e308 trained on through nan losses and returned them as history.
    random.seed(0)
    X, y = data.make_moons(40, noise=0.1, seed=0)
    model = MLP(2, [8, 1])
    with pytest.raises(OverflowError, match=r"fit: training diverged at epoch 1, step 2 \(.*overflows a float.*\); .*smaller learning rate \(lr = 1e\+308\)") as caught:
        fit(model, X, y, optimizer=optim.SGD(model.parameters(), lr=1e308), epochs=5, batch_size=8,
            progress=False, seed=0)
    assert isinstance(caught.value, Diverged)
    assert caught.value.history == {"loss": [], "accuracy": []}
    assert all(np.isfinite(p.data) for p in model.parameters())


@pytest.mark.parametrize("kwargs, message", [
    (dict(epochs=2.5), "got epochs = 2.5 \\(float\\); expected an integer"),
    (dict(batch_size="8"), "got batch_size = '8' \\(str\\); expected an integer"),
    (dict(validation=7), "got validation int; expected a pair"),
])
def test_arguments_of_the_wrong_type_raise_type_error(kwargs, message):
    X, y = data.make_moons(20, seed=0)
    with pytest.raises(TypeError, match=message):
        fit(MLP(2, [3, 1]), X, y, progress=False, **kwargs)


def test_a_validation_loss_that_overflows_also_stops_training_as_diverged():
    model = Neuron(1, nonlin=False)
    model.load_state_dict({"w.0": 1e200, "b": 0.0})
    with pytest.raises(Diverged, match="training diverged at epoch 1, on the validation data") as caught:
        fit(model, [[1e-200]], [0.0], loss="mse", optimizer=optim.SGD(model.parameters(), lr=0.0),
            epochs=3, validation=([[1e200]], [0.0]), progress=False)
    assert caught.value.history == {"loss": [], "val_loss": []}


def test_detect_anomaly_stops_training_at_the_first_grad_that_is_not_finite():
    # sqrt'(0) = inf: the loss sqrt(w x)^2 is finite, its grad is not.
    model = Neuron(1, nonlin=False)
    model.load_state_dict({"w.0": 0.0, "b": 0.0})

    def loss(outputs, targets):  # one sample; fit first calls it on plain zeros
        (out,) = outputs
        return (out if isinstance(out, Value) else Value(out)).sqrt() * 0

    before = model.state_dict()
    with pytest.raises(Diverged, match=r"training diverged at epoch 1, step 1 \(detect_anomaly: backward made grad nan"):
        fit(model, [[1.0]], [0.0], loss=loss, optimizer=optim.SGD(model.parameters(), lr=0.1),
            epochs=2, progress=False, detect_anomaly=True)
    assert model.state_dict() == before
    # Without it, the step refuses to write the nan into the weight: still Diverged, naming the step.
    with pytest.raises(Diverged, match=r"training diverged at epoch 1, step 1 \(SGD's update was refused: Value: got nan"):
        fit(model, [[1.0]], [0.0], loss=loss, optimizer=optim.SGD(model.parameters(), lr=0.1),
            epochs=1, progress=False)
    assert model.state_dict() == before


# With lr = 1e308, Adam, AdamW and RMSprop take a first step to inf, which a weight refuses;
# SGD and Adagrad take a first step to about 1e307, and the second forward pass overflows.
# (The optimizer is a Recording subclass, so the message names Recording.)
@pytest.mark.parametrize("optimizer, step, cause", [
    (optim.Adam, 1, "Recording's update was refused: Value: got inf"),
    (optim.AdamW, 1, "Recording's update was refused: Value: got inf"),
    (optim.RMSprop, 1, "Recording's update was refused: Value: got inf"),
    (optim.SGD, 2, "overflows a float"),
    (optim.Adagrad, 2, "overflows a float"),
])
def test_a_step_that_would_make_a_weight_infinite_is_diverged_naming_epoch_step_and_lr(optimizer, step, cause):
    # Before, Adam's update wrote inf into a weight, the weight refused it, and fit let the
    # engine's bare "Value: got inf; data must be a finite number" through: no epoch, no advice.
    random.seed(0)
    X, y = data.make_moons(40, noise=0.1, seed=0)
    model = MLP(2, [8, 1])
    taken = []  # (weights, optimizer state) after each step that went through

    class Recording(optimizer):
        def state(self):  # Adam's moments and step count, say, as a copy
            return repr({name: v for name, v in vars(self).items() if name != "params"})

        def step(self):
            super().step()
            taken.append((model.state_dict(), self.state()))

    recording = Recording(model.parameters(), lr=1e308)
    taken.append((model.state_dict(), recording.state()))
    with pytest.raises(Diverged) as caught:
        fit(model, X, y, optimizer=recording, epochs=5, batch_size=8, progress=False, seed=0)
    message = str(caught.value)
    assert message.startswith(f"fit: training diverged at epoch 1, step {step} ("), message
    assert cause in message
    assert message.endswith("Try a smaller learning rate (lr = 1e+308); training stopped before that step")
    # The weights and the optimizer's state are those before the step that failed, none half-updated.
    assert len(taken) == step
    assert (model.state_dict(), recording.state()) == taken[-1]
    assert all(math.isfinite(p.data) for p in model.parameters())
