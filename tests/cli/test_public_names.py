"""The command line reaches pathgrad only through public names, and restates none of their tables."""

import ast
import importlib
from pathlib import Path

import pytest

import pathgrad.cli
from pathgrad.cli import graph, train
from pathgrad.nn import losses
from pathgrad.viz import FORMATS

# The packages' front doors (pathgrad's own too: its version and engine), and the two shared modules every layer may use.
PUBLIC = {
    "pathgrad", "pathgrad.engine", "pathgrad.nn", "pathgrad.viz", "pathgrad.exercises", "pathgrad.files", "pathgrad.engine.validation",
}
SOURCES = sorted(Path(pathgrad.cli.__file__).parent.glob("*.py"))


@pytest.mark.parametrize("source", SOURCES, ids=[path.name for path in SOURCES])
def test_the_command_line_imports_only_public_names(source):
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module.startswith("pathgrad"):
            assert node.module in PUBLIC, f"{source.name} imports from {node.module}"
            module = importlib.import_module(node.module)
            for alias in node.names:
                dunder = alias.name.startswith("__") and alias.name.endswith("__")  # __version__ is public
                assert (dunder or not alias.name.startswith("_")) and hasattr(module, alias.name), alias.name


def test_the_drawing_formats_are_viz_s_own():
    assert tuple(FORMATS) == (".svg", ".png", ".pdf", ".dot")
    assert graph.FORMATS == ("svg", "png", "pdf", "dot")


def test_train_offers_the_classification_losses_nn_describes_and_mse_on_one_hot_targets():
    choices = next(a.choices for a in train.parser()._actions if a.dest == "loss")
    assert losses.CLASSIFICATION == ("bce_with_logits", "bce", "hinge", "cross_entropy")
    assert tuple(choices) == (*losses.CLASSIFICATION, "mse")
    assert not hasattr(train, "OBJECTIVES")
