"""The version is written once, as `pathgrad.__version__`; the installed metadata says the same."""

import importlib.metadata
import re
from pathlib import Path

import pathgrad

ROOT = Path(__file__).resolve().parents[1]


def test_pyproject_takes_its_version_from_pathgrad_and_writes_none_of_its_own():
    pyproject = (ROOT / "pyproject.toml").read_text()
    project = pyproject.split("[project]", 1)[1].split("\n[", 1)[0]
    assert re.search(r'^dynamic = \["version"\]$', project, flags=re.M)
    assert not re.search(r"^version\s*=", project, flags=re.M)
    assert 'version = { attr = "pathgrad.__version__" }' in pyproject


def test_the_installed_metadata_has_pathgrads_own_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", pathgrad.__version__)
    assert importlib.metadata.version("pathgrad") == pathgrad.__version__
