"""state_dict, load_state_dict, and JSON model files: round trips, atomic saves, checks before changes."""

import json
import os

import pytest

import pathgrad.nn.checkpoint as checkpoint
from pathgrad.nn import MLP, Neuron


@pytest.fixture
def model():
    return MLP(2, [3, 2, 1], activation="tanh")


def numbers(model):
    return [p.data for p in model.parameters()]


def test_state_dict_round_trip_copies_every_parameter(model):
    other = MLP(2, [3, 2, 1], activation="tanh")
    other.load_state_dict(model.state_dict())
    assert numbers(other) == numbers(model)
    assert other([0.3, -0.7]).data == model([0.3, -0.7]).data


def test_save_then_load_restores_the_exact_numbers(model, tmp_path):
    path = tmp_path / "model.json"
    model.save(path)
    other = MLP(2, [3, 2, 1], activation="tanh")
    other.load(path)
    assert numbers(other) == numbers(model)  # JSON floats round-trip exactly


def test_a_model_file_is_plain_json_with_architecture_and_parameters(model, tmp_path):
    path = tmp_path / "model.json"
    model.save(str(path))
    document = json.loads(path.read_text())
    assert document["format"] == "pathgrad.nn" and document["version"] == 1
    assert document["architecture"] == {
        "type": "MLP", "nin": 2, "nouts": [3, 2, 1], "activation": "tanh", "output_activation": "linear",
    }
    assert document["parameters"]["layers.0.neurons.0.w.0"] == model.layers[0].neurons[0].w[0].data
    assert len(document["parameters"]) == len(model.parameters()) == 3 * 3 + 2 * 4 + 3


def test_saving_over_an_old_file_replaces_it_and_leaves_no_temporary_file(model, tmp_path):
    path = tmp_path / "model.json"
    path.write_text("old")
    model.save(path)
    assert json.loads(path.read_text())["format"] == "pathgrad.nn"
    assert os.listdir(tmp_path) == ["model.json"]


@pytest.mark.parametrize("break_at", ["os.fsync", "os.replace"])  # after the write, before the rename
def test_an_interrupted_save_leaves_the_old_file_intact(model, tmp_path, monkeypatch, break_at):
    path = tmp_path / "model.json"
    model.save(path)
    before = path.read_bytes()
    for p in model.parameters():
        p.data += 1.0

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("power cut")

    module, name = break_at.split(".")
    monkeypatch.setattr(getattr(checkpoint, module), name, crash)
    with pytest.raises(KeyboardInterrupt):
        model.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.json"]


@pytest.mark.parametrize("text, message", [
    ("{not json", "is not valid JSON"),
    ("", "is not valid JSON"),
    ("[1, 2]", "is not a pathgrad model file"),
    ('{"format": "keras"}', "is not a pathgrad model file"),
])
def test_a_corrupt_file_raises_and_leaves_the_model_unchanged(model, tmp_path, text, message):
    path = tmp_path / "model.json"
    path.write_text(text)
    before = numbers(model)
    with pytest.raises(ValueError, match=message):
        model.load(path)
    assert numbers(model) == before


def saved_document(model, tmp_path):
    path = tmp_path / "model.json"
    model.save(path)
    return path, json.loads(path.read_text())


def test_a_truncated_file_raises_and_leaves_the_model_unchanged(model, tmp_path):
    path, _ = saved_document(model, tmp_path)
    path.write_text(path.read_text()[: len(path.read_text()) // 2])
    before = numbers(model)
    with pytest.raises(ValueError, match="is not valid JSON"):
        model.load(path)
    assert numbers(model) == before


def test_another_architecture_raises_naming_both_and_leaves_the_model_unchanged(tmp_path):
    path = tmp_path / "model.json"
    MLP(2, [4, 1]).save(path)
    model = MLP(2, [3, 1])
    before = numbers(model)
    with pytest.raises(ValueError, match=r"holds architecture .*'nouts': \[4, 1\].* but this model is .*'nouts': \[3, 1\]"):
        model.load(path)
    assert numbers(model) == before


def test_the_same_shape_with_another_activation_is_another_architecture(tmp_path):
    path = tmp_path / "model.json"
    MLP(2, [3, 1], activation="tanh").save(path)
    with pytest.raises(ValueError, match="architecture"):
        MLP(2, [3, 1]).load(path)


@pytest.mark.parametrize("bad", ["0.5", None, True, [1.0], float("nan"), float("inf")])
def test_a_non_number_raises_and_leaves_the_model_unchanged(model, tmp_path, bad):
    path, document = saved_document(model, tmp_path)
    last = list(document["parameters"])[-1]  # the last one: earlier ones would be set first by a naive loader
    document["parameters"][last] = bad
    path.write_text(json.dumps(document))
    before = numbers(model)
    with pytest.raises(ValueError, match=f"parameter '{last}' is .*; expected a finite number"):
        model.load(path)
    assert numbers(model) == before


def test_missing_and_unexpected_parameters_are_named(model, tmp_path):
    path, document = saved_document(model, tmp_path)
    document["parameters"].pop("layers.2.neurons.0.b")
    document["parameters"]["layers.9.neurons.0.b"] = 1.0
    path.write_text(json.dumps(document))
    before = numbers(model)
    with pytest.raises(ValueError, match="missing: 'layers.2.neurons.0.b'; unexpected: 'layers.9.neurons.0.b'"):
        model.load(path)
    assert numbers(model) == before


def test_load_state_dict_rejects_a_non_dict():
    with pytest.raises(ValueError, match="got list; expected a dict"):
        Neuron(2).load_state_dict([1.0, 2.0, 3.0])


def test_a_parameter_refuses_nan_so_a_saved_model_holds_finite_numbers(model, tmp_path):
    path, _ = saved_document(model, tmp_path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="Value: got nan; data must be a finite number"):
        model.parameters()[0].data = float("nan")
    model.save(path)
    assert path.read_bytes() == before


def test_a_missing_file_raises_file_not_found(model, tmp_path):
    with pytest.raises(FileNotFoundError):
        model.load(tmp_path / "nope.json")


@pytest.mark.parametrize(
    "content, message",
    [
        # Before: OverflowError, RecursionError, UnicodeDecodeError, and a literal {FORMAT!r}.
        (lambda text: text.replace('0.b": 0.0', '0.b": 1' + "0" * 400, 1), "is too large for a float"),
        (lambda text: text.replace('0.b": 0.0', '0.b": 1e400', 1), "the number 1e400 is too large"),
        (lambda text: text.replace('0.b": 0.0', '0.b": NaN', 1), "parameter 'layers.0.neurons.0.b' is nan"),
        (lambda text: "[" * 100_000 + "]" * 100_000, "nests arrays or objects too deeply"),
        (lambda text: b"\xff\xfe" + text.encode(), "is not UTF-8 text"),
        (lambda text: '{"format": "other"}', "expected a JSON object with \"format\": 'pathgrad.nn'"),
        (lambda text: text.replace('0.b": 0.0', '0.b": "one"', 1), "parameter 'layers.0.neurons.0.b' is 'one'"),
    ],
)
def test_every_bad_model_file_is_a_value_error_naming_the_file(model, tmp_path, content, message):
    path = tmp_path / "model.json"
    model.save(path)
    text = path.read_text()
    assert '0.b": 0.0' in text
    changed = content(text)
    if isinstance(changed, bytes):
        path.write_bytes(changed)
    else:
        path.write_text(changed)
    before = numbers(model)
    with pytest.raises(ValueError, match=message) as caught:
        model.load(path)
    assert repr(str(path)) in str(caught.value)
    assert numbers(model) == before


def test_load_reads_at_most_max_bytes(model, tmp_path):
    path = tmp_path / "model.json"
    model.save(path)
    size = path.stat().st_size
    with pytest.raises(ValueError, match=f"is larger than max_bytes = {size - 1:,}"):
        model.load(path, max_bytes=size - 1)
    model.load(path, max_bytes=size)
    model.load(path, max_bytes=10**30)  # before, a raw OverflowError: "Python int too large to convert to C ssize_t"


@pytest.mark.parametrize("max_bytes, error, message", [
    (0, ValueError, "load: got max_bytes = 0; expected a positive integer"),
    (-1, ValueError, "load: got max_bytes = -1; expected a positive integer"),
    (1.5, TypeError, r"load: got max_bytes = 1.5 \(float\); expected an integer"),
    ("9", TypeError, r"load: got max_bytes = '9' \(str\); expected an integer"),
])
def test_load_refuses_a_max_bytes_that_is_not_a_positive_integer(model, tmp_path, max_bytes, error, message):
    path = tmp_path / "model.json"
    model.save(path)
    with pytest.raises(error, match=f"^{message}$"):
        model.load(path, max_bytes=max_bytes)


def test_a_model_saves_to_and_loads_from_a_bytes_path(model, tmp_path):
    # Before, save(b"...") raised a raw TypeError from inside the file writer.
    path = os.fsencode(tmp_path / "model.json")
    model.save(path)
    loaded = MLP(2, [3, 2, 1], activation="tanh")
    assert loaded.state_dict() != model.state_dict()
    loaded.load(path)
    assert loaded.state_dict() == model.state_dict()


@pytest.mark.parametrize("method", ["save", "load"])
def test_a_path_that_is_not_a_file_name_is_refused_naming_the_method(model, method):
    with pytest.raises(TypeError, match=rf"^{method}: got path 123 \(int\); expected a file name \(a str, bytes or os.PathLike\)$"):
        getattr(model, method)(123)
