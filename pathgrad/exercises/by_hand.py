"""How a student writes each op an exercise may use, and differentiates it by hand: the notation and the slips.

`BY_HAND` holds, for each row of the engine's table that an exercise may
use (keyed by the row's name), a `ByHand`: how a student writes the op and
its local derivative d p / d child_k (the engine's recorded number is its
value), and the wrong local derivatives students commonly write for that
edge. The diagnoses replay these slips through the graph to see which one
the student made.

>>> BY_HAND["mul"].formula(("c", "a", "b"), 0), BY_HAND["mul"].slips(("c", "a", "b"), (6.0, 2.0, 3.0), 0)
('b', [(2.0, 'a, the operand itself instead of the other one'), (1.0, '1, as for a sum')])
"""

import math
from typing import Callable, NamedTuple

from pathgrad.engine import number_text, ops


class ByHand(NamedTuple):
    """How a student writes an op and its local derivatives, and the slips they commonly make.

    `names` are the node's name and then its operands' (n[0] = n[1] + n[2]
    for +), `numbers` their data likewise, `k` the operand, and `arguments`
    the row's parameter (the 2 of x**2).
    """

    written: str  # the right-hand side of the statement: "{0} + {1}"
    allowed: Callable  # operand numbers -> True where the exercise stays readable
    formula: Callable  # (names, k, *arguments) -> d out / d operand k as a student writes it
    slips: Callable  # (names, numbers, k, *arguments) -> [(wrong number, how it reads)]


def _anything(*numbers):
    return True


def _divide_slips(n, x, k):
    if k == 0:
        return [(x[2], f"{n[2]}, the divisor itself"), (1.0, "1")]
    return [(x[1] / x[2] ** 2, f"{n[1]}/{n[2]}², without the minus sign"),
            (-1.0 / x[2] ** 2, f"-1/{n[2]}², without the numerator")]


def _power_slips(n, x, k, p):
    return [(x[1] ** (p - 1), f"{n[1]}^{p - 1:g}, without the factor {p:g}"),
            (p * x[1] ** p, f"{p:g}·{n[1]}^{p:g}, without lowering the power")]


BY_HAND = {
    "add": ByHand("{0} + {1}", _anything, lambda n, k: "1",
                  lambda n, x, k: [(x[2 - k], f"{n[2 - k]}, the other operand, as for a product")]),
    "mul": ByHand("{0} * {1}", _anything, lambda n, k: n[2 - k],
                  lambda n, x, k: [(x[1 + k], f"{n[1 + k]}, the operand itself instead of the other one"),
                                   (1.0, "1, as for a sum")]),
    "div": ByHand("{0} / {1}", lambda a, b: abs(b) >= 0.5,
                  lambda n, k: f"1/{n[2]}" if k == 0 else f"-{n[1]}/{n[2]}²", _divide_slips),
    "exp": ByHand("exp({0})", lambda x: abs(x) <= 2, lambda n, k: f"exp({n[1]}) = {n[0]}",
                  lambda n, x, k: [(x[1], f"{n[1]}, the input"), (1.0, "1")]),
    "log": ByHand("log({0})", lambda x: x > 0, lambda n, k: f"1/{n[1]}",
                  lambda n, x, k: [(x[0], f"log({n[1]}) = {n[0]}, the output"), (x[1], f"{n[1]}, the input")]),
    "tanh": ByHand("tanh({0})", lambda x: abs(x) <= 2.5,  # beyond, tanh is 1 to the worksheet's digits
                   lambda n, k: f"1 - {n[0]}²",
                   lambda n, x, k: [(x[0], f"tanh({n[1]}) = {n[0]}, the output"),
                                    (1.0 - x[1] ** 2, f"1 - {n[1]}², the input squared instead of the output"),
                                    (1.0 + x[0] ** 2, f"1 + {n[0]}², with a plus")]),
    "power": ByHand("{0}**{k:g}", _anything,
                    lambda n, k, p: f"{p:g}·{n[1]}" if p == 2 else f"{p:g}·{n[1]}^{p - 1:g}", _power_slips),
}

# The rules exercises use, by the op a node shows; x ** k appears as a square.
RULES = {rule.op: rule for rule in (row.bind(2) if row.parameter else row for row in ops.TABLE if row.name in BY_HAND)}


def allowed(op, numbers):
    """True when exercise op `op` on operands of these numbers keeps the hand arithmetic readable.

    >>> allowed("/", (1.0, 0.25)), allowed("/", (1.0, 2.0))
    (False, True)
    """
    return BY_HAND[RULES[op].name].allowed(*numbers)


def name(node):
    """How a node is called in an exercise: its label, or a constant's number.

    >>> from pathgrad import Value
    >>> name(Value(2.0, "a")), name(Value(0.5))
    ('a', '0.5')
    """
    return node.label or number_text(node.data)


def build(op, operands):
    """The node of exercise op `op` ("+", "tanh", "**2") on `operands`, through the table's row.

    >>> from pathgrad import Value
    >>> build("**2", [Value(3.0)]).data
    9.0
    """
    rule = RULES[op]
    return rule.function(*operands, *rule.arguments)


def written(node):
    """The right-hand side of node's statement, e.g. "a + b" or "exp(c)".

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> written(a * b), written((a + 1).tanh())
    ('a * b', 'tanh(...)')
    """
    # An exercise labels every interior node; "..." stands for an unlabelled one.
    names = [name(child) if child.label or not child.children else "..." for child in node.children]
    rule = RULES[node.op]
    return BY_HAND[rule.name].written.format(*names, k=rule.arguments[0] if rule.arguments else None)


def _formula(p, k):
    rule = RULES[p.op]
    return BY_HAND[rule.name].formula(_names(p), k, *rule.arguments)


def _names(p):
    return (name(p), *(name(child) for child in p.children))


def local_rule(p, k):
    """d p / d child_k as a student writes it, then its number: "d = 2", or "1".

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(3.0, "b")
    >>> c = a * b; c.label = "c"
    >>> local_rule(c, 0)
    'b = 3'
    """
    formula = _formula(p, k)
    value = number_text(p.local_grads[k])
    return value if formula == value else f"{formula} = {value}"


def slips(p, k):
    """The wrong local derivatives students write for the edge child_k -> p, without the right one.

    Each is (number, how it reads); a flipped sign is always among them.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(3.0, "b")
    >>> c = a * b; c.label = "c"
    >>> [number for number, _ in slips(c, 0)]
    [2.0, 1.0, -3.0]
    """
    rule = RULES[p.op]
    right, formula = p.local_grads[k], _formula(p, k)
    negated = f"-{formula}" if formula.isalnum() else f"-({formula})"
    numbers = (p.data, *(child.data for child in p.children))
    found = BY_HAND[rule.name].slips(_names(p), numbers, k, *rule.arguments) + [(-right, f"{negated}, with the sign flipped")]
    return [(number, text) for number, text in found if not math.isclose(number, right, rel_tol=1e-9)]
