"""The operations an exercise may use: how each is built, written, and differentiated by hand.

One row per operation. `formula(p, k)` is the local derivative d p / d child_k
as a student writes it (the engine's recorded number is its value), and
`slips(p, k)` lists the wrong local derivatives students commonly write for
that edge, each as (number, how it reads). The diagnoses replay these slips
through the graph to see which one the student made.
"""

import math
import operator
from typing import Callable, NamedTuple

from pathgrad.engine import Value, number_text


class Rule(NamedTuple):
    """How one operation is built, written, allowed, and differentiated."""

    arity: int
    build: Callable  # operands -> Value
    written: str  # "{0} + {1}"
    allowed: Callable  # operand values -> True where the exercise stays readable
    formula: Callable  # (p, k) -> d p / d child_k, written symbolically
    slips: Callable  # (p, k) -> [(wrong number, how it reads)]


def name(node):
    """How a node is called in an exercise: its label, or a constant's number."""
    return node.label or number_text(node.data)


def _other(p, k):
    return p.children[1 - k]


def _own(p, k):
    return p.children[k]


def _anything(*values):
    return True


def _divide_slips(p, k):
    a, b = p.children
    if k == 0:
        return [(b.data, f"{name(b)}, the divisor itself"), (1.0, "1")]
    return [
        (a.data / b.data**2, f"{name(a)}/{name(b)}², without the minus sign"),
        (-1.0 / b.data**2, f"-1/{name(b)}², without the numerator"),
    ]


def _power_slips(p, k):
    x, power = _own(p, k), int(p.op[2:])
    return [
        (x.data ** (power - 1), f"{name(x)}^{power - 1}, without the factor {power}"),
        (power * x.data**power, f"{power}·{name(x)}^{power}, without lowering the power"),
    ]


RULES = {
    "+": Rule(
        2, operator.add, "{0} + {1}", _anything,
        lambda p, k: "1",
        lambda p, k: [(_other(p, k).data, f"{name(_other(p, k))}, the other operand, as for a product")],
    ),
    "*": Rule(
        2, operator.mul, "{0} * {1}", _anything,
        lambda p, k: name(_other(p, k)),
        lambda p, k: [
            (_own(p, k).data, f"{name(_own(p, k))}, the operand itself instead of the other one"),
            (1.0, "1, as for a sum"),
        ],
    ),
    "/": Rule(
        2, operator.truediv, "{0} / {1}", lambda a, b: abs(b) >= 0.5,
        lambda p, k: f"1/{name(p.children[1])}" if k == 0 else f"-{name(p.children[0])}/{name(p.children[1])}²",
        _divide_slips,
    ),
    "exp": Rule(
        1, Value.exp, "exp({0})", lambda x: abs(x) <= 2,
        lambda p, k: f"exp({name(_own(p, k))}) = {name(p)}",
        lambda p, k: [(_own(p, k).data, f"{name(_own(p, k))}, the input"), (1.0, "1")],
    ),
    "log": Rule(
        1, Value.log, "log({0})", lambda x: x > 0,
        lambda p, k: f"1/{name(_own(p, k))}",
        lambda p, k: [
            (p.data, f"log({name(_own(p, k))}) = {name(p)}, the output"),
            (_own(p, k).data, f"{name(_own(p, k))}, the input"),
        ],
    ),
    "tanh": Rule(
        1, Value.tanh, "tanh({0})", lambda x: abs(x) <= 2.5,  # beyond, tanh is 1 to the worksheet's digits
        lambda p, k: f"1 - {name(p)}²",
        lambda p, k: [
            (p.data, f"tanh({name(_own(p, k))}) = {name(p)}, the output"),
            (1.0 - _own(p, k).data ** 2, f"1 - {name(_own(p, k))}², the input squared instead of the output"),
            (1.0 + p.data**2, f"1 + {name(p)}², with a plus"),
        ],
    ),
    "**2": Rule(
        1, lambda x: x**2, "{0}**2", _anything,
        lambda p, k: f"2·{name(_own(p, k))}",
        _power_slips,
    ),
}


def written(node):
    """The right-hand side of node's statement, e.g. "a + b" or "exp(c)".

    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> written(a * b), written((a + 1).tanh())
    ('a * b', 'tanh(...)')
    """
    # An exercise labels every interior node; "..." stands for an unlabelled one.
    names = [name(child) if child.label or not child.children else "..." for child in node.children]
    return RULES[node.op].written.format(*names)


def local_rule(p, k):
    """d p / d child_k as a student writes it, then its number: "d = 2", or "1".

    >>> a, b = Value(2.0, "a"), Value(3.0, "b")
    >>> c = a * b; c.label = "c"
    >>> local_rule(c, 0)
    'b = 3'
    """
    formula = RULES[p.op].formula(p, k)
    value = number_text(p.local_grads[k])
    return value if formula == value else f"{formula} = {value}"


def slips(p, k):
    """The wrong local derivatives students write for the edge child_k -> p, without the right one.

    Each is (number, how it reads); a flipped sign is always among them.

    >>> a, b = Value(2.0, "a"), Value(3.0, "b")
    >>> c = a * b; c.label = "c"
    >>> [number for number, _ in slips(c, 0)]
    [2.0, 1.0, -3.0]
    """
    right, formula = p.local_grads[k], RULES[p.op].formula(p, k)
    negated = f"-{formula}" if formula.isalnum() else f"-({formula})"
    found = RULES[p.op].slips(p, k) + [(-right, f"{negated}, with the sign flipped")]
    return [(number, text) for number, text in found if not math.isclose(number, right, rel_tol=1e-9)]
