"""`pathgrad train`: tiny fast configurations, the files they write, and bad options."""

import json
import os
import re

import pytest

from pathgrad.nn import MLP, data

TINY = ("--hidden", "4", "--epochs", "2")


def accuracy_counts(stdout):
    """{"train": (correct, total), "test": (correct, total)} from the printed lines."""
    found = re.findall(r"^(train|test) accuracy [\d.]+% \((\d+) of (\d+)\)$", stdout, re.MULTILINE)
    return {name: (int(correct), int(total)) for name, correct, total in found}


def test_tiny_run_prints_the_set_up_and_both_accuracies(pathgrad):
    result = pathgrad("train", "--dataset", "xor", *TINY, "--seed", "1")
    assert result.returncode == 0, result.stderr
    assert "xor: 150 samples to train on, 50 to test, 2 classes" in result.stdout
    assert "model: MLP(2, [4, 1]) with relu hidden layers, 17 parameters" in result.stdout
    assert "training: adam (lr 0.01), bce_with_logits, 2 epochs, batches of 32, seed 1" in result.stdout
    counts = accuracy_counts(result.stdout)
    assert counts["train"][1] == 150 and counts["test"][1] == 50
    assert 0 <= counts["train"][0] <= 150 and 0 <= counts["test"][0] <= 50


def test_the_same_seed_gives_the_same_run(pathgrad):
    first = pathgrad("train", *TINY, "--seed", "7")
    second = pathgrad("train", *TINY, "--seed", "7")
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout


def test_saved_model_reproduces_the_printed_test_accuracy(pathgrad, tmp_path):
    result = pathgrad("train", "--dataset", "xor", *TINY, "--seed", "1", "--save", "xor.json")
    assert result.returncode == 0, result.stderr
    assert "wrote xor.json" in result.stdout
    document = json.loads((tmp_path / "xor.json").read_text())
    assert document["architecture"]["nouts"] == [4, 1]
    model = MLP(2, [4, 1])
    model.load(tmp_path / "xor.json")
    X, y = data.make_xor(200, seed=1)
    _, X_test, _, y_test = data.train_test_split(X, y, seed=1)
    correct = sum(int(model(list(x)).data > 0) == label for x, label in zip(X_test, y_test))
    assert accuracy_counts(result.stdout)["test"] == (correct, 50)


def test_training_on_moons_separates_them_where_a_line_cannot(pathgrad):
    # no straight line separates the moons (a linear model stays near 85%); 16,16 relu does
    result = pathgrad("train", "--dataset", "moons", "--epochs", "60")
    assert result.returncode == 0, result.stderr
    train, test = accuracy_counts(result.stdout)["train"], accuracy_counts(result.stdout)["test"]
    assert train[0] / train[1] >= 0.95 and test[0] / test[1] >= 0.95


def test_more_than_two_classes_get_one_output_each_and_cross_entropy(pathgrad):
    result = pathgrad("train", "--dataset", "spiral", *TINY)
    assert result.returncode == 0, result.stderr
    assert "3 classes" in result.stdout
    assert "MLP(2, [4, 3])" in result.stdout and "cross_entropy" in result.stdout
    assert accuracy_counts(result.stdout)["test"][1] == 75


@pytest.mark.parametrize(
    "options, output_activation",
    [(("--loss", "hinge"), "linear"), (("--loss", "bce"), "sigmoid"), (("--hidden", ""), "linear")],
)
def test_each_binary_loss_gets_the_last_layer_it_needs(pathgrad, tmp_path, options, output_activation):
    result = pathgrad("train", *TINY, *options, "--save", "m.json")
    assert result.returncode == 0, result.stderr
    architecture = json.loads((tmp_path / "m.json").read_text())["architecture"]
    assert architecture["output_activation"] == output_activation


def test_sgd_gets_its_own_default_learning_rate_and_lr_overrides_it(pathgrad):
    assert "sgd (lr 0.1)" in pathgrad("train", *TINY, "--optimizer", "sgd").stdout
    assert "sgd (lr 0.5)" in pathgrad("train", *TINY, "--optimizer", "sgd", "--lr", "0.5").stdout


@pytest.mark.parametrize("name, start", [("boundary.svg", b"<?xml"), ("boundary.png", b"\x89PNG")])
def test_plot_writes_the_boundary_and_loss_curves(pathgrad, tmp_path, name, start):
    pytest.importorskip("matplotlib")
    result = pathgrad("train", *TINY, "--plot", name)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / name).read_bytes().startswith(start)


def test_plot_without_matplotlib_says_how_to_install_it(pathgrad, tmp_path, tmp_path_factory):
    hidden = tmp_path_factory.mktemp("no-matplotlib")
    (hidden / "matplotlib").mkdir()
    (hidden / "matplotlib" / "__init__.py").write_text("raise ImportError('matplotlib is hidden')\n")
    env = {**os.environ, "PYTHONPATH": str(hidden)}
    result = pathgrad("train", *TINY, "--plot", "b.svg", "--save", "m.json", env=env)
    assert result.returncode == 2
    assert "pip install 'pathgrad[plot]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # refused before training
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "options, message",
    [
        (("--dataset", "spiral", "--loss", "hinge"), "--loss hinge separates two classes, and spiral has 3"),
        (("--hidden", "16,a"), "'16,a' is not a list of layer sizes"),
        (("--hidden", "16,0"), "'16,0' is not a list of layer sizes"),
        (("--lr", "0"), "argument --lr: '0' is not a finite number > 0"),
        (("--lr", "inf"), "argument --lr: 'inf' is not a finite number > 0"),
        (("--lr", "nan"), "argument --lr: 'nan' is not a finite number > 0"),
        (("--hidden", "100000000"), "would have 400,000,001 parameters; at most 1,000,000"),
        (("--epochs", "1.5"), "argument --epochs: '1.5' is not a positive int"),
        (("--seed", "-1"), "argument --seed: '-1' is not a seed"),
        (("--dataset", "iris"), "argument --dataset: invalid choice: 'iris'"),
        (("--loss", "mae"), "argument --loss: invalid choice: 'mae'"),
        (("--plot", "b.jpg"), "--plot b.jpg: the name must end in .svg, .png, .pdf"),
        (("--save", "nowhere/m.json"), "does not exist"),
    ],
)
def test_bad_options_exit_2_before_training_and_write_nothing(pathgrad, tmp_path, options, message):
    result = pathgrad("train", *TINY, "--save", "m.json", *options)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""
    assert os.listdir(tmp_path) == []


def test_detect_anomaly_reaches_fit(monkeypatch, capsys):
    import pathgrad.cli.train as train
    from pathgrad.cli import main

    seen = {}

    def fit(*args, **kwargs):
        seen.update(kwargs)
        raise KeyboardInterrupt  # stop there

    monkeypatch.setattr(train, "fit", fit)
    assert main(["train", "--hidden", "4", "--epochs", "1", "--detect-anomaly"]) == 130
    assert seen["detect_anomaly"] is True


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_a_huge_learning_rate_exits_1_naming_the_epoch_and_step_and_suggesting_a_smaller_rate(pathgrad, tmp_path, optimizer):
    # Before, adam's update wrote inf into a weight and the user saw only the engine's
    # "Value: got inf; data must be a finite number", with exit status 2, as if the input were bad.
    result = pathgrad("train", *TINY, "--optimizer", optimizer, "--lr", "1e308", "--save", "m.json")
    assert result.returncode == 1, result.stderr
    assert re.fullmatch(
        r"pathgrad train: fit: training diverged at epoch 1, step \d+ \(.+\); the weights blew up\. "
        r"Try a smaller learning rate \(lr = 1e\+308\); training stopped before that step\n",
        result.stderr,
    ), result.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("dataset, classes", [("moons", 2), ("blobs", 3)])
def test_mse_trains_one_output_per_class_against_one_hot_targets(pathgrad, tmp_path, dataset, classes):
    # Before, --loss mse was "invalid choice", though mse is the first loss of a course.
    result = pathgrad("train", "--dataset", dataset, "--loss", "mse", "--hidden", "8", "--epochs", "30",
                      "--save", "m.json")
    assert result.returncode == 0, result.stderr
    assert f"model: MLP(2, [8, {classes}])" in result.stdout
    assert "training: adam (lr 0.01), mse, 30 epochs" in result.stdout
    counts = accuracy_counts(result.stdout)
    # The printed test accuracy is the saved model's: its largest output is the class.
    model = MLP(2, [8, classes])
    model.load(tmp_path / "m.json")
    X, y = (data.make_moons(100, noise=0.1, seed=0) if dataset == "moons"
            else data.make_blobs(150, centers=3, seed=0))
    _, X_test, _, y_test = data.train_test_split(X, y, seed=0)
    outputs = [[v.data for v in model(list(x))] for x in X_test]
    correct = sum(int(max(range(classes), key=out.__getitem__)) == label for out, label in zip(outputs, y_test))
    assert counts["test"] == (correct, len(y_test))
    assert counts["test"][0] / counts["test"][1] >= 0.85  # 30 epochs separate them well
    # and the printed training loss is mse against one-hot rows (y = 0 -> [1, 0, ...])
    loss = float(re.search(r"^loss: train [\d.e-]+, test ([\d.e-]+)$", result.stdout, re.MULTILINE).group(1))
    one_hot = [[float(k == label) for k in range(classes)] for label in y_test]
    expected = sum((o - t) ** 2 for out, row in zip(outputs, one_hot) for o, t in zip(out, row)) / (len(y_test) * classes)
    assert loss == pytest.approx(expected, rel=1e-3)
