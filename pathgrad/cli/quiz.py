"""`pathgrad quiz`: a worksheet to backpropagate by hand, and a check of the answers."""

import math
import os
import sys

from pathgrad.exercises import ASKS, PAPERS, exercise
from pathgrad.files import STDOUT, staged_outputs

from .errors import InputError, shown
from .graph import FORMATS, format_from_extension
from .parser import CommandParser, real_number, whole_number

EPILOG = """\
examples:
  pathgrad quiz --seed 3 --level 2                 (print the worksheet)
  pathgrad quiz --seed 3 --level 2 -o sheet.pdf --key key.pdf    (an A4 page to print, and its answers)
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
    command.add_argument("--seed", type=whole_number("a seed", 0, 2**32 - 1), default=0,
                         help="which exercise (default 0)")
    command.add_argument("--level", type=whole_number("a level", 1, 3), default=1, help="1, 2 or 3 (default 1)")
    command.add_argument(
        "--asks", choices=[ask.replace("_", "-") for ask in ASKS], default="grads",
        help="what to find: grads (default), tangents (forward mode) or local-grads",
    )
    command.add_argument(
        "-o", "--output", metavar="FILE",
        help="save the worksheet: .pdf a page to print; .svg .png .dot its drawing (- for standard output)",
    )
    command.add_argument("--paper", choices=PAPERS, help="the .pdf page's paper (default a4)")
    command.add_argument("--key", metavar="KEY.pdf", help="also write the answer key, a page like -o's")
    command.add_argument("--format", choices=FORMATS, help="the drawing's format (default: from FILE's extension)")
    command.add_argument("--answers", metavar='"a=2,b=5"', help="your answers, as comma-separated key=number")
    return command


def run(args):
    """Print the worksheet, or check the answers; 1 when one is wrong."""
    if args.format and args.output is None:
        raise InputError("--format is the format of the worksheet's drawing; add -o FILE to write one")
    suffix = None if args.output is None else "." + (args.format or format_from_extension(args.output))
    if args.paper and suffix != ".pdf" and not args.key:
        raise InputError("--paper is the paper of a .pdf page; add -o sheet.pdf or --key key.pdf")
    if args.key is not None and not args.key.lower().endswith(".pdf") and args.key != STDOUT:
        raise InputError(f"--key {args.key}: the answer key is a page to print; name it KEY.pdf")
    sheet = exercise(seed=args.seed, level=args.level, asks=args.asks.replace("-", "_"))
    answers = None if args.answers is None else parse_answers(args.answers, sheet.questions)
    result = None if answers is None else sheet.check(answers)
    paper = args.paper or "a4"
    with staged_outputs(allow_stdout=True) as staging:
        if args.output is not None:
            sheet.save(staging.path(args.output, suffix), paper=paper)
        if args.key is not None:
            sheet.save(staging.path(args.key, ".pdf"), paper=paper, key=True)
        written = [path for path in staging.commit() if path != STDOUT]
    # A worksheet on standard output keeps it for the file alone.
    text = sheet if result is None else result
    print(text, file=sys.stderr if STDOUT in (args.output, args.key) else sys.stdout)
    for path in written:
        print(f"wrote {os.path.relpath(path)}")
    return 0 if result is None or result.ok else 1


def parse_answers(text, keys):
    """"a=2,b=-0.5" as {"a": 2.0, "b": -0.5}, or InputError naming the bad pair; `keys` are those asked.

    >>> parse_answers("a=2, b=-0.5, de/dc=3", ["a", "b", "de/dc"])
    {'a': 2.0, 'b': -0.5, 'de/dc': 3.0}
    """
    answers = {}
    for pair in text.split(","):
        key, equals, number = (part.strip() for part in pair.partition("="))
        if not equals or not key:
            raise InputError(
                f"--answers: {shown(pair.strip(), 40)!r} is not key=number; write them like {keys[0]}=2, "
                f"with the keys asked: {', '.join(keys)}"
            )
        key = key.replace("∂", "d")  # a local derivative may be keyed ∂c/∂a as well as dc/da
        if key not in keys:
            raise InputError(f"--answers: {shown(key, 40)} is not asked; the keys asked are {', '.join(keys)}")
        x = real_number(number)
        if not math.isfinite(x):
            raise InputError(
                f"--answers: {key}={shown(number, 40)!r} is not a finite number; give one like {key}=2 or {key}=-0.5"
            )
        if key in answers:
            raise InputError(f"--answers: {key} is answered twice; answer each once")
        answers[key] = x
    return answers

