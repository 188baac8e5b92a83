"""argparse, with usage errors on one line and examples kept as written."""

import argparse
import math
import re

from .errors import shown


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr, exit status 2.

    >>> command = CommandParser(prog="count"); _ = command.add_argument("n", type=int)
    >>> command.parse_args(["3"]).n
    3
    """

    def __init__(self, **kwargs):
        super().__init__(formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)

    def error(self, message):
        self.exit(2, f"{self.prog}: {shown(message)} (see {self.prog} --help)\n")


def whole_number(what, low, high):
    """An argparse type: a whole number from low to high, written in ASCII digits, else one clear line.

    >>> seed = whole_number("a seed", 0, 99)
    >>> seed("42")
    42
    >>> seed("²")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '²' is not a seed; give a whole number from 0 to 99
    """

    def read(text):
        if not re.fullmatch(r"-?[0-9]{1,30}", text) or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(f"{shown(text, 40)!r} is not {what}; "
                                              f"give a whole number from {low} to {high}")
        return int(text)

    read.__name__ = what  # argparse names a type by it when the type fails in another way
    return read


def real_number(text):
    """The number written in `text` in ASCII (2, -0.5, 1e-3), else nan; float() alone also reads ٣ and 1_0.

    >>> real_number("-0.5"), real_number("٣"), real_number("x")
    (-0.5, nan, nan)
    """
    try:
        return float(text) if re.fullmatch(r"[0-9a-zA-Z.+\-\s]*", text) else math.nan
    except ValueError:
        return math.nan


def seconds(text):
    """An argparse type: a time limit in seconds, a number from 0.001 to a day, else one clear line.

    >>> seconds("2.5")
    2.5
    >>> seconds("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '0' is not a time limit; give a number of seconds from 0.001 to 86400
    """
    value = real_number(text)
    if not 0.001 <= value <= 86400:  # nan included
        raise argparse.ArgumentTypeError(f"{shown(text, 40)!r} is not a time limit; "
                                          "give a number of seconds from 0.001 to 86400")
    return value
