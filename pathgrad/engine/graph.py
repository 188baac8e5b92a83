"""Walking the graph: the topological order, and the backward sweep as data.

Reverse mode visits nodes from the root down, and a node may pass its grad on
only once every path from the root has reached it. A topological order
(children before parents) read backwards gives exactly that.
"""

from typing import NamedTuple


def topological_order(root):
    """Every node of root's graph once, children before parents, root last.

    Iterative depth-first search, so a chain of a million nodes needs no
    recursion. Operands are visited in order, so the result is deterministic.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> [n.label or n.op for n in topological_order((a + b) * b)]
    ['a', 'b', '+', '*']
    """
    order = []
    seen = {root}
    path = [root]  # the nodes being expanded, each below the one before
    pending = [iter(root.children)]  # for each, the children still to look at
    place, mark = order.append, seen.add  # bound once: this loop runs once per edge
    while path:
        for child in pending[-1]:
            if child not in seen:
                mark(child)
                if not child.children:  # a leaf is placed at once
                    place(child)
                    continue
                path.append(child)
                pending.append(iter(child.children))
                break
        else:  # all its children are placed: the node may follow them
            pending.pop()
            place(path.pop())
    return order


class Edge(NamedTuple):
    """One edge in a backward step: child.grad += local_grad * upstream."""

    child: object
    local_grad: float
    contribution: float


class BackwardStep(NamedTuple):
    """One interior node processed by the reverse sweep.

    `grad` is d root / d node, final when the node is processed; each edge
    passes `local_grad * grad` down to its child.
    """

    node: object
    grad: float
    edges: tuple


def reverse_sweep(root, order, seed, zero, local_grads, check):
    """The chain rule from the root down, once per edge: the one sweep of every backward.

    `order` is root's topological order. Interior grads start at `zero`, the
    root's at `seed`; then each node, after all of its parents, passes
    `local * grad` to each child: child.grad += (d node/d child) * (d root/d node).
    Leaves accumulate. `local_grads(node)` replaces the recorded numbers
    (create_graph uses it), and `check(node)` runs after each step (detect_anomaly).
    Returns the interior nodes in the order they were processed.
    """
    interior = [node for node in order if node.children]
    for node in interior:
        node.grad = zero
    root.grad = seed if root.children else root.grad + seed
    interior.reverse()
    for node in interior:
        upstream = node.grad
        for child, local in zip(node.children, node.local_grads if local_grads is None else local_grads(node)):
            child.grad += local * upstream
        if check is not None:
            check(node)
    return interior


def saved_grads(order):
    """Every grad of `order`, to put back with `restore_grads` after a sweep that must not show."""
    return [node.grad for node in order]


def restore_grads(order, grads):
    for node, grad in zip(order, grads):
        node.grad = grad


def backward_trace(root):
    """The reverse sweep of `root.backward()` as data, leaving every grad as it was.

    One `BackwardStep` per interior node, in the order backward processes them.
    It runs backward's own sweep on zeroed leaves and puts every grad back
    afterwards, so its numbers are backward's exactly.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> e = (a + b) * (b + 1)
    >>> [(s.node.op, s.grad, [edge.contribution for edge in s.edges]) for s in backward_trace(e)]
    [('*', 1.0, [2.0, 3.0]), ('+', 3.0, [3.0, 3.0]), ('+', 2.0, [2.0, 2.0])]
    """
    order = topological_order(root)
    grads = saved_grads(order)
    for node in order:
        node.grad = 0.0
    try:
        return [
            BackwardStep(node, node.grad, tuple(
                Edge(child, local, local * node.grad) for child, local in zip(node.children, node.local_grads)
            ))
            for node in reverse_sweep(root, order, 1.0, 0.0, None, None)
        ]
    finally:
        restore_grads(order, grads)
