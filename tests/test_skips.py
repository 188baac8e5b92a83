"""Under PATHGRAD_REQUIRE_ALL=1 (make test), a skip that hides a required part of the suite fails."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SKIPPING = '''
import pytest
def test_needs_torch():
    pytest.importorskip("no_such_module_for_pathgrad", reason="PyTorch is not installed")
def test_core():
    pytest.skip("the compiled core is not in use (not built, or PATHGRAD_PURE=1)")
def test_root():
    pytest.skip("making device nodes needs root")
'''
AT_COLLECTION = "import pytest\npytest.importorskip('no_such_module_for_pathgrad')\ndef test_x(): pass\n"


def run(tmp_path, files, **env):
    """pytest on `files` with tests/conftest.py as a plugin: (exit status, its output)."""
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    environment = {k: v for k, v in os.environ.items() if k not in ("PATHGRAD_PURE", "PATHGRAD_REQUIRE_ALL")}
    environment.update(env, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.conftest", "-q", "-rs", "-p", "no:cacheprovider",
                           str(tmp_path)], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=environment)
    return done.returncode, done.stdout


def test_without_the_variable_skips_stay_skips(tmp_path):
    status, out = run(tmp_path, {"test_s.py": SKIPPING})
    assert status == 0 and "3 skipped" in out, out


def test_a_required_skip_fails_and_says_what_to_install(tmp_path):
    status, out = run(tmp_path, {"test_s.py": SKIPPING}, PATHGRAD_REQUIRE_ALL="1", PATHGRAD_PURE="1")
    assert status == 1, out
    assert "1 failed, 2 skipped" in out, out
    assert "requires it to run: PyTorch is not installed" in out
    assert "_ test_needs_torch _" in out  # the failure's header


def test_the_core_tests_may_skip_only_on_the_pure_pass(tmp_path):
    # The compiled pass of a checkout with no core never gets to its tests: the session stops first.
    status, out = run(tmp_path, {"test_s.py": "def test_x(): pass\n"}, PATHGRAD_REQUIRE_ALL="1")
    environment = {k: v for k, v in os.environ.items() if k != "PATHGRAD_PURE"}
    engine = subprocess.run([sys.executable, "-c", "import pathgrad; print(pathgrad.ENGINE)"], cwd=ROOT,
                            capture_output=True, text=True, env=environment, timeout=300).stdout.strip()
    if engine == "compiled":  # the core is built here; its tests' skip on the compiled pass fails
        assert status == 0, out
        status, out = run(tmp_path, {"test_s.py": SKIPPING}, PATHGRAD_REQUIRE_ALL="1")
        assert status == 1 and "2 failed, 1 skipped" in out, out
        assert "requires it to run: the compiled core is not in use" in out
    else:
        assert status != 0 and "this pass is the compiled core's" in out, out


def test_a_module_skipped_at_collection_fails_too(tmp_path):
    status, out = run(tmp_path, {"test_m.py": AT_COLLECTION}, PATHGRAD_REQUIRE_ALL="1", PATHGRAD_PURE="1")
    assert status != 0 and "requires it to run: could not import 'no_such_module_for_pathgrad'" in out, out
