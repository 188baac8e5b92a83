"""Derivatives of derivatives: grad, hessian and Hessian-vector products.

`backward(create_graph=True)` evaluates each node's derivative rule (from the
table in `ops.py`) on Values instead of floats, so every grad is a Value with
a graph of its own: backprop is itself a computation, and its graph can be
drawn, explained, or differentiated again. Differentiating the gradient
gives the second derivatives, the Hessian H[i][j] = d^2 f / dx_i dx_j.

Where a second derivative does not exist, the convention is PyTorch's: relu,
leaky_relu and abs have a constant first derivative on each side (so their
second derivative is 0, also at the kink), and maximum/minimum send the
whole gradient to one operand (the first at a tie), as a constant 1 or 0.

A Value grad refers back into the graph it came from, and after
`backward(create_graph=True)` that graph's leaves refer to their grads:
the graph is not freed while those grads are kept, as in PyTorch (which warns
about the same cycle). Set `x.grad = 0.0` (or `zero_grad()`) when done.
`grad()` below never leaves a Value in any `.grad`.

Newton's method on f(x) = x^4/4 - x, whose minimum is at x = 1
(f' = x^3 - 1, f'' = 3x^2), steps x -= f'(x) / f''(x):

>>> def f(x):
...     return x ** 4 / 4 - x
>>> x = 2.0
>>> for _ in range(8):
...     v = Value(x)
...     (slope,) = grad(f(v), [v])
...     x -= slope / hessian(f, [x])[0][0]
>>> round(x, 12)
1.0
"""

import math

from . import ops
from .explanation import node_name
from .mode import enable_grad, is_anomaly_enabled
from .validation import RefusedType, RefusedValue
from .value import Value, topological_order, weighted_sum


def reverse_sweep(root, order, seed, create_graph, grads):
    """Add seed * d root / d node into grads[node] for every node of `order`; no `.grad` is touched.

    `Value.backward`'s sweep, with its two options. With `create_graph` each
    node's local derivatives come from its row of the table, evaluated on
    Values, so every grad is a graph of its own. Under `detect_anomaly()` each
    step is checked for a grad that is not finite. The grads are kept in the
    dict, never parked in a `.grad` that another thread could read mid-sweep.

    >>> x = Value(3.0); y = x * x
    >>> reverse_sweep(y, topological_order(y), 1.0, False, {})[x]
    6.0
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
            local_grads = _local_grads_as_values(node) if create_graph else node.local_grads
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


def _local_grads_as_values(node):
    """node's local derivatives as Values, from its rule: the graph of the derivative."""
    rule = node.rule
    if rule.derivatives is None:
        raise RefusedType(
            f"create_graph: the {rule.op!r} node was made by operation() with numbers for its "
            f"local grads, so they cannot be differentiated again; add a row for it with "
            f"pathgrad.add_rule(Rule(...)) instead"
        )
    if rule.arity is None:
        local_grads = rule.derivatives(node.children, node)
    else:
        local_grads = rule.derivatives(*node.children, node, *rule.arguments)
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


def _values_tuple(what, items):
    """One Value or a sequence of Values, as a tuple; TypeError naming `what` otherwise."""
    items = (items,) if isinstance(items, Value) else tuple(items)
    for item in items:
        if not isinstance(item, Value):
            raise RefusedType(f"grad: got {type(item).__name__} {item!r} in {what}; expected Values")
    return items


def grad(outputs, inputs, grad_outputs=None, create_graph=False, allow_unused=False):
    """The grads d outputs / d inputs as a tuple, leaving every `.grad` as it was.

    As torch.autograd.grad: the result's i-th item is
    sum over outputs o of grad_output(o) * d o / d inputs[i] (grad_output 1
    by default). With `create_graph=True` each is a Value with its own graph,
    to differentiate again. An input the outputs do not depend on raises
    ValueError, or gives None with `allow_unused=True`.

    >>> x = Value(2.0); y = x ** 3
    >>> (dydx,) = grad(y, [x], create_graph=True); dydx.data
    12.0
    >>> grad(dydx, [x])
    (12.0,)
    """
    outputs = _values_tuple("outputs", outputs)
    inputs = _values_tuple("inputs", inputs)
    if grad_outputs is None:
        grad_outputs = (1.0,) * len(outputs)
    grad_outputs = (grad_outputs,) if isinstance(grad_outputs, (Value, int, float)) else tuple(grad_outputs)
    if len(grad_outputs) != len(outputs) or not outputs:
        raise RefusedValue(
            f"grad: got {len(outputs)} outputs and {len(grad_outputs)} grad_outputs; "
            f"give at least one output and one grad_output for each"
        )
    if len(outputs) == 1:
        root, seed = outputs[0], grad_outputs[0]
        if not (isinstance(seed, Value) and create_graph):  # a Value seed is a graph only then
            seed = seed.data if isinstance(seed, Value) else Value(seed).data
    else:  # one node whose edge into output o carries grad_output(o)
        root, seed = weighted_sum(grad_outputs, outputs), 1.0
    grads = reverse_sweep(root, topological_order(root), seed, create_graph, {})
    for i, x in enumerate(inputs):
        if x not in grads and not allow_unused:
            raise RefusedValue(
                f"grad: inputs[{i}] ({x!r}) is not used to compute the outputs; "
                f"pass allow_unused=True to get None for it"
            )
    return tuple(grads.get(x) for x in inputs)


def _leaves(name, f, inputs):
    leaves = [Value(x) for x in inputs]
    out = f(*leaves)
    if not isinstance(out, Value):
        raise RefusedType(f"{name}: f returned {type(out).__name__} {out!r}; f must return a Value")
    return leaves, out


def hessian(f, inputs):
    """H[i][j] = d^2 f / dx_i dx_j at `inputs`, as a list of lists of floats.

    `f` takes one Value per input, as gradcheck's f does. The gradient is
    built as a graph (create_graph), then each of its entries is
    differentiated once more.

    >>> hessian(lambda x, y: x * x * y, [3.0, 2.0])   # [[2y, 2x], [2x, 0]]
    [[4.0, 6.0], [6.0, 0.0]]
    """
    leaves, out = _leaves("hessian", f, inputs)
    first = grad(out, leaves, create_graph=True, allow_unused=True)
    rows = []
    for g in first:
        second = grad(g, leaves, allow_unused=True) if g is not None else (None,) * len(leaves)
        rows.append([0.0 if s is None else s for s in second])
    return rows


def hvp(f, inputs, v):
    """The Hessian-vector product H v at `inputs`, as a list of floats, without forming H.

    (H v)_i = d/dx_i (sum_j v_j df/dx_j): one backward with create_graph,
    then one more through the gradient weighted by v.

    >>> hvp(lambda x, y: x * x * y, [3.0, 2.0], [1.0, 1.0])   # [4 + 6, 6 + 0]
    [10.0, 6.0]
    """
    leaves, out = _leaves("hvp", f, inputs)
    v = [float(x) for x in v]
    if len(v) != len(leaves):
        raise RefusedValue(f"hvp: got {len(leaves)} inputs and {len(v)} entries in v; give one per input")
    first = grad(out, leaves, create_graph=True, allow_unused=True)
    used = [(g, w) for g, w in zip(first, v) if g is not None]
    if not used:
        return [0.0] * len(leaves)
    second = grad([g for g, _ in used], leaves, grad_outputs=[w for _, w in used], allow_unused=True)
    return [0.0 if s is None else s for s in second]
