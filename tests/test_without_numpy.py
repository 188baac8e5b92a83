"""pathgrad imports without numpy, as it must in the browser (Pyodide from registry packages has none).

The site's test (tests/site) finds this in Chromium; this finds it in a second, on CPython.
"""

import subprocess
import sys

BLOCK_NUMPY = """
import sys
class NoNumpy:
    def find_spec(self, name, path=None, target=None):
        if name == "numpy" or name.startswith("numpy."):
            raise ModuleNotFoundError("no numpy here", name="numpy")
sys.meta_path.insert(0, NoNumpy())
"""


def run(code):
    return subprocess.run([sys.executable, "-c", BLOCK_NUMPY + code], capture_output=True, text=True, timeout=300)


def test_every_module_the_browser_imports_needs_no_numpy():
    done = run(
        "import pathgrad, pathgrad.nn, pathgrad.viz, pathgrad.viz.stepper, pathgrad.exercises\n"
        "import pathgrad.cli.main, pathgrad.cli.expression, pathgrad.cli.train\n"
        "from pathgrad.nn import MLP\n"
        "model = MLP(2, [3, 1])\n"
        "loss = model([1.0, -2.0]) ** 2\n"
        "loss.backward()\n"
        "print(len(model.parameters()), 'numpy' in sys.modules)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["13", "False"]  # (2*3 + 3) + (3 + 1) parameters; numpy never loaded


def test_what_needs_numpy_says_so_in_one_line():
    done = run("from pathgrad.nn import data\ndata.make_moons(10, seed=0)\n")
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: pathgrad.nn: the toy data sets, fit and evaluate need numpy")
