"""`pathgrad quiz`: a worksheet to backpropagate by hand, and a check of the answers."""

import argparse
import math
import os

from pathgrad.exercises import ASKS, exercise
from pathgrad.files import staged_outputs

from .errors import InputError
from .graph import FORMATS, _format_of
from .parser import CommandParser

EPILOG = """\
examples:
  pathgrad quiz --seed 3 --level 2                 (print the worksheet)
  pathgrad quiz --seed 3 --level 2 -o sheet.pdf    (and save its drawing to print)
  pathgrad quiz --seed 3 --level 2 --answers "a=-8,b=4"         (exit 0: both right)
  pathgrad quiz --seed 3 --level 2 --answers "a=-8,b=-4"        (exit 1: b has the wrong sign)
  pathgrad quiz --seed 3 --level 2 --asks tangents --answers "c=2,d=4"

levels: 1 a few + and * (one path from each node), 2 shared nodes (several
paths), 3 adds exp, log, tanh, / and **2. Each wrong answer is diagnosed: a
missed path, a wrong local derivative, a sign error, a product where a sum
was needed, the grad of the wrong node, or an error carried from another.
An answer is right within a relative 1e-6.

exit status: 0 every answer right (or no answers given), 1 one is wrong,
2 bad usage or input.
"""


def parser():
    """The argument parser of `pathgrad quiz`."""
    command = CommandParser(
        prog="pathgrad quiz",
        description="Print a random graph to differentiate by hand, and check your answers.",
        epilog=EPILOG,
    )
    command.add_argument("--seed", type=_whole, default=0, help="which exercise (default 0)")
    command.add_argument("--level", type=int, choices=(1, 2, 3), default=1, help="1, 2 or 3 (default 1)")
    command.add_argument(
        "--asks", choices=[ask.replace("_", "-") for ask in ASKS], default="grads",
        help="what to find: grads (default), tangents (forward mode) or local-grads",
    )
    command.add_argument("-o", "--output", metavar="FILE", help="save the worksheet's drawing (.svg .png .pdf .dot)")
    command.add_argument("--format", choices=FORMATS, help="the drawing's format (default: from FILE's extension)")
    command.add_argument("--answers", metavar='"a=2,b=5"', help="your answers, as comma-separated key=number")
    return command


def run(args):
    """Print the worksheet, or check the answers; 1 when one is wrong."""
    if args.format and args.output is None:
        raise InputError("--format is the format of the worksheet's drawing; add -o FILE to write one")
    sheet = exercise(seed=args.seed, level=args.level, asks=args.asks.replace("-", "_"))
    answers = None if args.answers is None else parse_answers(args.answers)
    result = None if answers is None else sheet.check(answers)
    with staged_outputs() as staging:
        if args.output is not None:
            suffix = "." + (args.format or _format_of(args.output))
            sheet.save(staging.path(args.output, suffix))
        written = staging.commit()
    print(sheet if result is None else result)
    for path in written:
        print(f"wrote {os.path.relpath(path)}")
    return 0 if result is None or result.ok else 1


def parse_answers(text):
    """"a=2,b=-0.5" as {"a": 2.0, "b": -0.5}, or InputError naming the bad pair.

    >>> parse_answers("a=2, b=-0.5, de/dc=3")
    {'a': 2.0, 'b': -0.5, 'de/dc': 3.0}
    """
    answers = {}
    for pair in text.split(","):
        key, equals, number = (part.strip() for part in pair.partition("="))
        if not equals or not key:
            raise InputError(f"--answers: {pair.strip()!r} is not key=number; write them like a=2,b=5")
        try:
            x = float(number)
        except ValueError:
            x = math.nan
        if not math.isfinite(x):
            raise InputError(f"--answers: {pair.strip()!r}: {number!r} is not a finite number; give one like 2 or -0.5")
        if key in answers:
            raise InputError(f"--answers: {key} is answered twice; answer each once")
        answers[key] = x
    return answers


def _whole(text):
    """--seed's argument: a whole number 0 or more."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number 0 or more, e.g. --seed 3")
    return int(text)
