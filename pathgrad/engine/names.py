"""How nodes and derivatives are written in text: the one place pathgrad decides it.

A node is called by its label, a constant by its number, and an unlabelled
operation by its expression in its operands' names while that is short:
(a * 3), tanh(c). A derivative is written d top / d bottom when it is a total
(every path from bottom up to top), and ∂top/∂bottom when it is one edge's
local partial. explain, paths, the drawings, the stepper's captions and the
exercises all take their words from here, so they always agree.

>>> from pathgrad import Value
>>> a = Value(2.0, "a"); c = a * 3 + 1
>>> node_name(c), derivative_name(c, a), derivative_name(c, c.children[0], local=True)
('((a * 3) + 1)', 'd((a * 3) + 1)/da', '∂((a * 3) + 1)/∂(a * 3)')
"""

import re

from .graph import topological_order

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
    in; a node not in it is called as node_name calls it. A name that is not
    one atom is bracketed, so ∂loss/∂((t29 - 1)**2) is not a derivative squared.

    >>> from pathgrad import Value
    >>> a = Value(2.0, "a"); c = a + 1; c.label = "c"
    >>> derivative_name(c, a), derivative_name(c, c.children[1], node_names(c), local=True)
    ('dc/da', '∂c/∂1')
    """
    names = names or {}
    d = "∂" if local else "d"
    top, bottom = (bracketed(names.get(node) or node_name(node)) for node in (top, bottom))
    return f"{d}{top}/{d}{bottom}"


_NOT_AN_ATOM = re.compile(r"\s|\*\*|^-")  # outside brackets: an operator's space, a power, a minus sign


def bracketed(name):
    """A node's name as an operand (of d, of .grad): in brackets unless it is an atom (x, L2.n0[3],
    0.5, tanh(x)) or is bracketed whole, so dloss/d((t29 - 1)**2) cannot read as a derivative
    squared, d/d-x as a subtraction, nor (x**2).grad as x to the power 2.grad.

    >>> bracketed("L2.n0[3]"), bracketed("(a + 1)"), bracketed("tanh((a * 3))")
    ('L2.n0[3]', '(a + 1)', 'tanh((a * 3))')
    >>> bracketed("(t29 - 1)**2"), bracketed("x**2"), bracketed("-x"), bracketed("-1")
    ('((t29 - 1)**2)', '(x**2)', '(-x)', '(-1)')
    """
    opened = name.find("(")
    head = name if opened < 0 else name[:opened]
    whole = not _NOT_AN_ATOM.search(head) and (opened < 0 or _closes_at_end(name, opened))
    return name if whole else f"({name})"


def _closes_at_end(text, start):
    """Whether the bracket opened at text[start] closes at text's last character."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i == len(text) - 1
    return False


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
