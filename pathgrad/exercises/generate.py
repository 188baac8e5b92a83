"""Random expression graphs made from a seed, the same on every run and every Python.

Every random choice is `int(rng.random() * n)` on a `random.Random(seed)`:
Python keeps `random()` and integer seeding the same across versions, while
`choice` and `randrange` have changed. Level 1 combines each leaf once with
+ and * (a tree: one path per node). Level 2 lets a node be used twice, so
there are several paths from some nodes to the output. Level 3 adds exp,
log, tanh, / and **2. The inputs are labelled a, b, ... and then the other
nodes in topological order, so each statement uses only names defined above
it; the output comes last.
"""

import random
import string

from pathgrad.engine import Value, topological_order

from .by_hand import RULES, allowed, build

LEVELS = {
    1: {"ops": ("+", "*"), "leaves": (3, 4), "shared": False},
    2: {"ops": ("+", "*"), "leaves": (2, 3), "extra": (1, 2), "shared": True},
    3: {"ops": ("+", "*", "/", "exp", "log", "tanh", "**2"), "leaves": (2, 3), "extra": (1, 2), "shared": True},
}
_LEAF_VALUES = {1: (1, 2, 3, 4, -1, -2, -3), 2: (1, 2, 3, 4, -1, -2, -3), 3: (0.5, 1, 1.5, 2, -0.5, -1, 3)}
# A graph with a number outside these is drawn again: hand arithmetic stays small,
# and no 0 wipes out a path's product.
_LARGEST = 100.0
_SMALLEST = 1e-3
_MOST_OPS = 6


def _pick(rng, items):
    return items[int(rng.random() * len(items))]


def build_graph(seed, level):
    """The output Value of the exercise graph for (seed, level), every node labelled.

    >>> root = build_graph(0, 1)
    >>> root.label, [child.label for child in root.children]
    ('g', ['a', 'f'])
    """
    rng = random.Random(seed)
    while True:  # a draw that breaks a rule of the level is replaced by the next
        root = _draw(rng, level)
        if root is not None:
            return root


def _draw(rng, level):
    spec = LEVELS[level]
    leaves = [Value(_pick(rng, _LEAF_VALUES[level])) for _ in range(_pick(rng, spec["leaves"]))]
    nodes = list(leaves)
    unused = list(leaves)  # nodes no operation has used yet; the last one left is the output
    parents = {node: 0 for node in nodes}
    wanted = len(leaves) - 1 + (_pick(rng, spec["extra"]) if spec["shared"] else 0)
    made = 0
    while made < wanted or len(unused) > 1:
        if made == _MOST_OPS:
            return None
        op = _pick(rng, spec["ops"])
        first = unused.pop(int(rng.random() * len(unused)))
        operands = [first]
        if RULES[op].arity == 2:
            pool = [n for n in (nodes if spec["shared"] and made < wanted else unused) if n is not first]
            if not pool:
                pool = [n for n in nodes if n is not first]
            second = _pick(rng, pool)
            if second in unused:
                unused.remove(second)
            operands = [first, second]
            if op != "/":  # a + b reads better than b + a
                operands.sort(key=nodes.index)
        if not allowed(op, [operand.data for operand in operands]):
            return None
        node = build(op, operands)
        if not _SMALLEST <= abs(node.data) <= _LARGEST:
            return None
        for operand in operands:
            parents[operand] += 1
        parents[node] = 0
        nodes.append(node)
        unused.append(node)
        made += 1
    root = unused[0]
    if spec["shared"] and max(parents.values()) < 2:
        return None
    if level == 3 and all(node.op in ("+", "*") for node in nodes if node.children):
        return None
    order = topological_order(root)
    named = [node for node in order if not node.children] + [node for node in order if node.children]
    for node, label in zip(named, string.ascii_lowercase):
        node.label = label
    return root
