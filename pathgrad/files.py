"""Files written whole or not at all: model files, drawings, stepper pages.

Shared by pathgrad.nn and pathgrad.viz; it imports nothing of pathgrad.
"""

import contextlib
import os
import tempfile

# mkstemp makes files readable by their owner only; a saved file should get
# the permissions any new file gets. The umask can only be read by setting it.
_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomically(path, data):
    """Write bytes to `path` so that readers see the old file or the new one, never half of one.

    The bytes go to a temporary file in the same folder, are flushed to disk,
    and only then does os.replace (atomic on POSIX and Windows) put them in
    place. An interruption at any point leaves the old file as it was.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "note.txt")
    >>> write_atomically(path, b"whole")
    >>> open(path, "rb").read()
    b'whole'
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".pathgrad-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
