"""The one error the command line reports as bad input (exit status 2)."""


class InputError(Exception):
    """Bad usage or bad input: printed as a message without a traceback, exit status 2."""
