"""`pathgrad --version` and `pathgrad demo` say which engine runs, on which Python."""

import os
import platform

import pytest

import pathgrad


def without_pure(**extra):
    env = {key: value for key, value in os.environ.items() if key != "PATHGRAD_PURE"}
    env.update(extra)
    return env


@pytest.mark.parametrize("word", ["1", "TRUE", "yes"])
def test_version_names_the_pure_engine_when_pathgrad_pure_asks_for_it(pathgrad, word):
    done = pathgrad("--version", env=without_pure(PATHGRAD_PURE=word))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"pathgrad {pathgrad_version()} (pure engine) on Python {platform.python_version()}\n"


@pytest.mark.skipif(pathgrad.ENGINE != "compiled", reason="the compiled core is not in use here")
@pytest.mark.parametrize("word", [None, "", "0"])
def test_version_names_the_compiled_engine_when_it_is_built_and_not_switched_off(pathgrad, word):
    env = without_pure() if word is None else without_pure(PATHGRAD_PURE=word)
    done = pathgrad("--version", env=env)
    assert done.stdout == f"pathgrad {pathgrad_version()} (compiled engine) on Python {platform.python_version()}\n"


def test_the_demo_says_which_engine_ran(pathgrad):
    done = pathgrad("demo", env=without_pure(PATHGRAD_PURE="1"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("ran on the pure engine")


def pathgrad_version():
    return pathgrad.__version__
