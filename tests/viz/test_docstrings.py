"""Every example in pathgrad.viz's docstrings runs and prints what it says."""

import doctest
import importlib
import pkgutil

import pytest

import pathgrad.viz

MODULES = ["pathgrad.viz"] + [f"pathgrad.viz.{m.name}" for m in pkgutil.iter_modules(pathgrad.viz.__path__)]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
