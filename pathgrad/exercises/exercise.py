"""An exercise: a graph to differentiate by hand, and a check that says what went wrong."""

import math
import os
from numbers import Integral, Real

from pathgrad.engine import Value, count_paths, forward_mode, number_text, topological_order
from pathgrad.engine.validation import RefusedType, RefusedValue
from pathgrad.files import write_atomically
from pathgrad.viz import draw, save

from .diagnose import Question, d, diagnose, diagnose_local, grads_of, same
from .generate import LEVELS, build_graph
from .result import CheckResult
from .by_hand import RULES, written
from .sheet import worksheet_pdf

ASKS = ("grads", "tangents", "local_grads")
_DIGITS = 10  # the worksheet's numbers, enough for an answer right to 1e-6


class Exercise:
    """A graph whose derivatives a student works out by hand, and checks.

    `asks` is what the student finds: "grads" (d root / d x for every node x,
    what x.grad holds after root.backward()), "tangents" (d x / d wrt for
    every node x, forward mode from the input wrt), or "local_grads" (the
    local partial ∂c/∂a on every edge, keyed "dc/da"). `root` is the output,
    `nodes` maps each label to its Value, `questions` lists the keys to
    answer, and `check(answers)` marks them. Every interior node must carry a
    label; unlabelled leaves are constants.

    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> c = a + b; c.label = "c"
    >>> d = b + 1; d.label = "d"
    >>> e = c * d; e.label = "e"
    >>> exercise = Exercise(e)
    >>> exercise.questions
    ['a', 'b', 'c', 'd', 'e']
    >>> result = exercise.check({"a": 2, "b": 2})
    >>> result.ok, result.verdicts
    (False, {'a': True, 'b': False})
    >>> print(result.diagnoses["b"])
    your de/db = 2 counts the path b → c → e (1·2 = 2) only; the path b → d → e (1·3 = 3) adds to it: de/db = 2 + 3 = 5.
    """

    def __init__(self, root, asks="grads", wrt=None, title=""):
        if not isinstance(root, Value):
            raise RefusedType(f"Exercise: root must be a pathgrad Value, got {type(root).__name__} {root!r}")
        if not isinstance(asks, str):
            raise RefusedType(f"Exercise: got asks={asks!r}; asks is a str, one of {', '.join(map(repr, ASKS))}")
        if asks not in ASKS:
            raise RefusedValue(f"Exercise: got asks={asks!r}; use one of {', '.join(map(repr, ASKS))}")
        order = topological_order(root)
        _check_graph(order)
        self.root = root
        self.asks = asks
        self.title = title
        self.nodes = {node.label: node for node in order if node.label}
        self.wrt = _input(order, wrt) if asks == "tangents" else None
        if asks != "tangents" and wrt is not None:
            raise RefusedValue(f"Exercise: got wrt={wrt!r} with asks={asks!r}; only asks='tangents' follows an input")
        self._order = order
        # As the worksheet lists them: the inputs by label, then each statement after its operands.
        inputs = sorted((node for node in order if node.label and not node.children), key=_label)
        self._written = inputs + [node for node in order if node.children]
        self._rights = forward_mode(root, self.wrt) if asks == "tangents" else grads_of(root)
        self._questions = self._make_questions()

    @property
    def questions(self):
        """The keys to answer, in the order the graph was built."""
        return list(self._questions)

    def solution(self):
        """{key: the right number} for every question.

        >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
        >>> Exercise(y).solution()
        {'x': 6.0, 'y': 1.0}
        """
        return {key: question.right for key, question in self._questions.items()}

    def check(self, answers):
        """Mark `answers` ({key: number}, for every question or some) and diagnose each wrong one.

        An answer is right within a relative 1e-6. Each wrong one is replayed
        through the graph to find the slip that gives exactly that number.

        >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
        >>> result = Exercise(y).check({"x": 3})
        >>> result.mistakes
        {'x': 'missed path'}
        """
        answers = self._checked(answers)
        diagnoses = {}
        for key, answer in answers.items():
            question = self._questions[key]
            if same(answer, question.right):
                continue
            if self.asks == "local_grads":
                diagnoses[key] = diagnose_local(question, answer, self._questions)
            else:
                diagnoses[key] = diagnose(question, answer, answers, self._questions, self._rights)
        return CheckResult(answers, {key: key not in diagnoses for key in answers}, diagnoses)

    @property
    def expression(self):
        """The graph as statements, as `pathgrad graph` reads them: "c = a + b; d = b * c"."""
        return "; ".join(f"{node.label} = {written(node)}" for node in self._order if node.children)

    @property
    def inputs(self):
        """{label: value} of the labelled leaves, by label."""
        return {node.label: node.data for node in self._written if not node.children}

    def worksheet(self, rankdir=None):
        """The graph drawn with its values and blank grads, to fill in (a graphviz.Digraph).

        A tangents worksheet highlights the input wrt and shows no grad
        field; a local-derivative worksheet shows values only. `rankdir`
        ("LR", "TB") is draw's: None lets it choose.
        """
        if self.asks == "grads":
            return draw(self.root, show_grads="blank", rankdir=rankdir)
        return draw(self.root, show_grads=False, highlight=(self.wrt,) if self.wrt else (), rankdir=rankdir)

    def save(self, path, paper="a4", key=False):
        """Write the worksheet to path; return path.

        A .pdf is a page to print on `paper` ("a4" or "letter", portrait):
        the statements, the graph fitted to the page's width, and a box to
        write each answer in (with key=True, the answers filled in). A .svg,
        .png or .dot is the worksheet's drawing alone.
        """
        if os.fspath(path).lower().endswith(".pdf"):
            write_atomically(path, worksheet_pdf(self, paper, key))
            return path
        if key:
            raise RefusedValue(f"Exercise.save: key=True writes a .pdf page; got {os.fspath(path)!r}")
        return save(self.worksheet(), path)

    def __str__(self):
        lines = [f"Exercise{f' ({self.title})' if self.title else ''}: {_TASKS[self.asks]}", ""]
        statements = [(node.label, written(node) if node.children else "", node) for node in self._written]
        width = max(len(text) for _, text, _ in statements)
        for label, text, node in statements:
            value = number_text(node.data, _DIGITS)
            line = f"  {label} = {text:<{width}}   = {value}" if text else f"  {label} = {value}"
            lines.append(line + ("   (the output)" if node is self.root else ""))
        lines += ["", self._instruction()]
        return "\n".join(lines)

    def __repr__(self):
        return f"<Exercise{f' {self.title}' if self.title else ''}, asks {self.asks}: {self.expression}>"

    def _instruction(self):
        r = self.root.label
        keys = ", ".join(self.questions)
        if self.asks == "grads":
            return f"Find d{r}/dx for every node x, the number x.grad holds after {r}.backward():\n  {keys}"
        if self.asks == "tangents":
            w = self.wrt.label
            return f"Forward mode from {w}: find the tangent dx/d{w} for every node x, inputs first:\n  {keys}"
        return f"Find the local derivative ∂p/∂c on every edge c -> p, keyed dp/dc (∂ typed as d):\n  {keys}"

    def _make_questions(self):
        questions = {}
        for node in self._written:
            if self.asks == "local_grads":
                for k, child in enumerate(node.children):
                    key = d(node, child)
                    questions[key] = Question(key, node, child, node.local_grads[k], ((node, k),), "local")
            elif self.asks == "grads":
                terms = tuple(
                    (parent, local)
                    for parent in self._order
                    for child, local in zip(parent.children, parent.local_grads)
                    if child is node
                )
                questions[node.label] = Question(node.label, self.root, node, self._rights[node], terms, "reverse")
            else:
                terms = tuple(zip(node.children, node.local_grads))
                questions[node.label] = Question(node.label, node, self.wrt, self._rights[node], terms, "forward")
        return questions

    def _checked(self, answers):
        """answers as {key: float} in question order, or one refusal naming what is wrong."""
        if not isinstance(answers, dict):
            raise RefusedType(
                f"Exercise.check: got {type(answers).__name__} {answers!r}; "
                f"give a dict of key -> number, e.g. {{{self.questions[0]!r}: 2}}"
            )
        if not answers:
            raise RefusedValue(f"Exercise.check: got no answers; answer some of {', '.join(self.questions)}")
        for key, number in answers.items():
            if key not in self._questions:
                raise RefusedValue(
                    f"Exercise.check: got an answer for {key!r}, which is not asked; "
                    f"the keys are {', '.join(self.questions)}"
                )
            if isinstance(number, bool) or not isinstance(number, Real):
                raise RefusedType(f"Exercise.check: the answer for {key!r} is {number!r}; give a real number")
            if not math.isfinite(number):
                raise RefusedValue(f"Exercise.check: the answer for {key!r} is {number!r}; give a finite number")
        return {key: float(answers[key]) for key in self._questions if key in answers}


def _label(node):
    return node.label


_TASKS = {
    "grads": "backpropagate by hand.",
    "tangents": "forward mode by hand.",
    "local_grads": "the local derivatives by hand.",
}


def _check_graph(order):
    labels = set()
    for node in order:
        if node.children and node.op not in RULES:
            raise RefusedValue(
                f"Exercise: the graph has a {node.op!r} node; an exercise uses only "
                f"{', '.join(RULES)}"
            )
        if node.children and not node.label:
            raise RefusedValue(
                f"Exercise: a {node.op!r} node of value {number_text(node.data)} has no label; "
                f"label every node that is not a constant"
            )
        if node.label in labels:
            raise RefusedValue(f"Exercise: two nodes are labelled {node.label!r}; give each its own label")
        if node.label:
            labels.add(node.label)


def _input(order, wrt):
    """The input forward mode follows: wrt, or the labelled leaf with the most paths to the root."""
    leaves = [node for node in order if node.label and not node.children]
    if wrt is None:
        if not leaves:
            raise RefusedValue("Exercise: asks='tangents' needs a labelled input to follow; the graph has none")
        return max(leaves, key=lambda leaf: count_paths(order[-1], leaf))
    if wrt not in leaves:
        raise RefusedValue(f"Exercise: wrt={wrt!r} is not a labelled input of the graph; use one of its leaves")
    return wrt


def exercise(seed=0, level=1, asks="grads"):
    """A random exercise from `seed`, the same on every run and every Python version.

    Level 1 is a tree of + and * (one path from each node to the output);
    level 2 shares nodes, so some have several paths; level 3 adds exp, log,
    tanh, / and **2. `asks` is "grads", "tangents" or "local_grads" (see
    Exercise). The student's numbers are checked with `exercise.check`.

    >>> import pathgrad
    >>> sheet = pathgrad.exercise(seed=0, level=1)
    >>> sheet.expression
    'e = c + d; f = b + e; g = a * f'
    >>> sheet.check(sheet.solution()).ok
    True
    """
    for name, number in (("seed", seed), ("level", level)):
        if isinstance(number, bool) or not isinstance(number, Integral):
            raise RefusedType(f"exercise: got {name}={number!r}; {name} is a whole number (an int)")
    if seed < 0:
        raise RefusedValue(f"exercise: got seed={seed!r}; use a whole number 0 or more")
    if level not in LEVELS:
        raise RefusedValue(f"exercise: got level={level!r}; use 1, 2 or 3")
    return Exercise(build_graph(int(seed), level), asks=asks, title=f"seed {seed}, level {level}")
