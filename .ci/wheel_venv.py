"""Build pathgrad's wheel with a given Python and install it in a fresh venv, away from the checkout.

    python .ci/wheel_venv.py DEST [--python PYTHON] [--extras dev] [--with pytest hypothesis]

copies the sources (no built core, no caches) to DEST/src, builds the wheel
there with PYTHON's pip (as `pip install .` does), makes DEST/venv with
PYTHON, installs the wheel with its dependencies, and prints one JSON line:
the wheel, the venv's python, pathgrad.__file__ and pathgrad.ENGINE as the
installed package reports them (run from DEST, so the checkout is not on the path).
Used by tests/test_install.py, `make test-pythons` and `make bench-wheel`.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "pathgrad")
REPORT = "import json, pathgrad; print(json.dumps({'file': pathgrad.__file__, 'engine': pathgrad.ENGINE}))"


def clean_env():
    """This environment without PYTHONPATH (a checkout on it would stand in for the installed package)
    and without PATHGRAD_PURE (the report says which engine the wheel runs by default)."""
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PATHGRAD_PURE")}


def run(*command, cwd=None):
    """Run a command, failing with its own output if it fails."""
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, env=clean_env())
    if done.returncode:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def copy_sources(dest):
    """The files a wheel is built from, without built cores, caches or the checkout's build/."""
    src = dest / "src"
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "*.partial"))
        else:
            src.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, src / name)
    return src


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--extras", default="", help="extras to install with the wheel, e.g. dev")
    parser.add_argument("--with", dest="also", nargs="*", default=[], help="more packages to install beside it")
    args = parser.parse_args()
    dest = args.dest.resolve()
    src = copy_sources(dest)
    run(args.python, "-m", "venv", dest / "venv")
    python = dest / "venv" / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", dest / "dist", src)
    (wheel,) = (dest / "dist").glob("pathgrad-*.whl")
    run(python, "-m", "pip", "install", "--quiet", f"{wheel}[{args.extras}]" if args.extras else wheel, *args.also)
    installed = json.loads(run(python, "-c", REPORT, cwd=dest))
    print(json.dumps({"wheel": str(wheel), "python": str(python), **installed}))


if __name__ == "__main__":
    main()
