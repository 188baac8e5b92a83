"""Swap the compiled core (_core.c) in for value.py's Value, when it is built and wanted.

value.py is the engine a learner reads and the source of truth; the core
stores the same nodes in C and runs the table's hot rows and the reverse sweep
without the interpreter. Importing this module (engine/__init__.py does, right
after value.py and before anything that imports names from it) replaces, in
value.py (and mode.py's scope.run), exactly the names of `REPLACED`:

- `Value`: the core's type, which copies in every method value.py's class has
  and the core lacks, so `add_rule` keeps binding rows onto it;
- `_node`: the one function every operation ends in, compiled;
- `_JUST_VALUES`: {Value}, the set `_values` checks operands against;
- `sum`, `weighted_sum`: the many-operand nodes, compiled;
- `scope.run`: enter a scope, call, leave, compiled.

`ENGINE` says which engine runs: "compiled", or "pure" when `PATHGRAD_PURE`
is 1, true or yes (any case), when the core is not built, or on a
free-threaded Python (the core relies on the GIL, so it is not loaded there).

>>> ENGINE in ("compiled", "pure")
True
"""

import os
import sysconfig
import warnings

from . import mode, ops, value

REPLACED = ("Value", "_node", "_JUST_VALUES", "sum", "weighted_sum", "scope.run")

_PURE_WORDS = {"1", "true", "yes"}
_COMPILED_WORDS = {"", "0", "false", "no"}


def _wants_pure():
    """True if PATHGRAD_PURE asks for the pure engine; an unknown word is warned about and ignored."""
    word = os.environ.get("PATHGRAD_PURE", "").strip().lower()
    if word in _PURE_WORDS:
        return True
    if word not in _COMPILED_WORDS:
        warnings.warn(
            f"PATHGRAD_PURE={os.environ['PATHGRAD_PURE']!r} is not understood; "
            f"set it to 1 (pure Python engine) or 0 (compiled core); using the compiled core",
            RuntimeWarning, stacklevel=2,
        )
    return False


def _load_core():
    """The compiled core module, or None when the pure engine must run."""
    if _wants_pure():
        return None
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        warnings.warn(
            "pathgrad: this Python is free-threaded and the compiled core needs the GIL; "
            "running the pure Python engine", RuntimeWarning, stacklevel=2,
        )
        return None
    try:
        from . import _core
    except ImportError:  # not built: the pure engine runs
        return None
    return _core


_core = _load_core()
ENGINE = "compiled" if _core else "pure"

if _core:
    value.Value, value.sum, value.weighted_sum = _core.adopt(
        value.Value, context=value._context, anomaly=value._anomaly, ops=ops,
        sum=value.sum, weighted_sum=value.weighted_sum,
    )
    value._node, value._JUST_VALUES = _core.node, {value.Value}
    mode.scope.run = staticmethod(_core.run_in_scope)
