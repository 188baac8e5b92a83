"""`pathgrad graph`: an expression's graph, its gradients, and optionally its drawing."""

import os
import sys

from pathgrad.engine import Value, explain, topological_order
from pathgrad.engine.validation import Refused
from pathgrad.files import STDOUT, staged_outputs
from pathgrad.viz import FORMATS as DRAWING_FORMATS
from pathgrad.viz import GraphvizTimeout, Wording, save, step_through

from .errors import InputError, building
from .expression import FUNCTION_NAMES, MAX_LENGTH, evaluate, parse_bindings, parse_program
from .parser import CommandParser, seconds, whole_number
from .report import gradient_table, paths_text

FORMATS = tuple(extension.lstrip(".") for extension in DRAWING_FORMATS)
MAX_DRAWN = 2000  # values a drawing or a stepper shows; the gradient table has no limit

# The flag that sets each drawing option, with what it takes, for refusals that name the option.
FLAGS = {
    "around": "--around NAME --depth K",
    "collapse": "--collapse NAME",
    "depth": "--depth K",
    "max_frames": "--max-frames N",
    "rankdir": "--rankdir LR",
    "show_local_grads": "--local-grads",
    "timeout": "--timeout SECONDS",
}

EPILOG = f"""\
examples:
  pathgrad graph "c = a + b; d = b + 1; e = c * d" a=2 b=1 -o e.svg
  pathgrad graph "c = a + b; d = b + 1; e = c * d" a=2 b=1 --paths b --explain b
  pathgrad graph "n = x1*w1 + x2*w2 + b; o = tanh(n)" x1=2 x2=0 w1=-3 w2=1 b=6.8813735870195432 \\
      --local-grads -o neuron.png --steps neuron-steps.html

the expression language:
  Statements are separated by ; or newlines, and the last one is the output.
  name = expr names a value (the name labels it in the drawing).
  Numbers, names, + - * / **, unary minus, parentheses, and calls with
  positional arguments to:
    {", ".join(FUNCTION_NAMES)}.
  leaky_relu takes an optional number slope: leaky_relu(x, 0.1).
  Anything else is refused, and nothing is ever run as Python.
  At most {MAX_LENGTH} characters. Start an expression that begins with - with
  a space, or put it after -- (options first):
    pathgrad graph " -x * 2" x=3        pathgrad graph --paths x -- "-x * 2" x=3
"""


def parser():
    """The argument parser of `pathgrad graph`.

    >>> parser().parse_args(["y = x * 2", "x=1", "-o", "y.svg"]).output
    'y.svg'
    """
    command = CommandParser(
        prog="pathgrad graph",
        description=(
            "Build an expression's graph, run backward, and print the value and gradient\n"
            "of every named value; optionally draw it, step through it, list its paths,\n"
            "or write out the chain rule."
        ),
        epilog=EPILOG,
    )
    command.add_argument("expression", metavar="EXPR", help='e.g. "c = a + b; d = b + 1; e = c * d"')
    command.add_argument("bindings", metavar="NAME=VALUE", nargs="*", help="the inputs, e.g. a=2 b=1")
    command.add_argument("-o", "--output", metavar="FILE", help="write the drawing to FILE (- for standard output)")
    command.add_argument(
        "--format", choices=FORMATS, help="the drawing's format (default: from FILE's extension)"
    )
    command.add_argument(
        "--rankdir", choices=("LR", "TB"), help="lay the drawing out left to right (default) or top to bottom"
    )
    command.add_argument(
        "--local-grads", action="store_true", help="label each edge with its local derivative"
    )
    command.add_argument(
        "--timeout", metavar="SECONDS", type=seconds, default=30.0,
        help="stop Graphviz drawing -o FILE after SECONDS, writing nothing (default 30)",
    )
    command.add_argument(
        "--steps", metavar="FILE.html", help="write a page that steps through backward, one node at a time"
    )
    command.add_argument(
        "--collapse", metavar="NAME", action="append", default=[],
        help="draw the values made in scope NAME as one box (repeatable)",
    )
    command.add_argument(
        "--around", metavar="NAME", help="draw only the values near the one named NAME (see --depth)"
    )
    command.add_argument(
        "--depth", metavar="K", type=whole_number("a depth", 0, 10**6), default=1, help="with --around: how many edges away to draw (default 1)"
    )
    command.add_argument(
        "--max-frames", metavar="N", type=whole_number("a number of frames", 1, 10**6), default=500,
        help="refuse a --steps page of more than N frames (default 500)",
    )
    command.add_argument(
        "--paths", metavar="NAME", help="list every path from NAME to the output with its product"
    )
    command.add_argument(
        "--explain", metavar="NAME", help="write out the chain rule for the output's gradient w.r.t. NAME"
    )
    return command


def run(args):
    """Run `pathgrad graph` with parsed arguments; returns the exit status.

    >>> run(parser().parse_args(["y = x * 2", "x=1", "--explain", "x"]))  # doctest: +ELLIPSIS
    name        value         grad
    x               1            2
    y               2            1
    grad = dy/d(name)
    <BLANKLINE>
    ...
    0
    """
    if args.format and args.output is None:
        raise InputError("--format is the format of the drawing; add -o FILE to write one")
    for name in args.collapse:
        if not name.strip():
            raise InputError("--collapse needs a scope name, e.g. --collapse layers.0; got an empty one")
    drawn = [(args.rankdir, "--rankdir"), (args.local_grads, "--local-grads"), (args.collapse, "--collapse"),
             (args.around, "--around")]
    for given, option in drawn:
        if given and args.output is None and args.steps is None:
            raise InputError(f"{option} sets how the graph is drawn; add -o FILE or --steps FILE.html")
    return show(
        args.expression,
        args.bindings,
        drawing=args.output,
        drawing_format=args.format,
        rankdir=args.rankdir or "LR",
        local_grads=args.local_grads,
        steps=args.steps,
        paths_from=args.paths,
        explain_for=args.explain,
        collapse=args.collapse,
        around=args.around,
        depth=args.depth,
        max_frames=args.max_frames,
        timeout=args.timeout,
    )


def show(expression, binding_arguments, *, drawing=None, drawing_format=None, rankdir="LR",
         local_grads=False, steps=None, paths_from=None, explain_for=None, collapse=(),
         around=None, depth=1, max_frames=500, timeout=30.0):
    """Evaluate, run backward, write the requested files, then print what was asked.

    Files are written only when everything, rendering included, has worked;
    Graphviz drawing `drawing` stops after `timeout` seconds.

    >>> show("y = x * x", ["x=3"])
    name        value         grad
    x               3            6
    y               9            1
    grad = dy/d(name)
    0
    """
    # A device or a FIFO (--steps /dev/stdout) has the name it has.
    if steps not in (None, STDOUT) and not steps.lower().endswith(".html") and not _is_device(steps):
        raise InputError(f"--steps {steps}: the page's name must end in .html, e.g. steps.html")
    bindings = parse_bindings(binding_arguments)
    program = parse_program(expression, bindings)
    leaves = {name: Value(x, name) for name, x in bindings.items()}
    with building("the expression's graph"):
        output, named = evaluate(program, leaves)
        output.backward()
    count = len(topological_order(output))
    if (drawing is not None or steps is not None) and count > MAX_DRAWN:
        raise InputError(
            f"the graph has {count} values, more than the {MAX_DRAWN} "
            "that -o and --steps draw; leave out -o and --steps (the gradients need no drawing), "
            "or name fewer steps"
        )
    sections = [gradient_table(output, named)]
    if paths_from is not None:
        sections.append(paths_text(output, _named_value("--paths", paths_from, named)))
    if explain_for is not None:
        sections.append(str(explain(output, _named_value("--explain", explain_for, named))))
    view = dict(rankdir=rankdir, show_local_grads=local_grads, collapse=collapse, depth=depth,
                around=None if around is None else _named_value("--around", around, named))
    try:
        with staged_outputs(allow_stdout=True) as staging:
            if drawing is not None:
                suffix = "." + (drawing_format or format_from_extension(drawing))
                with building("the drawing"):
                    save(output, staging.path(drawing, suffix), max_nodes=MAX_DRAWN, timeout=timeout, **view)
            if steps is not None:
                with building("the step-through page"):
                    stepper = step_through(output, max_frames=max_frames, max_nodes=MAX_DRAWN, **view)
                    stepper.save_html(staging.path(steps, ".html"))
            written = [path for path in staging.commit() if path != STDOUT]
    except Refused as error:  # a drawing's refusal, in this command's flags
        raise InputError(in_flags(error), option=error.option) from None
    except GraphvizTimeout as error:
        raise GraphvizTimeout(in_flags(error)) from None
    if written:
        sections.append("\n".join(f"wrote {os.path.relpath(path)}" for path in written))
    # A drawing on standard output keeps it for the drawing alone.
    print("\n\n".join(sections), file=sys.stderr if STDOUT in (drawing, steps) else sys.stdout)
    return 0


def _named_value(option, name, named):
    if name not in named:
        raise InputError(
            f"{option} {name}: no value is named {name!r}; the named values are "
            f"{', '.join(named) or '(none: bind inputs with NAME=VALUE or name values with name = ...)'}"
        )
    return named[name]


def _is_device(path):
    return os.path.exists(path) and not os.path.isfile(path) and not os.path.isdir(path)


def format_from_extension(path):
    """The drawing format named by the extension of the output path `path`; refused if it names none.

    >>> format_from_extension("graph.SVG"), format_from_extension("slides/graph.png")
    ('svg', 'png')
    """
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    if extension not in FORMATS:
        raise InputError(
            f"-o {path}: cannot tell the format from the extension {extension or '(none)'!r}; "
            f"end the name in {', '.join('.' + f for f in FORMATS)}, or give --format"
        )
    return extension


def flag(option, value=None, alone=False):
    """How this command's user sets a drawing option: its flag alone, with a value, or as advice.

    None where no flag sets it.

    >>> flag("max_frames", 500), flag("around"), flag("collapse", alone=True), flag("max_nodes")
    ('--max-frames 500', '--around NAME --depth K', '--collapse', None)
    """
    if option not in FLAGS:
        return None
    name = FLAGS[option].split()[0]
    if alone:
        return name
    return FLAGS[option] if value is None else f"{name} {value}"


def in_flags(error):
    """A drawing's refusal (or time-out), the options it names said as this command's flags.

    >>> from pathgrad import Value
    >>> try:
    ...     step_through(Value(1.0, "x") * 2 * 2, max_frames=3)
    ... except ValueError as error:
    ...     print(error.option, in_flags(error).split(";")[0])
    max_frames step_through: this graph makes 4 frames, more than --max-frames 3
    """
    message = error.args[0] if error.args else ""
    return message.said_with(flag) if isinstance(message, Wording) else str(error)
