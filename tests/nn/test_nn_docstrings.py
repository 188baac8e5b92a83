"""Every example in pathgrad.nn's docstrings runs and prints what it says."""

import doctest
import importlib

import pytest

MODULES = [
    "pathgrad.nn",
    "pathgrad.nn.activations",
    "pathgrad.nn.init",
    "pathgrad.nn.module",
    "pathgrad.nn.layers",
    "pathgrad.nn.losses",
    "pathgrad.nn.data",
    "pathgrad.nn.training",
    "pathgrad.nn.optim.optimizer",
    "pathgrad.nn.optim.optimizers",
    "pathgrad.nn.optim.lr_scheduler",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    failures, attempted = doctest.testmod(importlib.import_module(name))
    assert attempted > 0 and failures == 0
