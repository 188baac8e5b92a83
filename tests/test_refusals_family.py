"""Refusals are the Refused* family of pathgrad/engine/validation.py, and no module imports another's private names.

Both facts are read from the source (its syntax tree), so a new bare `raise ValueError(...)`
or a new `from .x import _y` fails here, naming the file and line.
"""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "pathgrad"

# The modules whose refusals of user input must be Refused*.
REFUSING_MODULES = sorted(
    [*PACKAGE.glob("exercises/*.py"), *PACKAGE.glob("cli/*.py")]
    + [*PACKAGE.glob("viz/*.py"), *PACKAGE.glob("viz/stepper/*.py")]
)

# Deliberate bare built-in raises, as {(path relative to pathgrad/, line text): reason}. None today.
BARE_RAISES_ALLOWED = {}

# Deliberate private imports, as {(path relative to pathgrad/, name): reason}.
PRIVATE_IMPORTS_ALLOWED = {
    ("engine/compiled.py", "_core"): "the engine loads its own compiled core, a module of its package, not a name of another module",
}


def bare_raises(source):
    """(line, name) of each `raise ValueError(...)` / `raise TypeError(...)` (or without the call) in source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id in ("ValueError", "TypeError"):
                found.append((node.lineno, exc.id))
    return sorted(found)


def private_imports(source):
    """(line, name) of each name imported with `from ... import` that starts with one underscore."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name.startswith("_") and not (alias.name.startswith("__") and alias.name.endswith("__")):
                    found.append((node.lineno, alias.name))
    return sorted(found)


def test_the_checks_find_a_bare_raise_and_a_private_import_and_pass_their_refused_and_public_forms():
    source = (
        "from .graph import FORMATS, _format_of\n"
        "from pathgrad import __version__\n"
        "def f(x):\n"
        "    if x:\n"
        "        raise ValueError('no')\n"
        "    raise RefusedType('no')\n"
        "def g():\n"
        "    raise TypeError\n"
    )
    assert bare_raises(source) == [(5, "ValueError"), (8, "TypeError")]
    assert private_imports(source) == [(1, "_format_of")]


def test_the_refusing_modules_all_exist():
    missing = [str(path) for path in REFUSING_MODULES if not path.is_file()]
    viz = [path for path in REFUSING_MODULES if "viz" in path.parts]
    assert not missing and len(REFUSING_MODULES) > 15 and len(viz) >= 18


@pytest.mark.parametrize("path", REFUSING_MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_a_refusal_is_refused_value_or_refused_type_not_a_bare_value_error_or_type_error(path):
    where = str(path.relative_to(PACKAGE))
    lines = path.read_text(encoding="utf-8").splitlines()
    bare = [
        f"{where}:{line}: raise {name}"
        for line, name in bare_raises(path.read_text(encoding="utf-8"))
        if (where, lines[line - 1].strip()) not in BARE_RAISES_ALLOWED
    ]
    assert bare == [], "use RefusedValue / RefusedType from pathgrad.engine.validation (same message)"


def test_no_module_of_pathgrad_imports_a_private_name_of_another():
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, name in private_imports(path.read_text(encoding="utf-8"))
        if (str(path.relative_to(PACKAGE)), name) not in PRIVATE_IMPORTS_ALLOWED
    ]
    assert found == [], "make the name public under a name that says what it is, or use a public helper"


def test_each_allowed_private_import_is_still_there():
    still = {
        (str(path.relative_to(PACKAGE)), name)
        for path in PACKAGE.rglob("*.py")
        for _, name in private_imports(path.read_text(encoding="utf-8"))
    }
    assert set(PRIVATE_IMPORTS_ALLOWED) <= still, "remove allowances that no longer apply"
