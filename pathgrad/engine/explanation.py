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

_LONGEST_NAME = 30
_DEEPEST_NAME = 3  # unlabeled sub-expressions deeper than this show as ...
_SHORTEST_NAME = 12  # node_names writes unlabelled operations this long as expressions


def number_text(x, digits=6):
    """x as a person writes it, to `digits` significant digits: 2, 0.7071, -1.5.

    >>> number_text(6.0), number_text(0.70710678, 4), number_text(-0.0)
    ('6', '0.7071', '0')
    """
    if x == 0:
        return "0"  # -0.0 reads as a mistake
    return f"{x:.{digits}g}"


def factor_text(x, digits=6):
    """x inside a written product: negatives in parentheses, as in 0.5*(-3).

    >>> factor_text(2.0), factor_text(-1.5)
    ('2', '(-1.5)')
    """
    return f"({number_text(x, digits)})" if x < 0 else number_text(x, digits)


def node_name(node):
    """How a node is called in text: its label, else its number or expression.

    >>> from pathgrad import Value
    >>> a = Value(2.0, "a")
    >>> node_name(a), node_name(a + 1), node_name((a * 3).tanh())
    ('a', '(a + 1)', 'tanh((a * 3))')
    """
    return _name(node, depth=0)


def _name(node, depth):
    if node.label:
        return node.label
    if not node.children:
        return number_text(node.data)
    if depth == _DEEPEST_NAME:
        return "..."
    text = _written(node, [_name(child, depth + 1) for child in node.children])
    return text if len(text) <= _LONGEST_NAME else f"{node.op}(...)"


def _written(node, names):
    """An op applied to its operands' names, by its row's symbol: (a + b), x**2, -x, tanh(x)."""
    symbol = node.rule.symbol
    if symbol and len(names) == 2:
        return f"({names[0]} {symbol} {names[1]})"
    if symbol == "**" and len(names) == 1:
        return f"{names[0]}{node.op}"
    if symbol == "-" and len(names) == 1:
        return f"-{names[0]}"
    return f"{node.op}({', '.join(names)})"


def node_names(root):
    """{node: its name in text} for every node of root's graph, short and the same each time.

    A node's label if it has one, a constant's number, an unlabelled
    operation its expression in its operands' names if that is short, as
    (a * 3), and else t1, t2, ..., counted in the order the graph was built.
    Drawings, captions and explain all name nodes this way.

    >>> from pathgrad import Value
    >>> a = Value(2.0, "a"); e = (a * 3 + 1).tanh(); e.label = "e"
    >>> [node_names(e)[n] for n in (a, e, e.children[0], e.children[0].children[0])]
    ['a', 'e', 't1', '(a * 3)']
    """
    names = {}
    unnamed = 0
    for node in topological_order(root):
        if node.label or not node.children:
            names[node] = _name(node, 0)
            continue
        text = _written(node, [names[child] for child in node.children])
        if len(text) > _SHORTEST_NAME:
            unnamed += 1
            text = f"t{unnamed}"
        names[node] = text
    return names


def derivative_name(top, bottom, names=None, local=False):
    """The name of a derivative, the one way pathgrad writes one: "dc/da", or "∂c/∂a" when local.

    A total derivative d top / d bottom sums every path from bottom to top;
    a local partial ∂top/∂bottom is the number on one edge, top's other
    operands held fixed. `names` is node_names(root) of the graph they are
    in; a node not in it is called as node_name calls it.

    >>> from pathgrad import Value
    >>> a = Value(2.0, "a"); c = a + 1; c.label = "c"
    >>> derivative_name(c, a), derivative_name(c, c.children[1], node_names(c), local=True)
    ('dc/da', '∂c/∂1')
    """
    names = names or {}
    d = "∂" if local else "d"
    return f"{d}{names.get(top) or node_name(top)}/{d}{names.get(bottom) or node_name(bottom)}"


def is_one_edge(top, bottom):
    """True when the one path from bottom up to top is a single edge: then d top/d bottom is ∂top/∂bottom.

    explain writes such a total as the local partial it equals, as the lecture
    writes de/db = ∂e/∂c · ∂c/∂b + ∂e/∂d · ∂d/∂b.

    >>> from pathgrad import Value
    >>> a = Value(2.0, "a"); c = a * 3; e = c + a
    >>> is_one_edge(e, c), is_one_edge(e, a), is_one_edge(a * a, a)
    (True, False, False)
    """
    if sum(child is bottom for child in top.children) != 1:
        return False
    below = {child for child in top.children if child is not bottom}
    for node in reversed(topological_order(top)):  # is bottom also under another operand?
        if node in below:
            if node is bottom:
                return False
            below.update(node.children)
    return True


# How a terminal that cannot print them writes pathgrad's few non-ASCII signs.
ASCII_FORMS = {"∂": "del ", "·": "*", "×": "*", "→": "->", "²": "^2"}


def ascii_text(text):
    """text with ∂ written "del " (so ∂e/∂c reads del e/del c, never e/c) and · × → ² in ASCII.

    >>> ascii_text("de/db = ∂e/∂c · ∂c/∂b = 2·1")
    'de/db = del e/del c * del c/del b = 2*1'
    """
    return "".join(ASCII_FORMS.get(c, c) for c in text)


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
    terms = []
    for step in backward_trace(root):
        for edge in step.edges:
            if edge.child is wrt:
                terms.append(Term(step.node, step.grad, edge.local_grad, edge.contribution))
    total = 0.0
    for term in terms:  # summed in backward's order, so the total is backward's to the bit
        total += term.contribution
    terms.sort(key=lambda term: position[term.parent])  # written in the order the graph was built
    return Explanation(root, wrt, terms, 1.0 if wrt is root else total)
