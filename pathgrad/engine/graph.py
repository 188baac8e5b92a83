"""The backward sweep as data: each step of `backward()`, with what it passed down each edge.

Reverse mode visits nodes from the root down, and a node may pass its grad on
only once every path from the root has reached it. A topological order
(children before parents, `topological_order` in value.py) read backwards
gives exactly that; `backward_trace` records each of those steps.
"""

from typing import NamedTuple

from .value import topological_order

__all__ = ["BackwardStep", "Edge", "backward_trace", "topological_order"]


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


def saved_grads(order):
    """Every grad of `order`, to put back with `restore_grads` after a sweep that must not show."""
    return [node.grad for node in order]


def restore_grads(order, grads):
    for node, grad in zip(order, grads):
        node.grad = grad


def backward_trace(root):
    """The reverse sweep of `root.backward()` as data, leaving every grad as it was.

    One `BackwardStep` per interior node, in the order backward processes them.
    It runs `backward()` itself on zeroed grads and puts every grad back
    afterwards, so its numbers are backward's exactly: a node's grad is final
    once the sweep reaches it, so what it passed to each child is local * grad.

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
        root.backward()
        return [
            BackwardStep(node, node.grad, tuple(
                Edge(child, local, local * node.grad) for child, local in zip(node.children, node.local_grads)
            ))
            for node in reversed(order) if node.children
        ]
    finally:
        restore_grads(order, grads)
