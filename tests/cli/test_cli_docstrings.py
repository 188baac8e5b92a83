"""Every example in the command line's docstrings runs and prints what it says."""

import doctest
import importlib

import pytest

MODULES = ["expression", "report", "outputs", "main", "quiz"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # outputs' example looks for a file in the current folder
    module = importlib.import_module(f"pathgrad.cli.{name}")
    failures, attempted = doctest.testmod(module)
    assert attempted > 0 and failures == 0
