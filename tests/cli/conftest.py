"""Running the `pathgrad` command as a subprocess, in a fresh folder, and reading its table."""

import subprocess
import sys

import pytest

MODULE = (sys.executable, "-m", "pathgrad")


@pytest.fixture
def pathgrad(tmp_path):
    """Run `python -m pathgrad ARGS...` (or `command`) with tmp_path as the current folder."""

    def run(*args, command=MODULE, env=None):
        return subprocess.run(
            [*command, *args], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env
        )

    return run


@pytest.fixture
def table():
    """The gradient table of `pathgrad graph` as {name: (value, grad)}."""

    def read(stdout):
        lines = stdout.splitlines()
        start = next(i for i, line in enumerate(lines) if line.split() == ["name", "value", "grad"])
        rows = {}
        for line in lines[start + 1 :]:
            if line.startswith("grad = "):
                return rows
            *name, value, grad = line.split()
            rows[" ".join(name)] = (float(value), float(grad))
        raise AssertionError(f"no end to the gradient table in:\n{stdout}")

    return read
