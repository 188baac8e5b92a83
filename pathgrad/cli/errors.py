"""What the command line reports as bad input (exit status 2), and how it shows what the user typed."""

import contextlib

from pathgrad.engine.validation import Refused


class InputError(Refused):
    """Bad usage or bad input: printed as a message without a traceback, exit status 2."""


def shown(text):
    """`text` as it may be echoed to a terminal: control characters escaped, the rest as typed.

    >>> print(shown("a\\x1b[31mb\\tc"))
    a\\x1b[31mb\\tc
    """
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
