"""The path-sum form of the chain rule, and why backward never uses it.

d root / d wrt is the sum, over every path from wrt up to root, of the product
of the local derivatives along that path. The number of paths can grow
exponentially with depth (a ladder of k diamonds has 2^k), while backward's
factorized sweep touches each edge once. Counting paths is cheap by dynamic
programming; listing them is not, so `all_paths` stops at a limit.
"""

import math
from typing import NamedTuple

from .forward import forward_mode
from .graph import topological_order
from .names import derivative_name, factor_text, node_names, number_text


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
    return list(_walk(root, wrt, counts))


def _walk(root, wrt, counts):
    """The paths from wrt up to root, one at a time, depth first from the root."""
    if root is wrt:
        yield Path((root,), (), 1.0)
        return
    nodes, local_grads = [root], []
    stack = [iter(zip(root.children, root.local_grads))]
    while stack:
        for child, local in stack[-1]:
            if not counts[child]:
                continue
            nodes.append(child)
            local_grads.append(local)
            if child is wrt:
                yield _upward(nodes, local_grads)
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


def _upward(nodes, local_grads):
    """The path walked down from root, turned to run from wrt up to root."""
    grads = tuple(reversed(local_grads))
    return Path(tuple(reversed(nodes)), grads, math.prod(grads))


class PathSum:
    """d root / d wrt as the sum over paths: how many there are, their sum, and their table.

    `count` comes from count_paths and `total`, the sum of every path's
    product, from forward mode (the same sum, factorized), so neither lists
    a path. `text(max_chars)` lists paths only until the table reaches
    max_chars characters, then says how many were left out: the work and the
    output stay bounded however many paths there are.

    >>> from pathgrad import Value
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
    >>> print(PathSum(y, x).text())
    paths from x to y: 2
      x -> y: ∂y/∂x = 3
      x -> y: ∂y/∂x = 3
    sum of the products: 3 + 3 = 6
    """

    def __init__(self, root, wrt):
        self.root, self.wrt = root, wrt
        self._counts = _path_counts(root, wrt)
        self.count = self._counts.get(root, 0)
        self.total = forward_mode(root, wrt)[root] if self.count else 0.0
        self.names = node_names(root)

    def paths(self):
        """The paths from wrt up to root, one at a time (see all_paths)."""
        return _walk(self.root, self.wrt, self._counts) if self.count else iter(())

    def row(self, path, digits=6, times=" * "):
        """(the nodes' names, the derivatives' names, the local grads) of one path, as text."""
        names = [self.names[node] for node in path.nodes]
        symbols = [derivative_name(top, bottom, self.names, local=True) for bottom, top in zip(path.nodes, path.nodes[1:])]
        return names, times.join(symbols), times.join(factor_text(g, digits) for g in path.local_grads)

    def text(self, max_chars=20_000):
        """The table: one line per path with its product, then the sum; at most about max_chars."""
        r, w = self.names[self.root], self.names[self.wrt]
        if self.wrt is self.root:
            return f"{r} is the output: one path of no edges, d{r}/d{r} = 1"
        if not self.count:
            return f"no path from {w} to {r}, so d{r}/d{w} = 0"
        lines = [f"paths from {w} to {r}: {self.count}"]
        length, products = len(lines[0]), []
        for path in self.paths():
            names, symbols, factors = self.row(path)
            product = f" = {number_text(path.product)}" if len(path.local_grads) > 1 else ""
            line = f"  {' -> '.join(names)}: {symbols} = {factors}{product}"
            if length + len(line) > max_chars:
                break
            lines.append(line)
            length += len(line) + 1
            products.append(path.product)
        left_out = self.count - len(products)
        if left_out:
            lines.append(f"  ... and {left_out} more path{'s' * (left_out != 1)}, left out to keep this short")
        if self.count == 1:
            lines.append(f"one path, so its product is the gradient: {number_text(self.total)}")
        elif left_out or self.count > 10:
            lines.append(f"sum of the {self.count} products: {number_text(self.total)}")
        else:
            addends = " + ".join(factor_text(p) for p in products)
            lines.append(f"sum of the products: {addends} = {number_text(self.total)}")
        return "\n".join(lines)

    __str__ = text

