"""Every example in the engine's docstrings runs and prints what it says."""

import doctest
import importlib

import pytest

MODULES = ["value", "ops", "autograd", "graph", "paths", "forward", "explanation", "gradient_check"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(f"pathgrad.engine.{name}")
    failures, attempted = doctest.testmod(module)
    assert attempted > 0 and failures == 0
