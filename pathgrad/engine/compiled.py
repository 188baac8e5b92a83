"""The compiled core (_core.c), put in place of the pure engine by one explicit call: `install()`.

value.py is the engine a learner reads and the source of truth; the core
stores the same nodes in C and runs the kernels of the table's rows that name
one (`Rule.kernel`) and the reverse sweep without the interpreter. Everything
else (the other rows, every refusal, create_graph) it hands back to the pure
engine's own functions. engine/__init__.py calls `install()` once: after
operators.py has bound the table onto value.py's Value (the core copies those
methods), and before it imports the modules that take `Value` by name. It
replaces exactly the names of `REPLACED`:

- `value.Value`: the core's type, which copies in every method value.py's
  class has and the core lacks, so `add_rule` keeps binding rows onto it;
- `value.make_node`: the one function every operation ends in, compiled;
- `operators.sum`, `operators.weighted_sum`: the many-operand nodes, compiled;
- `mode.scope.run`: enter a scope, call, leave, compiled.

`ENGINE` says which engine runs: "compiled", or "pure" when `PATHGRAD_PURE`
is 1, true or yes (any case), when the core is not built, or on a
free-threaded Python (the core relies on the GIL, so it is not loaded there).

>>> ENGINE in ("compiled", "pure")
True
"""

import os
import sysconfig
import warnings

from . import mode, operators, ops, value

REPLACED = ("value.Value", "value.make_node", "operators.sum", "operators.weighted_sum", "mode.scope.run")
ENGINE = None  # "compiled" or "pure", once install() has run
core = None  # the compiled core's module, when it runs

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
            RuntimeWarning, stacklevel=3,
        )
    return False


def _load_core():
    """The compiled core module, or None when the pure engine must run."""
    if _wants_pure():
        return None
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        warnings.warn(
            "pathgrad: this Python is free-threaded and the compiled core needs the GIL; "
            "running the pure Python engine", RuntimeWarning, stacklevel=3,
        )
        return None
    try:
        from . import _core
    except ImportError:  # not built: the pure engine runs
        return None
    return _core


def install():
    """Put the compiled core in place of the names of `REPLACED`, when it is built and wanted; return ENGINE.

    Called once, by engine/__init__.py; a second call changes nothing.

    >>> install() == ENGINE
    True
    """
    global ENGINE, core
    if ENGINE is not None:
        return ENGINE
    core = _load_core()
    ENGINE = "compiled" if core else "pure"
    if core:
        value.Value, operators.sum, operators.weighted_sum = core.adopt(
            value.Value, context=mode.context, anomaly=mode.anomaly, ops=ops,
            sum=operators.sum, weighted_sum=operators.weighted_sum,
        )
        value.make_node = core.node
        mode.scope.run = staticmethod(core.run_in_scope)
    return ENGINE
