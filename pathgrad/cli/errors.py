"""What the command line reports as bad input (exit status 2), and how it shows what the user typed."""

import contextlib
import re

from pathgrad.engine.validation import Refused


class InputError(Refused):
    """Bad usage or bad input: printed as a message without a traceback, exit status 2."""


def shown(text, most=None):
    """`text` as it may be echoed to a terminal: control characters escaped, the rest as typed,
    cut to `most` characters and "..." if it is longer; a run of over 80 characters with no
    space in it (a pasted number of 4,301 digits) is cut to its first 60.

    >>> print(shown("a\\x1b[31mb\\tc"), shown("x" * 50, most=8), len(shown("9" * 5000)))
    a\\x1b[31mb\\tc xxxxxxxx... 63
    """
    if most is not None and len(text) > most:
        text = text[:most] + "..."
    text = re.sub(r"\S{81,}", lambda run: run.group()[:60] + "...", text)
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


@contextlib.contextmanager
def building(what):
    """Turn a MemoryError while building `what` into InputError saying out of memory.

    >>> with building("a list"):
    ...     raise MemoryError
    Traceback (most recent call last):
    ...
    pathgrad.cli.errors.InputError: out of memory while building a list; ask for something smaller
    """
    try:
        yield
    except MemoryError:
        raise InputError(f"out of memory while building {what}; ask for something smaller") from None
