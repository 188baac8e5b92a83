"""A folded drawing: one instance of a repeated computation drawn, standing for all of them.

fold.py finds the folds (micrograd's moons loss: one sample's hinge term,
the whole model inside, 100 times) and the sums that add them up. A
folded drawing leaves out every instance but the first, and the partial
sums: an edge from a node left out is drawn from the node that stands in
for it (sample 2's `relu` from sample 0's), once. A sum that adds up a fold
is one op node, `sum`, and the edge into it from the fold says how many it
adds: `× 100 samples`. The picture's caption says what was folded.

>>> from pathgrad import Value
>>> from pathgrad.viz import draw
>>> w = Value(0.5, "w")
>>> total = sum(((w * x - 1) ** 2).tanh() for x in (1.0, 2.0, 3.0, 4.0)); total.label = "total"
>>> source = draw(total, fold=True).source
>>> "\\u00d7 4 samples" in source, source.count('[label="**2"')
(True, 1)
"""

from .fold import find_folds


class Folded:
    """What a folded drawing of one graph draws in place of the nodes it leaves out."""

    def __init__(self, folding):
        self.folding = folding
        self.hidden = folding.hidden
        self._sums = {}  # a reduction's result -> (its fold's roots, the count and what they are)
        for reduction in folding.reductions:
            fold = folding.folds[reduction.fold]
            self._sums[reduction.result] = (set(fold.roots), f"\u00d7 {fold.count} {fold.name.split()[0]}")

    def stand_in(self, node):
        """The node drawn for a node left out (sample 2's relu: sample 0's)."""
        return self.folding.stand_in(node)[0]

    def drawn_children(self, node):
        """node's operands as drawn: a left-out one as its stand-in, once; partial sums not at all."""
        drawn = (self.stand_in(child) if child in self.hidden else child for child in node.children)
        return list(dict.fromkeys(child for child in drawn if child not in self.hidden))

    def op(self, node, op):
        """The op node's text: `sum` for a sum that adds up a fold, else op."""
        return "sum" if node in self._sums else op

    def label(self, node, child):
        """The label of the edge from child into node: `× 100 samples` where node adds up child's fold."""
        roots, label = self._sums.get(node, ((), ""))
        return label if child in roots else ""

    def caption(self):
        """One line: what is folded, and what stands for it."""
        parts = [f"{fold.count} {fold.name.split()[0]} as one" for fold in self.folding.folds if fold.parent is None]
        listed = ", ".join(parts[:4]) + (f" and {len(parts) - 4} more" if len(parts) > 4 else "")
        return f"folded: {listed} \u2014 draw(..., fold=False) draws every one"


def folded(root, order=None):
    """A Folded for root's graph, or None where nothing repeats enough to fold.

    >>> from pathgrad import Value
    >>> folded(Value(2.0, "a") * 3) is None
    True
    """
    folding = find_folds(root, order=order)
    return Folded(folding) if folding.folds else None
