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
- wrong local derivative: one edge's local derivative ∂p/∂c replaced by a common
  slip (see by_hand.py); the sum changes by (slip - right) * d top/d p * d c/d bottom;
- wrong node: the right answer for another node;
- rounding: within 1% of the right answer, but not within 1e-6.

The first kind whose number matches the student's (within a relative 1e-6)
is the diagnosis; each names the edge or path and shows the right arithmetic.
Past 1,000 paths the paths are not listed: the diagnoses that need no list
(the counts, and the local derivatives on the edges between) still run.
"""

import itertools
import math
from typing import NamedTuple

from pathgrad.engine import (
    all_paths, backward_trace, count_paths, derivative_name, factor_text, forward_mode, is_one_edge,
    number_text, topological_order,
)

from .by_hand import local_rule, name, slips, written

RELATIVE = 1e-6
_MOST_PATHS_IN_SUBSETS = 10  # 2^10 subsets at most
_MOST_PATHS_LISTED = 1000  # past this, no diagnosis lists the paths
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
    """d top / d bottom, the total derivative, as derivative_name writes it."""
    return derivative_name(top, bottom)


def partial_d(top, bottom):
    """∂top/∂bottom, the local partial on the edge bottom -> top."""
    return derivative_name(top, bottom, local=True)


def step_text(question, value_of):
    """The chain-rule step for question, with each neighbour's number from value_of."""
    q = question
    if not q.terms:
        return f"{d(q.top, q.bottom)} = {number_text(q.right)}"
    symbols, numbers, total = [], [], 0.0
    for neighbour, local in q.terms:
        value = value_of(neighbour)
        # reverse: d top/d p (the parent's grad) · ∂p/∂bottom (the edge); forward: ∂top/∂c · d c/d bottom.
        # A total that is one edge's number is written as that edge's ∂, as explain writes it.
        top, bottom = (q.top, neighbour) if q.mode == "reverse" else (neighbour, q.bottom)
        whole = derivative_name(top, bottom, local=is_one_edge(top, bottom))
        symbols.append(f"{whole} · {partial_d(neighbour, q.bottom)}" if q.mode == "reverse"
                       else f"{partial_d(q.top, neighbour)} · {whole}")
        factors = (value, local) if q.mode == "reverse" else (local, value)
        numbers.append("·".join(map(factor_text, factors)))
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
    count = count_paths(q.top, q.bottom)
    paths = all_paths(q.top, q.bottom) if count <= _MOST_PATHS_LISTED else None
    if paths is None:
        found = None
        path_sum = f"{d(q.top, q.bottom)} = {number_text(q.right)}, the sum over its {count:,} paths"
    else:
        products = [path.product for path in paths]
        path_sum = _path_sum(q, paths)
        found = _missed_paths(yours, answer, q, paths, path_sum) or _flipped_path(yours, answer, q, paths, path_sum)
    if found:
        return found
    if paths is not None and len(paths) > 1 and same(answer, math.prod(products)):
        return Diagnosis(
            "product instead of sum",
            f"{yours} multiplies the paths' products ({' × '.join(factor_text(p) for p in products)}) "
            f"where the chain rule adds them: {path_sum}.",
        )
    found = _wrong_local(yours, answer, q, right_step)
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


def _equation(lhs, terms, total):
    """lhs = terms = total, the middle left out when it only repeats the total: no "= 1 = 1"."""
    middle = " + ".join(terms)
    return f"{lhs} = {total}" if middle in ("", total) else f"{lhs} = {middle} = {total}"


def _path_sum(question, paths):
    """d top/d bottom as the sum of its paths' products, each product written out when alone."""
    if len(paths) == 1:
        terms = ["·".join(factor_text(g) for g in paths[0].local_grads)]
    else:
        terms = [factor_text(path.product) for path in paths]
    return _equation(d(question.top, question.bottom), terms, number_text(question.right))


def _path_texts(paths):
    """Each path as text, "b → c → e (1·2 = 2)", two paths through the same nodes told apart.

    Two paths run through the same nodes when a node takes an operand twice
    (y = x * x): all_paths lists them in the order of the operands taken,
    from the top edge down, and the text names which operand each took.
    """
    texts, seen = [], {}
    for path in paths:
        steps = list(zip(path.nodes, path.nodes[1:]))
        choices = [[k for k, operand in enumerate(parent.children) if operand is child] for child, parent in steps]
        n = seen[path.nodes] = seen.get(path.nodes, -1) + 1
        ambiguous = any(len(options) > 1 for options in choices)
        picked = next(itertools.islice(itertools.product(*reversed(choices)), n, None))[::-1] if ambiguous else ()
        through = [
            f"{name(parent)}'s {_ORDINALS[k]} operand"
            for (child, parent), k, options in zip(steps, picked, choices) if len(options) > 1
        ]
        names = " → ".join(map(name, path.nodes)) + (f" through {' and '.join(through)}" if through else "")
        factors = "·".join(factor_text(g) for g in path.local_grads)
        texts.append(f"{names} ({_equation('', [factors], number_text(path.product))[3:]})")
    return texts


_ORDINALS = ("first", "second", "third", "fourth")


def _paths_named(texts):
    return ("the path " if len(texts) == 1 else "the paths ") + " and ".join(texts)


def _missed_paths(yours, answer, question, paths, path_sum):
    if len(paths) > _MOST_PATHS_IN_SUBSETS:
        return None
    if not paths[0].local_grads:  # top is bottom: one path of no edges
        if same(answer, 0):
            return Diagnosis(
                "missed path",
                f"{yours} leaves out the one path from {name(question.top)} to itself, which has no edges "
                f"and so the product 1: {path_sum}.",
            )
        return None
    texts = _path_texts(paths)
    for size in range(len(paths) - 1, -1, -1):  # one path missed first, then two, ...
        for counted in itertools.combinations(range(len(paths)), size):
            total = 0.0
            for i in counted:
                total += paths[i].product
            if not same(answer, total):
                continue
            missing = [texts[i] for i in range(len(paths)) if i not in counted]
            if not counted and len(paths) == 1:
                text = f"{yours} leaves out the only path, {texts[0]}: {path_sum}."
            else:
                lead = f"counts {_paths_named([texts[i] for i in counted])} only" if counted else "counts no path"
                verb = "adds" if len(missing) == 1 else "add"
                text = f"{yours} {lead}; {_paths_named(missing)} {verb} to it: {path_sum}."
            return Diagnosis("missed path", text)
    return None


def _flipped_path(yours, answer, question, paths, path_sum):
    if len(paths) < 2:
        return None
    for i, path in enumerate(paths):
        if same(answer, question.right - 2 * path.product):
            return Diagnosis(
                "sign error",
                f"{yours} takes the path {_path_texts(paths)[i]} with the wrong sign, "
                f"{factor_text(-path.product)} instead of {factor_text(path.product)}: {path_sum}.",
            )
    return None


def _edges_between(top, bottom):
    """The edges (parent, k) on some path from bottom up to top, found without listing the paths."""
    reaches = set()  # the nodes bottom is under
    edges = []
    for node in topological_order(top):
        if node is bottom or any(child in reaches for child in node.children):
            reaches.add(node)
            edges.extend((node, k) for k, child in enumerate(node.children) if child in reaches)
    return edges


def _wrong_local(yours, answer, question, right_step):
    """A slip on one edge c -> p changes the answer by (slip - right) * d top/d p * d c/d bottom."""
    top_grads = grads_of(question.top)
    tangents = forward_mode(question.top, question.bottom)
    for parent, k in _edges_between(question.top, question.bottom):
        child, right = parent.children[k], parent.local_grads[k]
        weight = top_grads[parent] * tangents[child]
        for number, reads in slips(parent, k):
            if same(answer, question.right + (number - right) * weight):
                kind, slip = _slip(number, right, reads)
                return Diagnosis(
                    kind,
                    f"{yours} fits {slip} on the edge {name(child)} → {parent.label}: "
                    f"for {parent.label} = {written(parent)}, {partial_d(parent, child)} = {local_rule(parent, k)}, "
                    f"not {number_text(number)}. With the right one, {right_step}.",
                )
    return None


def _slip(number, right, reads):
    """(kind, what the slip was): a flipped sign is called one, whatever other slip gives the same number."""
    if same(number, -right):
        return "sign error", "a local derivative with its sign flipped"
    return "wrong local derivative", f"a wrong local derivative, {reads},"


def diagnose_local(question, answer, questions):
    """The Diagnosis of a wrong local derivative: a flipped sign, a common slip, or another edge's."""
    ((parent, k),) = question.terms
    child = parent.children[k]
    partial = partial_d(parent, child)
    yours = f"your {partial} = {number_text(answer)}"
    rule = f"for {parent.label} = {written(parent)}, {partial} = {local_rule(parent, k)}"
    for number, reads in slips(parent, k):
        if same(answer, number):
            if same(number, -question.right):
                return Diagnosis("sign error", f"{yours} has the wrong sign: {rule}.")
            return Diagnosis("wrong local derivative", f"{yours} is {reads}: {rule}.")
    for other in questions.values():
        if other.key != question.key and not same(other.right, question.right) and same(answer, other.right):
            ((other_parent, other_k),) = other.terms
            return Diagnosis(
                "wrong node",
                f"{yours} is {partial_d(other_parent, other_parent.children[other_k])}, the local derivative "
                f"of another edge, not of {name(child)} → {parent.label}: {rule}.",
            )
    return Diagnosis("unexplained", f"no single slip explains {yours}; {rule}.")


def grads_of(top):
    """{node: d top / d node} for every node below top, as the engine's reverse sweep leaves them.

    >>> from pathgrad import Value
    >>> a = Value(3.0, "a"); b = a * a
    >>> grads_of(b)[a]
    6.0
    """
    grads = {top: 1.0}
    for step in backward_trace(top):
        grads.update((edge.child, edge.child_grad_after) for edge in step.edges if edge.final)
    return grads
