"""The reverse sweep with its two options: grads as graphs (create_graph), and every grad checked (anomaly).

`Value.backward()` is the plain sweep: floats, one pass, written in value.py.
This is the same sweep, the chain rule d root/d child += (d node/d child) *
(d root/d node) once per edge, for when a plain float is not enough:

- `create_graph`: each node's local derivatives come from its row of the
  table (`Rule.local_grads`) evaluated on Values instead of floats, so every
  grad is a Value with a graph of its own, which can be differentiated again;
- `detect_anomaly()`: each step is checked for a grad that is not finite,
  and the first one is named with its node, op and inputs.

The grads are kept in a dict, never parked in a `.grad` that another thread
could read mid-sweep. Nodes are read only through their attributes, so this
module imports no Value: value.py imports it.

>>> from pathgrad import Value
>>> x = Value(3.0); y = x * x
>>> reverse_sweep(y, [x, y], 1.0, False, {})[x]
6.0
"""

import math

from . import ops
from .graph import topological_order
from .mode import enable_grad, is_anomaly_enabled
from .names import node_name
from .validation import RefusedType, RefusedValue


def reverse_sweep(root, order, seed, create_graph, grads):
    """Add seed * d root / d node into grads[node] for every node of `order`; no `.grad` is touched.

    `order` is root's topological order. With `create_graph` the grads are
    Values (a float seed becomes a Value of root's own class); under
    `detect_anomaly()` each step is checked.

    >>> from pathgrad import Value
    >>> x = Value(2.0); y = x ** 3
    >>> reverse_sweep(y, topological_order(y), 1.0, True, {})[x].data
    12.0
    """
    check = is_anomaly_enabled()
    if check and not math.isfinite(ops.data_of(seed)):
        raise FloatingPointError(f"detect_anomaly: backward was seeded with grad {seed!r}")
    if create_graph and type(seed) is float:
        seed = type(root)(seed)  # a Value of root's own kind: the grads are graphs from here
    grads[root] = grads[root] + seed if root in grads else seed
    with enable_grad():  # the derivative rules record their graph
        for node in reversed(order):
            if not node.children:
                continue
            upstream = grads[node]
            local_grads = local_grads_as_values(node) if create_graph else node.local_grads
            for child, local in zip(node.children, local_grads):
                contribution = local * upstream
                grads[child] = grads[child] + contribution if child in grads else contribution
            if check:
                _check_step(node, grads)
    return grads


def backward_with_graph(root, create_graph):
    """`root.backward(create_graph=...)` under `detect_anomaly()` or with create_graph: the grads written at the end.

    Leaves add to the grads they had, interior nodes get theirs afresh, as in
    the plain backward.

    >>> from pathgrad import Value
    >>> x = Value(2.0); backward_with_graph(x ** 3, create_graph=True); (x.grad.data, x.grad.op)
    (12.0, '*')
    """
    order = topological_order(root)
    kept = {node: node.grad for node in order if not node.children and not _is_zero(node.grad)}
    grads = reverse_sweep(root, order, 1.0, create_graph, kept)
    for node in order:
        node.grad = grads.get(node, 0.0)


def _is_zero(grad):
    return type(grad) is float and grad == 0.0


def local_grads_as_values(node):
    """node's local derivatives as Values, from its rule: the graph of the derivative.

    >>> from pathgrad import Value
    >>> y = Value(3.0) * Value(2.0)
    >>> [(g.data, type(g).__name__) for g in local_grads_as_values(y)]
    [(2.0, 'Value'), (3.0, 'Value')]
    """
    rule = node.rule
    if rule.derivatives is None:
        raise RefusedType(
            f"create_graph: the {rule.op!r} node was made by operation() with numbers for its "
            f"local grads, so they cannot be differentiated again; add a row for it with "
            f"pathgrad.add_rule(Rule(...)) instead"
        )
    try:
        local_grads = rule.local_grads(node.children, node)
    except OverflowError:  # a step of the derivative's graph is beyond a float, as the float one is inf
        local_grads = (math.inf,)
    for local in local_grads:
        if type(local) is float and local - local:  # inf: sqrt at 0, x ** 0.5 at 0, k x^(k-1) overflowing
            inputs = ", ".join(repr(child.data) for child in node.children)
            raise RefusedValue(
                f"create_graph: the {rule.op!r} node {node_name(node)} (inputs {inputs}) has local "
                f"derivative {local!r}, which cannot be differentiated again; "
                f"move the input off the point where the derivative is infinite"
            )
    return local_grads


def _check_step(node, grads):
    """Under detect_anomaly: raise at the first child whose grad this step made non-finite."""
    for child, local in zip(node.children, node.local_grads):
        grad = ops.data_of(grads[child])
        if not math.isfinite(grad):
            inputs = ", ".join(repr(c.data) for c in node.children)
            raise FloatingPointError(
                f"detect_anomaly: backward made grad {grad!r} for {node_name(child)} at the "
                f"{node.op!r} node {node_name(node)} (inputs {inputs}; local grad {local!r}, "
                f"upstream grad {ops.data_of(grads[node])!r})"
            )
