"""Exercises that check a student's hand work on the chain rule.

`pathgrad.exercise(seed, level)` poses a random graph; the student works
out its grads (or its forward-mode tangents, or its local derivatives) by
hand, and `exercise.check({"a": 2, ...})` marks each number. A wrong one is
diagnosed by replaying the student's numbers through the graph: a missed
path, a wrong local derivative on one edge, a sign error, a product where a
sum was needed, the grad of the wrong node, or an error carried from a wrong
neighbour. Each diagnosis names the edge or path and shows the right
arithmetic.

This package sits above the engine and viz, like the command line.

>>> import pathgrad
>>> sheet = pathgrad.exercise(seed=0, level=1)
>>> sheet.expression
'e = c + d; f = b + e; g = a * f'
>>> sheet.check({"a": 4, "b": 6}).verdicts
{'a': True, 'b': False}
"""

from .exercise import ASKS, Exercise, exercise
from .result import CheckResult
from .sheet import PAPERS, worksheet_pdf

__all__ = ["ASKS", "PAPERS", "CheckResult", "Exercise", "exercise", "worksheet_pdf"]
