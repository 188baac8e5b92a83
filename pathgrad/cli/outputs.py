"""Output files written all together, and only when everything succeeded.

Each file is first written into a private temporary folder; only when the
whole command has worked are they moved to where the user asked. A command
that fails half-way leaves no partial or stale-looking output behind.
"""

import contextlib
import os
import shutil
import tempfile

from .errors import InputError


class Staging:
    """Where to write each output now, and where it goes once everything worked."""

    def __init__(self, folder):
        self._folder = folder
        self._targets = {}  # temporary path -> the user's path

    def path(self, target, suffix=None):
        """A temporary path to write `target` to; `suffix` overrides its extension.

        The temporary name keeps the extension, since writers such as viz.save
        choose the format from it.
        """
        target = os.path.abspath(target)
        folder = os.path.dirname(target)
        if not os.path.isdir(folder):
            raise InputError(f"cannot write {target}: the folder {folder} does not exist")
        if os.path.isdir(target):
            raise InputError(f"cannot write {target}: it is a folder; name a file inside it")
        if target in self._targets.values():
            raise InputError(f"{target} is named as two different outputs; give each its own file")
        name = os.path.basename(target)
        if suffix is not None:
            name = os.path.splitext(name)[0] + suffix
        temporary = os.path.join(self._folder, f"{len(self._targets)}-{name}")
        self._targets[temporary] = target
        return temporary

    def commit(self):
        """Move every written file into place; returns the user's paths."""
        for temporary, target in self._targets.items():
            shutil.move(temporary, target)
        return list(self._targets.values())


@contextlib.contextmanager
def staged_outputs():
    """A Staging whose files are discarded unless `commit()` is called.

    >>> with staged_outputs() as staging:
    ...     temporary = staging.path("never.txt")
    ...     open(temporary, "w").close()
    >>> os.path.exists("never.txt")
    False
    """
    with tempfile.TemporaryDirectory(prefix="pathgrad-") as folder:
        yield Staging(folder)
