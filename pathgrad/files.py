"""Files written whole or not at all: model files, drawings, stepper pages, and a command's outputs together.

Each output is first written to a temporary file in its target's own
folder, flushed to disk, and then renamed over the target (os.replace is
atomic within one filesystem), so a reader sees the old file or the new one,
never half of one, and a full disk leaves the old file as it was. Nothing is
ever copied over a target.

- Several outputs are all-or-nothing: none is put in place unless all were written.
- A target that exists and is not a regular file (a device such as
  /dev/null, a FIFO) is written to directly, never replaced; "-" means
  standard output where a caller allows it.
- A symlink is written through (the link stays a link); a read-only
  target is refused; an existing file keeps its permissions.
- Temporary files are removed on any failure and on SIGINT or SIGTERM. A
  SIGKILL can leave one behind; the next save to that folder removes it (its
  name holds the process id, so a live writer's file is left alone). Only a
  file with a temporary file's exact name, kind and permissions goes: a
  file of yours merely named like one stays.
- A path is a str, bytes or os.PathLike, as open() takes. Errors name the
  user's path, never a temporary one; a link to a missing folder names
  that folder.

It imports nothing of pathgrad.

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> with staged_outputs() as staging:
...     for name in ("a.txt", "b.txt"):
...         with open(staging.path(os.path.join(folder, name)), "w") as file:
...             _ = file.write(name)
...     written = staging.commit()
>>> sorted(os.listdir(folder))
['a.txt', 'b.txt']
"""

import contextlib
import errno
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading

STDOUT = "-"
_PREFIX = ".pathgrad-"
# What mkstemp names a staged file: the prefix, the pid, 8 random characters, .tmp and an extension.
_STAGED = re.compile(re.escape(_PREFIX) + r"(\d+)-[a-z0-9_]{8}\.tmp(\.[^.]{0,31})?")

# mkstemp makes files readable by their owner only; a new file should get
# the permissions any new file gets. The umask can only be read by setting it.
_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomically(path, data):
    """Write bytes to `path` so that readers see the old file or the new one, never half of one.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "note.txt")
    >>> write_atomically(path, b"whole")
    >>> open(path, "rb").read()
    b'whole'
    """
    with staged_outputs() as staging:
        with open(staging.path(path), "wb") as file:
            file.write(data)
        staging.commit()


@contextlib.contextmanager
def staged_outputs(allow_stdout=False):
    """A Staging whose files are put in place by `commit()`, and removed whatever happens.

    SIGTERM is turned into SystemExit while it is open (in the main thread, and
    only where no other handler was set), so that the temporary files go too.

    >>> with staged_outputs() as staging:
    ...     temporary = staging.path("never.txt")
    >>> os.path.exists(temporary), os.path.exists("never.txt")
    (False, False)
    """
    staging = Staging(allow_stdout)
    try:
        with _sigterm_as_exit():
            yield staging
    except OSError as error:
        staging._name_the_target(error)
        raise
    finally:
        staging._discard()


class Staging:
    """Where to write each output now, and where it goes once everything worked."""

    def __init__(self, allow_stdout=False):
        self._allow_stdout = allow_stdout
        self._targets = {}  # temporary path -> (the user's path, where it really goes)
        self._private = None  # a folder for outputs that are written, not renamed
        self._current = None  # the target being put in place, for errors that name no file

    def path(self, target, suffix=None):
        """A temporary path to write `target` to, keeping its extension or taking `suffix`.

        Writers such as viz.save choose the format from the extension. Refuses,
        before any work is done, a missing folder, a folder as target, a
        read-only target and a target named twice.
        """
        try:
            target = os.fsdecode(target)  # as open() takes it: str, bytes or a pathlib.Path
        except TypeError:
            raise TypeError(
                f"a file name is a str, bytes or os.PathLike; got {type(target).__name__} {target!r:.60}"
            ) from None
        if suffix is None:
            suffix = os.path.splitext(target)[1]
        suffix = suffix[:32]  # the temporary name stays short whatever the user's name
        if target == STDOUT and self._allow_stdout:
            destination = STDOUT
        else:
            destination = _destination(target)
        if any(destination == known for _, known in self._targets.values()):
            raise OSError(errno.EINVAL, "is named as two different outputs; give each its own file", target)
        if destination == STDOUT or _is_special(destination):
            if self._private is None:
                self._private = tempfile.mkdtemp(prefix="pathgrad-")
            folder = self._private
        else:
            folder = os.path.dirname(destination)
            _remove_stale(folder)
        try:
            handle, temporary = tempfile.mkstemp(
                dir=folder, prefix=f"{_PREFIX}{os.getpid()}-", suffix=".tmp" + suffix
            )
        except OSError as error:
            raise OSError(error.errno, error.strerror, target) from None
        os.close(handle)
        self._targets[temporary] = (target, destination)
        return temporary

    def commit(self):
        """Put every written file in place; returns the user's paths.

        Devices, FIFOs and standard output are written first, since only they
        can still fail; then each staged file is flushed to disk and renamed.
        """
        staged = list(self._targets.items())
        for temporary, (target, destination) in staged:
            if destination == STDOUT or _is_special(destination):
                self._current = target
                _copy_into(temporary, destination)
        for temporary, (target, destination) in staged:
            if not (destination == STDOUT or _is_special(destination)):
                self._current = target
                _put_in_place(temporary, destination)
        self._targets.clear()
        return [target for _, (target, _) in staged]

    def _discard(self):
        """Remove every temporary file not yet put in place."""
        for temporary in self._targets:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        self._targets.clear()
        if self._private is not None:
            shutil.rmtree(self._private, ignore_errors=True)
            self._private = None

    def _name_the_target(self, error):
        """Make an OSError about a temporary file (or about no file) name the user's path."""
        by_temporary = {temporary: target for temporary, (target, _) in self._targets.items()}
        if error.filename in by_temporary:
            error.filename = by_temporary[error.filename]
        elif error.filename is None:
            error.filename = self._current or next(reversed(by_temporary.values()), None)


def _destination(target):
    """Where `target` really is (symlinks followed), after the checks that need no work done."""
    destination = os.path.realpath(target)
    folder = os.path.dirname(destination)
    if not os.path.isdir(folder):
        if os.path.islink(target):  # a dangling link: the folder missing is the one it points into
            raise OSError(errno.ENOENT, f"the folder {folder} does not exist (this link points into it)", target)
        missing = os.path.dirname(os.path.abspath(target))
        raise OSError(errno.ENOENT, f"the folder {missing} does not exist", target)
    if os.path.isdir(destination):
        raise OSError(errno.EISDIR, "is a folder; name a file inside it", target)
    if os.path.isfile(destination) and not _writable(destination):
        raise OSError(errno.EACCES, "is read-only; make it writable (chmod u+w) or write another file", target)
    return destination


def _writable(path):
    # Root may write anything, so os.access alone would let a 0444 file be replaced.
    return os.access(path, os.W_OK) and bool(os.stat(path).st_mode & 0o222)


def _is_special(path):
    """An existing file that is not a regular file: a device, a FIFO, a socket."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    return not stat.S_ISREG(mode)


def _copy_into(temporary, destination):
    """Write the staged bytes straight into a device, a FIFO or standard output."""
    with open(temporary, "rb") as source:
        if destination == STDOUT:
            sys.stdout.flush()
            shutil.copyfileobj(source, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return
        with open(destination, "wb") as sink:
            shutil.copyfileobj(source, sink)


def _put_in_place(temporary, destination):
    """fsync, give the permissions (the old file's, or a new file's), then rename over."""
    try:
        mode = stat.S_IMODE(os.stat(destination).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_UMASK
    handle = os.open(temporary, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
    os.chmod(temporary, mode)
    os.replace(temporary, destination)


def _remove_stale(folder):
    """Remove temporary files that a process killed mid-save left in `folder`.

    A left file has mkstemp's name, is a regular file of ours that only we may
    read and write (0600, as mkstemp makes it), and its process is gone.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _STAGED.fullmatch(name)
        if match and not _alive(int(match.group(1))):
            path = os.path.join(folder, name)
            with contextlib.suppress(OSError):
                if _made_by_mkstemp(os.lstat(path)):
                    os.unlink(path)


def _made_by_mkstemp(status):
    """A regular file that only its owner, this user, may read and write, as mkstemp makes it."""
    if not stat.S_ISREG(status.st_mode):
        return False
    if os.name != "posix":  # no owner-only permission bits to tell by
        return True
    return stat.S_IMODE(status.st_mode) == 0o600 and status.st_uid == os.geteuid()


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


@contextlib.contextmanager
def _sigterm_as_exit():
    """While open, SIGTERM raises SystemExit(143) so that `finally` blocks run."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
