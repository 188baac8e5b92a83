"""`pathgrad demo`: colah's worked example e = (a + b)(b + 1) at a = 2, b = 1."""

import os

from pathgrad.engine import ENGINE

from .graph import show
from .parser import CommandParser

EXPRESSION = "c = a + b; d = b + 1; e = c * d"
INPUTS = ("a=2", "b=1")
FOLDER = "out"

EPILOG = f"""\
The same as:
  pathgrad graph "{EXPRESSION}" {" ".join(INPUTS)} --paths b --explain b \\
      -o {FOLDER}/e.svg --steps {FOLDER}/e-steps.html

example:
  pathgrad demo && xdg-open {FOLDER}/e-steps.html
"""


def parser():
    """The argument parser of `pathgrad demo`.

    >>> parser().parse_args([])
    Namespace()
    """
    return CommandParser(
        prog="pathgrad demo",
        description=(
            "Run colah's worked example e = (a + b)(b + 1) at a = 2, b = 1: print the\n"
            "gradients, both paths from b with their products, and the chain rule for\n"
            f"de/db, and write the drawing {FOLDER}/e.svg and the step-through page\n"
            f"{FOLDER}/e-steps.html."
        ),
        epilog=EPILOG,
    )


def run(args):
    """Print the worked example and write its drawing and stepper into ./out.

    >>> run(parser().parse_args([]))  # doctest: +ELLIPSIS
    colah's worked example, e = (a + b)(b + 1) at a = 2, b = 1, written as
      c = a + b; d = b + 1; e = c * d
    <BLANKLINE>
    name        value         grad
    a               2            2
    b               1            5
    ...
    wrote out/e.svg
    wrote out/e-steps.html
    ran on the ... engine (pathgrad --version says which, PATHGRAD_PURE=1 picks the pure one)
    0
    """
    print(f"colah's worked example, e = (a + b)(b + 1) at a = 2, b = 1, written as\n  {EXPRESSION}\n")
    os.makedirs(FOLDER, exist_ok=True)
    status = show(
        EXPRESSION,
        INPUTS,
        drawing=os.path.join(FOLDER, "e.svg"),
        steps=os.path.join(FOLDER, "e-steps.html"),
        paths_from="b",
        explain_for="b",
    )
    print(f"ran on the {ENGINE} engine (pathgrad --version says which, PATHGRAD_PURE=1 picks the pure one)")
    return status
