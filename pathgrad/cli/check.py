"""`pathgrad check`: backward's gradients against finite differences."""


from pathgrad.engine import Value, gradcheck

from .errors import InputError
from .expression import evaluate, parse_bindings, parse_program
from .parser import CommandParser

EPS = 1e-6  # each input x is nudged by EPS * max(1, |x|) either side

EPILOG = f"""\
Each input x is nudged by h = {EPS:g} * max(1, |x|) either side, and backward's
d out/dx is compared with (out(x + h) - out(x - h)) / (2 h) by relative error
|backward - numeric| / (|backward| + |numeric|), which must be at most 1e-6.

examples:
  pathgrad check "c = a + b; d = b + 1; e = c * d" a=2 b=1     (exit 0: they agree)
  pathgrad check "relu(x)" x=0     (exit 1: at the kink, backward's 0 is not the numeric 0.5)

exit status: 0 every gradient agrees, 1 one disagrees, 2 bad usage or input.
"""


def parser():
    """The argument parser of `pathgrad check`.

    >>> parser().parse_args(["x * y", "x=3", "y=2"]).bindings
    ['x=3', 'y=2']
    """
    command = CommandParser(
        prog="pathgrad check",
        description="Check backward's gradient with respect to each input against finite differences.",
        epilog=EPILOG,
    )
    command.add_argument("expression", metavar="EXPR", help="the expression, as for pathgrad graph")
    command.add_argument(
        "bindings", metavar="NAME=VALUE", nargs="*", help="the inputs to check, e.g. a=2 b=1"
    )
    return command


def run(args):
    """Print gradcheck's table; 0 when every input agrees, 1 when one disagrees.

    >>> run(parser().parse_args(["relu(x)", "x=0"]))  # at the kink: backward's 0, the numeric 0.5
    input             value       backward        numeric  rel. error  ok
    x                     0              0            0.5    1.00e+00  NO
    some gradients DISAGREE (tolerance 1e-06)
    1
    """
    bindings = parse_bindings(args.bindings)
    if not bindings:
        raise InputError("check needs at least one input to vary; add NAME=VALUE, e.g. x=0.5")
    program = parse_program(args.expression, bindings)
    names = list(bindings)
    given = " ".join(args.bindings)
    evaluate(program, {name: Value(x, name) for name, x in bindings.items()})  # refused here: the user's values

    def output(*leaves):
        return evaluate(program, dict(zip(names, leaves))).output

    try:
        result = gradcheck(output, list(bindings.values()), eps=EPS, names=names)
    except InputError as error:
        raise InputError(
            f"cannot check at {given}: finite differences move each input x by "
            f"+-{EPS:g} * max(1, |x|), and there {error}; check at values farther inside the domain"
        ) from None
    print(result)
    return 0 if result.ok else 1
