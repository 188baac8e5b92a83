"""The graph as data: its topological order, and the backward sweep step by step.

A graph is its root: every node holds its `children` and the `local_grads`
on the edges into them, and nothing refers back up. Reverse mode visits
nodes from the root down, and a node may pass its grad on only once every
path from the root has reached it. A topological order (children before
parents) read backwards gives exactly that; `backward_trace` records each of
those steps with what it added to each child's grad. This module reads nodes
only through those attributes, so it knows no Value class and every engine
module can use it.

>>> from pathgrad import Value
>>> a, b = Value(2.0, "a"), Value(1.0, "b")
>>> [node.label or node.op for node in topological_order((a + b) * b)]
['a', 'b', '+', '*']
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
    """One edge of a backward step: child.grad += local_grad * upstream, and what child.grad was and became.

    `contribution` is local_grad * upstream; `child_grad_before` and
    `child_grad_after` are child.grad just before and after it was added
    (after = before + contribution, in backward's own float arithmetic).
    `final` is True on the last edge into the child: its grad is then
    d root / d child.
    """

    child: object
    local_grad: float
    contribution: float
    child_grad_before: float
    child_grad_after: float
    final: bool


class BackwardStep(NamedTuple):
    """One interior node processed by the reverse sweep.

    `grad` is d root / d node, final when the node is processed; each edge
    passes `local_grad * grad` down to its child.
    """

    node: object
    grad: float
    edges: tuple


def backward_trace(root):
    """The reverse sweep of `root.backward()` as data, leaving every grad as it was.

    One `BackwardStep` per interior node, in the order backward processes
    them. It runs `backward()` itself on zeroed grads and puts every grad
    back afterwards, so its numbers are backward's exactly: a node's grad is
    final once the sweep reaches it, what it passes to each child is
    local * grad, and each child's grad grows by those contributions in the
    same order and float arithmetic as backward's `child.grad += ...`.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> e = (a + b) * (b + 1)
    >>> [(s.node.op, s.grad, [edge.contribution for edge in s.edges]) for s in backward_trace(e)]
    [('*', 1.0, [2.0, 3.0]), ('+', 3.0, [3.0, 3.0]), ('+', 2.0, [2.0, 2.0])]
    >>> [(e.child.label, e.child_grad_before, e.child_grad_after, e.final) for e in backward_trace(e)[2].edges]
    [('a', 0.0, 2.0, True), ('b', 3.0, 5.0, True)]
    """
    order = topological_order(root)
    kept = [node.grad for node in order]
    for node in order:
        node.grad = 0.0
    try:
        root.backward()
        steps = [(node, node.grad) for node in reversed(order) if node.children]
    finally:
        for node, grad in zip(order, kept):
            node.grad = grad
    remaining = {}  # edges into each child that the sweep has still to pass down
    for node, _ in steps:
        for child in node.children:
            remaining[child] = remaining.get(child, 0) + 1
    grads = {}
    trace = []
    for node, upstream in steps:
        edges = []
        for child, local in zip(node.children, node.local_grads):
            contribution = local * upstream
            before = grads.get(child, 0.0)
            grads[child] = after = before + contribution
            remaining[child] -= 1
            edges.append(Edge(child, local, contribution, before, after, not remaining[child]))
        trace.append(BackwardStep(node, upstream, tuple(edges)))
    return trace
