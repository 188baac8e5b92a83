"""What went wrong in a wrong answer, found by replaying the student's numbers through the graph.

A derivative d top / d bottom is one chain-rule step from its neighbours
(the parents' grads in reverse mode, the children's tangents in forward
mode), and it is also the sum over the paths from bottom to top of the
product of the local derivatives along each. Each kind of slip changes that
arithmetic in its own way, so each gives its own wrong number:

- carried error: the step is right, but it used one of the student's own wrong neighbours;
- sign error: the whole sum, one path, or one edge's local derivative negated;
- missed path: only some of the paths summed;
- product instead of sum: the paths' products multiplied;
- wrong local derivative: one edge's local derivative replaced by a common
  slip (see by_hand.py); the sum changes by (slip - right) * d top/d p * d c/d bottom;
- wrong node: the right answer for another node;
- rounding: within 1% of the right answer, but not within 1e-6.

The first kind whose number matches the student's (within a relative 1e-6)
is the diagnosis; each names the edge or path and shows the right arithmetic.
"""

import itertools
import math
from typing import NamedTuple

from pathgrad.engine import all_paths, backward_trace, factor_text, forward_mode, number_text

from .by_hand import local_rule, name, slips, written

RELATIVE = 1e-6
_MOST_PATHS_IN_SUBSETS = 10  # 2^10 subsets at most
_ROUNDED = 1e-2  # nearer than this, a wrong answer is taken for one rounded too soon


def same(answer, right):
    """True when answer is right within a relative 1e-6 (exact 0 within 1e-12).

    >>> same(5.0000001, 5), same(5.01, 5), same(0.0, 0)
    (True, False, True)
    """
    return math.isclose(answer, right, rel_tol=RELATIVE, abs_tol=1e-12)


class Diagnosis(NamedTuple):
    """One wrong answer: the kind of slip and a sentence naming it, with the right arithmetic."""

    kind: str
    text: str


class Question(NamedTuple):
    """d top / d bottom, asked under `key`, and the right number.

    `terms` are its chain-rule step, (neighbour, local) pairs: the parents in
    reverse mode, the children in forward mode. A local derivative (mode
    "local") has the one term (parent, k), the edge from parent.children[k].
    """

    key: str
    top: object
    bottom: object
    right: float
    terms: tuple
    mode: str  # "reverse" (neighbours are parents) or "forward" (neighbours are children)


def d(top, bottom):
    """d top / d bottom written with the nodes' labels (a constant by its number).

    >>> from pathgrad import Value
    >>> a = Value(2.0, "a"); c = a + 1; c.label = "c"
    >>> d(c, a), d(c, c.children[1])
    ('dc/da', 'dc/d1')
    """
    return f"d{name(top)}/d{name(bottom)}"



def step_text(question, value_of):
    """The chain-rule step for question, with each neighbour's number from value_of."""
    q = question
    if not q.terms:
        return f"{d(q.top, q.bottom)} = {number_text(q.right)}"
    symbols, numbers, total = [], [], 0.0
    for neighbour, local in q.terms:
        value = value_of(neighbour)
        symbols.append(f"{d(q.top, neighbour)} * {d(neighbour, q.bottom)}")
        # reverse: d top/d p (the parent's grad) * d p/d bottom (local); forward: local * tangent
        factors = (value, local) if q.mode == "reverse" else (local, value)
        numbers.append("*".join(map(factor_text, factors)))
        total += value * local
    return f"{d(q.top, q.bottom)} = {' + '.join(symbols)} = {' + '.join(numbers)} = {number_text(total)}"


def diagnose(question, answer, answers, questions, rights):
    """The Diagnosis of a wrong `answer` to `question`.

    `answers` are all the student's numbers by label, `questions` every
    Question by key, and `rights` the right number of every node.
    """
    q = question
    yours = f"your {d(q.top, q.bottom)} = {number_text(answer)}"

    def theirs(node):  # the student's number for a neighbour where given, else the right one
        return answers.get(node.label, rights[node]) if node.label else rights[node]

    right_step = step_text(q, rights.__getitem__)
    wrong_neighbours = [n for n, _ in q.terms if not same(theirs(n), rights[n])]
    if wrong_neighbours and same(answer, sum(theirs(n) * local for n, local in q.terms)):
        names = " and ".join(f"{d(*_pair(q, n))} = {number_text(theirs(n))}" for n in wrong_neighbours)
        return Diagnosis(
            "carried error",
            f"{yours} follows rightly from your {names}, which "
            f"{'is' if len(wrong_neighbours) == 1 else 'are'} wrong: {step_text(q, theirs)}. "
            f"Fix {'it' if len(wrong_neighbours) == 1 else 'them'} first: {right_step}.",
        )
    if same(answer, -q.right):
        return Diagnosis("sign error", f"{yours} has the wrong sign: {right_step}.")
    paths = all_paths(q.top, q.bottom, limit=1000)
    products = [path.product for path in paths]
    path_sum = f"{d(q.top, q.bottom)} = {' + '.join(factor_text(p) for p in products)} = {number_text(q.right)}"
    found = _missed_paths(yours, answer, paths, path_sum) or _flipped_path(yours, answer, q, paths, path_sum)
    if found:
        return found
    if len(paths) > 1 and same(answer, math.prod(products)):
        return Diagnosis(
            "product instead of sum",
            f"{yours} multiplies the paths' products ({' × '.join(factor_text(p) for p in products)}) "
            f"where the chain rule adds them: {path_sum}.",
        )
    found = _wrong_local(yours, answer, q, paths, right_step)
    if found:
        return found
    for other in questions.values():
        if other.key != q.key and not same(q.right, other.right) and same(answer, other.right):
            what = "grad" if q.mode == "reverse" else "tangent"
            return Diagnosis(
                "wrong node",
                f"{yours} is {d(other.top, other.bottom)}, the {what} of {other.key}, "
                f"not of {q.key}: {right_step}.",
            )
    if math.isclose(answer, q.right, rel_tol=_ROUNDED):
        return Diagnosis(
            "rounding",
            f"{yours} is right to about {_digits(answer, q.right)} digits, but an answer must be right "
            f"within a relative 1e-6: carry more digits through {right_step}.",
        )
    return Diagnosis("unexplained", f"no single slip explains {yours}; the right arithmetic is {right_step}.")


def _digits(answer, right):
    """How many significant digits of right the answer has."""
    return max(1, round(-math.log10(abs(answer - right) / abs(right))))


def _pair(question, neighbour):
    """(top, bottom) of the neighbour's own derivative in the step."""
    if question.mode == "reverse":
        return question.top, neighbour
    return neighbour, question.bottom


def _path_text(path):
    names = " → ".join(map(name, path.nodes))
    factors = "*".join(factor_text(g) for g in path.local_grads)
    if len(path.local_grads) == 1:
        return f"{names} ({number_text(path.product)})"
    return f"{names} ({factors} = {number_text(path.product)})"


def _missed_paths(yours, answer, paths, path_sum):
    if len(paths) > _MOST_PATHS_IN_SUBSETS:
        return None
    for size in range(len(paths) - 1, -1, -1):  # one path missed first, then two, ...
        for counted in itertools.combinations(range(len(paths)), size):
            total = 0.0
            for i in counted:
                total += paths[i].product
            if not same(answer, total):
                continue
            missing = [paths[i] for i in range(len(paths)) if i not in counted]
            added = " and ".join(f"the path {_path_text(path)}" for path in missing)
            verb = "adds" if len(missing) == 1 else "add"
            if counted:
                counts = "the path" + ("s " if size > 1 else " ") + " and ".join(_path_text(paths[i]) for i in counted)
                lead = f"{yours} counts {counts} only"
            else:
                lead = f"{yours} counts none of the {len(paths)} paths"
            return Diagnosis("missed path", f"{lead}; {added} {verb} to it: {path_sum}.")
    return None


def _flipped_path(yours, answer, question, paths, path_sum):
    if len(paths) < 2:
        return None
    for path in paths:
        if same(answer, question.right - 2 * path.product):
            return Diagnosis(
                "sign error",
                f"{yours} takes the path {_path_text(path)} with the wrong sign, "
                f"{factor_text(-path.product)} instead of {factor_text(path.product)}: {path_sum}.",
            )
    return None


def _wrong_local(yours, answer, question, paths, right_step):
    """A slip on one edge c -> p changes the answer by (slip - right) * d top/d p * d c/d bottom."""
    top_grads = grads_of(question.top)
    tangents = forward_mode(question.top, question.bottom)
    edges = []
    for path in paths:
        for child, parent in zip(path.nodes, path.nodes[1:]):  # the edges between bottom and top
            for k, operand in enumerate(parent.children):
                if operand is child and (parent, k) not in edges:
                    edges.append((parent, k))
    for parent, k in edges:
        child, right = parent.children[k], parent.local_grads[k]
        weight = top_grads[parent] * tangents[child]
        for number, reads in slips(parent, k):
            if same(answer, question.right + (number - right) * weight):
                kind = "sign error" if same(number, -right) else "wrong local derivative"
                return Diagnosis(
                    kind,
                    f"{yours} fits a wrong local derivative on the edge {name(child)} → {parent.label}: "
                    f"for {parent.label} = {written(parent)}, {d(parent, child)} = {local_rule(parent, k)}, "
                    f"not {reads} ({number_text(number)}). With the right one, {right_step}.",
                )
    return None


def diagnose_local(question, answer, questions):
    """The Diagnosis of a wrong local derivative: a flipped sign, a common slip, or another edge's."""
    ((parent, k),) = question.terms
    child = parent.children[k]
    yours = f"your {question.key} = {number_text(answer)}"
    rule = f"for {parent.label} = {written(parent)}, {question.key} = {local_rule(parent, k)}"
    for number, reads in slips(parent, k):
        if same(answer, number):
            kind = "sign error" if same(number, -question.right) else "wrong local derivative"
            return Diagnosis(kind, f"{yours} is {reads}: {rule}.")
    for other in questions.values():
        if other.key != question.key and not same(other.right, question.right) and same(answer, other.right):
            return Diagnosis(
                "wrong node",
                f"{yours} is {other.key}, the local derivative of another edge, not of "
                f"{name(child)} → {parent.label}: {rule}.",
            )
    return Diagnosis("unexplained", f"no single slip explains {yours}; {rule}.")


def grads_of(top):
    """{node: d top / d node} for every node below top, from the engine's reverse sweep."""
    grads = {top: 1.0}
    for step in backward_trace(top):
        for edge in step.edges:
            grads[edge.child] = grads.get(edge.child, 0.0) + edge.contribution
    return grads
