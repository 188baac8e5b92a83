"""`pathgrad COMMAND ...`: choose the command, run it, and turn every failure into a message.

Exit status: 0 ok, 1 a check failed or a drawing ran out of time, 2 bad
usage or bad input. Whatever goes wrong, the user sees a message on stderr
and never a traceback.
"""

import argparse
import codecs
import os
import platform
import sys

import pathgrad  # for pathgrad.__version__, the package's public version
from pathgrad.engine import ENGINE, ascii_text
from pathgrad.engine.validation import Refused
from pathgrad.nn import Diverged
from pathgrad.viz import GraphvizNotFound, GraphvizTimeout

from . import check, demo, graph, quiz, train
from .errors import shown
from .parser import CommandParser

COMMANDS = {
    "graph": (graph, "an expression's graph, gradients, drawing, paths and chain rule"),
    "check": (check, "backward's gradients against finite differences (exit 1 if one disagrees)"),
    "train": (train, "an MLP on a toy data set (moons, circles, blobs, spiral, xor), with accuracy and plots"),
    "quiz": (quiz, "a worksheet to backpropagate by hand, and what went wrong in your answers"),
    "demo": (demo, "colah's worked example e = (a + b)(b + 1), with out/e.svg and out/e-steps.html"),
}

EPILOG = "commands:\n" + "\n".join(f"  {name:<7} {summary}" for name, (_, summary) in COMMANDS.items())
EPILOG += """

examples:
  pathgrad demo
  pathgrad graph "c = a + b; d = b + 1; e = c * d" a=2 b=1 -o e.svg
  pathgrad check "tanh(x) * y" x=0.5 y=2
  pathgrad train --dataset moons --plot boundary.svg
  pathgrad quiz --seed 3 --level 2 --answers "a=-8,b=4"

`pathgrad COMMAND --help` shows each command's options and examples.
"""


def version_text():
    """What `pathgrad --version` prints: the version, the engine that runs, and the Python.

    >>> version_text().startswith("pathgrad 0.1.0 (")
    True
    """
    return f"pathgrad {pathgrad.__version__} ({ENGINE} engine) on Python {platform.python_version()}"


def _top_parser():
    top = CommandParser(
        prog="pathgrad",
        description="pathgrad: see backpropagation at work on any expression, from a shell.",
        epilog=EPILOG,
    )
    top.add_argument("--version", action="version", version=version_text())
    top.add_argument("command", choices=COMMANDS, metavar="COMMAND", help=", ".join(COMMANDS))
    top.add_argument("arguments", nargs=argparse.REMAINDER, help="the command's own arguments")
    return top


def main(argv=None):
    """Run the `pathgrad` command line with argv (default sys.argv[1:]); return the exit status.

    >>> main(["graph", "y = x * x", "x=3"])
    name        value         grad
    x               3            6
    y               9            1
    grad = dy/d(name)
    0
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    for stream in (sys.stdout, sys.stderr):
        _write_ascii_where_needed(stream)
    if argv and argv[0] in COMMANDS:
        name, rest = argv[0], argv[1:]
    else:  # --help, a usage error, or options before the command
        top = _top_parser()
        if not argv:
            top.error(f"choose a command: {', '.join(COMMANDS)}")
        chosen = top.parse_args(argv)
        name, rest = chosen.command, chosen.arguments
    module, _ = COMMANDS[name]
    command = module.parser()
    # Intermixed, so options may come before, between or after NAME=VALUE inputs.
    args = command.parse_intermixed_args(_after_double_dash(rest))
    status = 0
    try:
        status = module.run(args)
        sys.stdout.flush()  # so that a closed pipe shows up here, not at exit
        return status
    except BrokenPipeError:  # the reader stopped early (say `| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return status
    except KeyboardInterrupt:
        _fail(command.prog, "interrupted")
        return 130
    except Diverged as error:  # the run itself went wrong, not its arguments
        _fail(command.prog, str(error))
        return 1
    except GraphvizTimeout as error:  # the input is fine, only too big to draw in the time given
        _fail(command.prog, str(error))
        return 1
    except GraphvizNotFound as error:  # one line: what is missing and the command that installs it
        _fail(command.prog, str(error))
    # Only pathgrad's own refusals are bad input; any other error is a bug in pathgrad.
    except Refused as error:
        _fail(command.prog, str(error))
    except MemoryError:
        _fail(command.prog, f"out of memory running {command.prog}; ask for something smaller")
    except OSError as error:
        reason = error.strerror or str(error)  # shutil.Error, for one, has no strerror
        _fail(command.prog, reason + (f": {os.fspath(error.filename)}" if error.filename else ""))
    except Exception as error:  # a bug in pathgrad: still a message, never a traceback
        _fail(command.prog, f"unexpected {type(error).__name__}: {error} (please report this)")
    return 2


def _ascii_forms(error):
    """A codec error handler: ∂ as "del ", · as *, ... and anything else escaped, as \\u03b1."""
    unwritable = error.object[error.start:error.end]
    return "".join(ascii_text(c) if ascii_text(c).isascii() else c.encode("ascii", "backslashreplace").decode()
                   for c in unwritable), error.end


codecs.register_error("pathgrad-ascii", _ascii_forms)


def _write_ascii_where_needed(stream):
    """On a stream whose encoding has no ∂ (LANG=C, a cp1252 console), write ∂e/∂c as del e/del c.

    Text the encoding can write is untouched; only what it cannot goes through ascii_text.
    """
    try:
        "∂·×→²".encode(stream.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="pathgrad-ascii")


def _after_double_dash(arguments):
    """Arguments after `--` as plain inputs, even those starting with - (as "-x * 2").

    argparse's intermixed parsing loses track of `--`, so those arguments get a
    leading space, which argparse never reads as an option and the expression
    parser strips.

    >>> _after_double_dash(["--paths", "x", "--", "-x * 2", "x=3"])
    ['--paths', 'x', ' -x * 2', 'x=3']
    """
    if "--" not in arguments:
        return arguments
    cut = arguments.index("--")
    return arguments[:cut] + [" " + a if a.startswith("-") else a for a in arguments[cut + 1 :]]


def _fail(prog, message):
    """The message on stderr, with any control character the user typed escaped."""
    lines = (shown(line) for line in message.split("\n"))
    print(f"{prog}: " + "\n".join(lines), file=sys.stderr)
