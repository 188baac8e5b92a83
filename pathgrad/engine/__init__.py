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

>>> a, b = Value(2.0, "a"), Value(1.0, "b")
>>> e = (a + b) * (b + 1); e.label = "e"
>>> e.backward(); (a.grad, b.grad)                  # reverse mode
(2.0, 5.0)
>>> [path.product for path in all_paths(e, b)]      # the two paths from b, summed: 5
[2.0, 3.0]
>>> forward_mode(e, b)[e]                           # forward mode from b
5.0
>>> print(explain(e, b))
de/db = ∂e/∂(a + b) · ∂(a + b)/∂b + ∂e/∂(b + 1) · ∂(b + 1)/∂b = 2·1 + 3·1 = 5

The modules, each on the floor of those it imports (none imports upward):

- validation.py: the Refused* errors and the checks that raise them;
- ops.py: the table, one row per op: its forward and local derivatives;
- mode.py: grad mode, anomaly detection and scopes;
- graph.py: topological_order, and backward_trace (the sweep as data);
- names.py: how nodes and derivatives are written in text;
- sweep.py: the reverse sweep for create_graph and detect_anomaly;
- value.py: Value, make_node, backward and pickling;
- operators.py: the rows bound onto Value; add_rule, operation(), sum, weighted_sum, maximum, minimum;
- compiled.py: install() puts the compiled core (_core.c) in place, where built;
- autograd.py (grad, hessian, hvp), explanation.py (explain), paths.py,
  forward.py and gradient_check.py: the views of the chain rule.

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

from . import compiled, ops, operators, value

ENGINE = compiled.install()  # before the modules below take Value by name

from .autograd import grad, hessian, hvp  # noqa: E402
from .explanation import Explanation, explain  # noqa: E402
from .forward import forward_mode  # noqa: E402
from .gradient_check import GradcheckError, GradcheckResult, gradcheck  # noqa: E402
from .graph import BackwardStep, Edge, backward_trace, topological_order  # noqa: E402
from .mode import (  # noqa: E402
    detect_anomaly, enable_grad, is_anomaly_enabled, is_grad_enabled, no_grad, scope, set_grad_enabled,
)
from .names import ascii_text, derivative_name, factor_text, is_one_edge, node_name, node_names, number_text  # noqa: E402
from .operators import add_rule, maximum, minimum, operation, sum, weighted_sum  # noqa: E402
from .ops import Rule  # noqa: E402
from .paths import Path, PathLimitExceeded, PathSum, all_paths, count_paths  # noqa: E402
from .value import Value  # noqa: E402

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
