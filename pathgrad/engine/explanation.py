"""The hand check, written out: one application of the multivariate chain rule.

d root / d wrt = sum over each edge from wrt to a parent p of
(d root / d p) * (∂p / ∂wrt). With colah's e = (a+b)(b+1) at a=2, b=1:

    de/db = ∂e/∂c · ∂c/∂b + ∂e/∂d · ∂d/∂b = 2·1 + 3·1 = 5

Two kinds of derivative appear, and they are written apart. A local partial
∂c/∂b is one edge's number: how c moves with b when c's other operands are
held fixed. A total derivative de/db counts every path from b to e. Where
a terminal cannot print ∂, `ascii_text` writes it "del" (del e/del c).
"""

from typing import NamedTuple

from .graph import backward_trace, topological_order
from .names import derivative_name, factor_text, is_one_edge, node_name, node_names, number_text


class Term(NamedTuple):
    """One edge's share: (d root / d parent) · (∂parent / ∂wrt)."""

    parent: object
    upstream: float
    local_grad: float
    contribution: float


class Explanation:
    """The chain rule for d root / d wrt written out, as text and as LaTeX."""

    def __init__(self, root, wrt, terms, total):
        self.root = root
        self.wrt = wrt
        self.terms = terms
        self.total = total
        self.names = node_names(root)

    def _derivative(self, top, bottom, local=False):
        return derivative_name(top, bottom, self.names, local)

    def __str__(self):
        lhs = self._derivative(self.root, self.wrt)
        if self.wrt is self.root:
            return f"{lhs} = 1"
        if not self.terms:
            return f"{lhs} = 0 (no path from {node_name(self.wrt)} to {self.names[self.root]})"
        symbolic = " + ".join(
            f"{self._derivative(self.root, t.parent, is_one_edge(self.root, t.parent))} · "
            f"{self._derivative(t.parent, self.wrt, local=True)}"
            for t in self.terms
        )
        numeric = " + ".join(f"{factor_text(t.upstream)}·{factor_text(t.local_grad)}" for t in self.terms)
        return f"{lhs} = {symbolic} = {numeric} = {number_text(self.total)}"

    __repr__ = __str__

    def _repr_latex_(self):
        def fraction(top, bottom, d=r"\mathrm{d}"):
            names = (_latex(self.names.get(node) or node_name(node)) for node in (top, bottom))
            return r"\frac{{{d} {}}}{{{d} {}}}".format(*names, d=d)

        lhs = fraction(self.root, self.wrt)
        if self.wrt is self.root:
            return f"$${lhs} = 1$$"
        if not self.terms:
            return f"$${lhs} = 0$$"
        symbolic = " + ".join(
            fraction(self.root, t.parent, r"\partial" if is_one_edge(self.root, t.parent) else r"\mathrm{d}")
            + r" \cdot " + fraction(t.parent, self.wrt, r"\partial")
            for t in self.terms
        )
        numeric = " + ".join(
            rf"{factor_text(t.upstream)} \cdot {factor_text(t.local_grad)}" for t in self.terms
        )
        return f"$${lhs} = {symbolic} = {numeric} = {number_text(self.total)}$$"


def _latex(name):
    name = name.replace("*", r"\cdot ")
    return name if len(name) == 1 else rf"\mathrm{{{name}}}"


def explain(root, wrt):
    """The chain rule for d root / d wrt written out, one term per edge out of wrt.

    Each term is the total derivative d root / d parent (from the same
    reverse sweep as backward; written ∂root/∂parent when it is one edge's
    number) times the local partial ∂parent/∂wrt recorded on the edge.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> c = a + b; c.label = "c"
    >>> d = b + 1; d.label = "d"
    >>> e = c * d; e.label = "e"
    >>> print(explain(e, b))
    de/db = ∂e/∂c · ∂c/∂b + ∂e/∂d · ∂d/∂b = 2·1 + 3·1 = 5
    """
    position = {node: i for i, node in enumerate(topological_order(root))}
    terms, total = [], 0.0
    for step in backward_trace(root):
        for edge in step.edges:
            if edge.child is wrt:
                terms.append(Term(step.node, step.grad, edge.local_grad, edge.contribution))
                total = edge.child_grad_after  # after the last edge, backward's wrt.grad to the bit
    terms.sort(key=lambda term: position[term.parent])  # written in the order the graph was built
    return Explanation(root, wrt, terms, 1.0 if wrt is root else total)
