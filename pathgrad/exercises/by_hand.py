"""The operations an exercise may use, read from the engine's table: how each is written and differentiated by hand.

Each row of `pathgrad.engine.ops` that an exercise may use carries a
`ByHand`: how a student writes the op and its local derivative d p / d child_k
(the engine's recorded number is its value), and the wrong local derivatives
students commonly write for that edge. The diagnoses replay these slips
through the graph to see which one the student made.
"""

import math

from pathgrad.engine import number_text, ops

# x ** k appears in exercises as a square.
RULES = {rule.op: rule for rule in (row.bind(2) if row.parameter else row for row in ops.TABLE if row.by_hand)}


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
    return rule.by_hand.written.format(*names, k=rule.arguments[0] if rule.arguments else None)


def _formula(p, k):
    rule = RULES[p.op]
    return rule.by_hand.formula(_names(p), k, *rule.arguments)


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
    found = rule.by_hand.slips(_names(p), numbers, k, *rule.arguments) + [(-right, f"{negated}, with the sign flipped")]
    return [(number, text) for number, text in found if not math.isclose(number, right, rel_tol=1e-9)]
