"""Every example in pathgrad.exercises' docstrings runs and prints what it says."""

import doctest
import importlib
import pkgutil

import pytest

import pathgrad.exercises

MODULES = ["pathgrad.exercises"] + [
    f"pathgrad.exercises.{m.name}" for m in pkgutil.iter_modules(pathgrad.exercises.__path__)
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
