"""Derivatives of derivatives: grad, hessian and Hessian-vector products.

`backward(create_graph=True)` evaluates each node's derivative rule (from the
table in `ops.py`) on Values instead of floats, so every grad is a Value with
a graph of its own: backprop is itself a computation, and its graph can be
drawn, explained, or differentiated again. Differentiating the gradient
gives the second derivatives, the Hessian H[i][j] = d^2 f / dx_i dx_j. The
sweep itself is sweep.py's; the functions here ask it for grads without
touching any `.grad`.

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

from .graph import topological_order
from .operators import weighted_sum
from .sweep import reverse_sweep
from .validation import RefusedType, RefusedValue
from .value import Value


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
