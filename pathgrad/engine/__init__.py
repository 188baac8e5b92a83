"""pathgrad.engine: scalar reverse-mode automatic differentiation.

Every operation on a `Value` records, beside its result, the local derivative
d out / d child on each edge into it. The chain rule then says that
d root / d x is the sum over all paths from x to root of the product of the
local derivatives along the path. That sum can be read three ways, all from
the same recorded numbers:

- `backward()`: reverse mode, factorized. Sweep the nodes from the root down
  in reverse topological order, each passing `local * grad` to its children.
  One visit per edge, whatever the number of paths.
- `all_paths()` / `count_paths()` / `PathSum`: the path sum itself, written out.
- `forward_mode()`: the same products, accumulated from one input upwards.

Every operation is one row of the table in `ops.py` (its forward and its
local derivatives, written once for floats and for Values); `value.py` turns
the rows into Value's operators and holds `backward()`, the whole algorithm;
`mode.py` holds grad mode and scopes; `grad()`, `hessian()` and `hvp()`
(`autograd.py`) differentiate twice.

`backward_trace()` and `explain()` show the reverse sweep as data and as the
sum a person writes by hand; `gradcheck()` compares it with finite differences.

colah's e = (a + b)(b + 1) at a = 2, b = 1, read all three ways:

>>> from pathgrad.engine import Value, count_paths, forward_mode
>>> a, b = Value(2.0, "a"), Value(1.0, "b")
>>> e = (a + b) * (b + 1)
>>> e.backward()
>>> a.grad, b.grad  # de/da = b + 1; de/db = (b + 1) + (a + b), one term per path
(2.0, 5.0)
>>> count_paths(e, b)
2
>>> forward_mode(e, b)[e]
5.0

This package imports nothing else from pathgrad.
"""

from . import ops, value
from . import fast  # the compiled core takes value.py's names, before anything imports them
from .fast import ENGINE
from .autograd import grad, hessian, hvp
from .explanation import Explanation, ascii_text, derivative_name, explain, is_one_edge, factor_text, node_name, node_names, number_text
from .forward import forward_mode
from .gradient_check import GradcheckError, GradcheckResult, gradcheck
from .graph import BackwardStep, Edge, backward_trace, topological_order
from .paths import Path, PathLimitExceeded, PathSum, all_paths, count_paths
from .ops import Rule
from .mode import detect_anomaly, enable_grad, is_anomaly_enabled, is_grad_enabled, no_grad, scope, set_grad_enabled
from .value import Value, add_rule, maximum, minimum, operation, sum, weighted_sum

# `sum` is left out so that `from pathgrad.engine import *` keeps the built-in sum.
__all__ = [
    "BackwardStep",
    "ENGINE",
    "Edge",
    "Explanation",
    "GradcheckError",
    "GradcheckResult",
    "Path",
    "PathLimitExceeded",
    "PathSum",
    "Rule",
    "Value",
    "add_rule",
    "all_paths",
    "ascii_text",
    "backward_trace",
    "count_paths",
    "derivative_name",
    "detect_anomaly",
    "enable_grad",
    "explain",
    "factor_text",
    "forward_mode",
    "grad",
    "gradcheck",
    "hessian",
    "hvp",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "is_one_edge",
    "maximum",
    "minimum",
    "no_grad",
    "node_name",
    "node_names",
    "number_text",
    "operation",
    "ops",
    "scope",
    "set_grad_enabled",
    "topological_order",
    "weighted_sum",
]
