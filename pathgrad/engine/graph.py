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
    while path:
        for child in pending[-1]:
            if child not in seen:
                seen.add(child)
                if not child.children:  # a leaf is placed at once
                    order.append(child)
                    continue
                path.append(child)
                pending.append(iter(child.children))
                break
        else:  # all its children are placed: the node may follow them
            pending.pop()
            order.append(path.pop())
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


def backward_trace(root):
    """The reverse sweep of `root.backward()` as data, without touching any grad.

    One `BackwardStep` per interior node, in the order backward processes them.
    It runs the same arithmetic in the same order as `backward()` on zeroed
    leaves, so its numbers agree with backward's exactly.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> e = (a + b) * (b + 1)
    >>> [(s.node.op, s.grad, [edge.contribution for edge in s.edges]) for s in backward_trace(e)]
    [('*', 1.0, [2.0, 3.0]), ('+', 3.0, [3.0, 3.0]), ('+', 2.0, [2.0, 2.0])]
    """
    grads = {root: 1.0}
    steps = []
    for node in reversed(topological_order(root)):
        if not node.children:
            continue
        upstream = grads.get(node, 0.0)
        edges = []
        for child, local in zip(node.children, node.local_grads):
            contribution = local * upstream
            grads[child] = grads.get(child, 0.0) + contribution
            edges.append(Edge(child, local, contribution))
        steps.append(BackwardStep(node, upstream, tuple(edges)))
    return steps
