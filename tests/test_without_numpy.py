"""pathgrad imports without numpy, as it must in the browser (Pyodide from registry packages has none).

The site's test (tests/site) finds this in Chromium; this finds it in a second, on CPython.
"""

import json
import math
import subprocess
import sys

BLOCK_NUMPY = """
import sys
LOOKED = 0  # how many times numpy was looked for
class NoNumpy:
    def find_spec(self, name, path=None, target=None):
        global LOOKED
        if name == "numpy" or name.startswith("numpy."):
            LOOKED += 1
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


MOONS_AND_FIT = """
import json
from pathgrad.nn import MLP, data, fit, losses
import random
X, y = data.make_moons(100, noise=0.1, seed=1337)
random.seed(0)
history = fit(MLP(2, [4, 1]), X, y, loss=losses.bce_with_logits, epochs=2, batch_size=10, seed=0, progress=False)
lists = type(X) is list and type(y) is list
X, y = (X, y) if lists else (X.tolist(), y.tolist())
print(json.dumps({"lists": lists, "numpy": "numpy" in sys.modules, "X": X, "y": y, "history": history}))
"""


def within_an_ulp(X, X_numpy):
    return len(X) == len(X_numpy) and all(
        len(row) == len(row_numpy) and all(abs(a - b) <= math.ulp(b) for a, b in zip(row, row_numpy))
        for row, row_numpy in zip(X, X_numpy)
    )


def test_data_sets_and_fit_give_lists_without_numpy_and_the_same_numbers_as_with_it():
    without = run(MOONS_AND_FIT)
    assert without.returncode == 0, without.stderr
    with_numpy = subprocess.run([sys.executable, "-c", "import sys" + MOONS_AND_FIT], capture_output=True, text=True, timeout=300)
    assert with_numpy.returncode == 0, with_numpy.stderr
    pure, numpy = json.loads(without.stdout), json.loads(with_numpy.stdout)
    assert (pure["lists"], pure["numpy"]) == (True, False)
    assert (numpy["lists"], numpy["numpy"]) == (False, True)  # arrays where numpy imports
    assert pure["y"] == numpy["y"] and sorted(set(pure["y"])) == [0, 1]
    assert within_an_ulp(pure["X"], numpy["X"])  # exactly equal on CPython 3.11, x86-64 glibc
    assert pure["history"] == numpy["history"] and len(pure["history"]["loss"]) == 2


def test_a_missing_numpy_is_looked_for_once_not_at_every_sample():
    """Each failed import searches sys.path again: in the browser site, 200 lookups of a moons forward pass
    were 1.1 s of file-system calls (notebook 07 ran ten times slower than it computes). Looked for once."""
    done = run(
        "from pathgrad.nn import MLP, data, fit, losses, optim\n"
        "X, y = data.make_moons(100, noise=0.1, seed=1337)\n"
        "net = MLP(2, [4, 1])\n"
        "losses.bce_with_logits([net(row) for row in X], y).backward()\n"
        "fit(net, X, y, loss=losses.bce_with_logits, optimizer=optim.SGD(net.parameters(), lr=0.1), epochs=2,\n"
        "    batch_size=10, seed=0, progress=False)\n"
        "print(LOOKED)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1"]
