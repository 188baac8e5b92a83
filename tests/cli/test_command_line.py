"""The command itself: the installed console script, and --help with examples."""

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "pathgrad"


@pytest.mark.skipif(not SCRIPT.exists(), reason="pathgrad is not installed as a console script here")
def test_console_script_runs_the_same_command(pathgrad, table, tmp_path):
    result = pathgrad(
        "graph", "c = a + b; d = b + 1; e = c * d", "a=2", "b=1", "-o", "e.svg", command=(str(SCRIPT),)
    )
    assert result.returncode == 0, result.stderr
    assert table(result.stdout)["b"] == (1, 5)
    assert (tmp_path / "e.svg").exists()


@pytest.mark.skipif(not SCRIPT.exists(), reason="pathgrad is not installed as a console script here")
def test_console_script_refuses_without_a_traceback(pathgrad):
    result = pathgrad("graph", "log(x)", "x=-1", command=(str(SCRIPT),))
    assert result.returncode == 2
    assert result.stderr == "pathgrad graph: log: got x = -1.0; log is defined only for x > 0\n"


def test_top_level_help_lists_every_command_with_an_example(pathgrad):
    result = pathgrad("--help")
    assert result.returncode == 0
    for command in ("graph", "check", "train", "demo"):
        assert f"\n  {command} " in result.stdout
    assert "examples:" in result.stdout


@pytest.mark.parametrize("command", ["graph", "check", "train", "demo"])
def test_every_command_help_shows_an_example(pathgrad, command):
    result = pathgrad(command, "--help")
    assert result.returncode == 0
    assert f"usage: pathgrad {command}" in result.stdout
    assert "\nexample" in result.stdout  # an "example:" or "examples:" section
    assert f"  pathgrad {command}" in result.stdout.split("\nexample")[1]


def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "pathgrad", "graph", "y = x * x", "x=3"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    process.stdout.close()  # as `| head -0` would
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0
    assert stderr == ""
