"""The path-sum form of the chain rule, and why backward never uses it.

d root / d wrt is the sum, over every path from wrt up to root, of the product
of the local derivatives along that path. The number of paths can grow
exponentially with depth (a ladder of k diamonds has 2^k), while backward's
factorized sweep touches each edge once. Counting paths is cheap by dynamic
programming; listing them is not, so `all_paths` stops at a limit.
"""

import math
from typing import NamedTuple

from .graph import topological_order


class PathLimitExceeded(ValueError):
    """Raised when listing paths would exceed the limit."""


class Path(NamedTuple):
    """One path from wrt up to root: its nodes, the local grad of each edge, their product."""

    nodes: tuple
    local_grads: tuple
    product: float


def _path_counts(root, wrt):
    """{node: number of paths from wrt up to node}, for every node of root's graph."""
    counts = {}
    for node in topological_order(root):
        if node is wrt:
            counts[node] = 1
        else:
            counts[node] = sum(counts[child] for child in node.children)
    return counts


def count_paths(root, wrt):
    """The exact number of paths from wrt up to root, by dynamic programming.

    paths(node) = 1 at wrt, else the sum of paths(child) over node's edges, so
    the cost is one visit per edge however many paths there are. A repeated
    operand (a + a) counts as two edges.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0), Value(1.0)
    >>> e = (a + b) * (b + 1)
    >>> count_paths(e, a), count_paths(e, b)
    (1, 2)
    """
    return _path_counts(root, wrt)[root]


def all_paths(root, wrt, limit=10_000):
    """Every path from wrt up to root, each with its nodes, local grads and product.

    The products sum to d root / d wrt, which is `wrt.grad` after
    `root.backward()` (on zeroed leaves): the path-sum form of the chain rule.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> c = a + b; d = b + 1; e = c * d
    >>> [p.product for p in all_paths(e, b)]
    [2.0, 3.0]
    """
    counts = _path_counts(root, wrt)
    total = counts[root]
    if total > limit:
        raise PathLimitExceeded(
            f"all_paths: the graph has {total} paths from wrt to root, over the limit of "
            f"{limit}; pass a larger limit= to list them, or use count_paths(). "
            f"backward()'s factorized chain rule never needs to list them: it visits each edge once."
        )
    if root is wrt:
        return [Path((root,), (), 1.0)]
    paths = []
    nodes, local_grads = [root], []
    stack = [iter(zip(root.children, root.local_grads))]
    while stack:
        for child, local in stack[-1]:
            if not counts[child]:
                continue
            nodes.append(child)
            local_grads.append(local)
            if child is wrt:
                paths.append(_upward(nodes, local_grads))
                nodes.pop()
                local_grads.pop()
                continue
            stack.append(iter(zip(child.children, child.local_grads)))
            break
        else:  # every edge below this node is done
            stack.pop()
            nodes.pop()
            if local_grads:
                local_grads.pop()
    return paths


def _upward(nodes, local_grads):
    """The path walked down from root, turned to run from wrt up to root."""
    grads = tuple(reversed(local_grads))
    return Path(tuple(reversed(nodes)), grads, math.prod(grads))
