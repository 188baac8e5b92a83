"""argparse, with usage errors on one line and examples kept as written."""

import argparse


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr, exit status 2.

    >>> command = CommandParser(prog="count"); _ = command.add_argument("n", type=int)
    >>> command.parse_args(["3"]).n
    3
    """

    def __init__(self, **kwargs):
        super().__init__(formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)

    def error(self, message):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")
