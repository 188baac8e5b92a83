"""Handshakes for process tests: wait for what a process says or leaves, never a fixed sleep.

The `seconds` of each is a hang guard, generous on purpose: the handshake itself
comes as soon as the process is there, so a loaded machine only makes it later.
"""

import os
import queue
import signal
import threading
import time


def line_starting(stream, start, seconds=300):
    """The first line read from `stream` (a process's text pipe) that starts with `start`.

    Lines are read by a thread of their own, so that lines that came together are
    each seen (a select() on the pipe would miss those already buffered). Fails,
    quoting what was read, when the stream ends or `seconds` pass first.
    """
    lines = queue.Queue()

    def read():
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + seconds
    seen = []
    while True:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.001))
        except queue.Empty:
            raise AssertionError(f"no line starting {start!r} within {seconds} s; read so far: {seen!r}") from None
        if line is None:
            raise AssertionError(f"the output ended with no line starting {start!r}; it was {seen!r}")
        if line.startswith(start):
            return line
        seen.append(line)


def file_written(path, seconds=300, fields=None, process=None):
    """The text of `path` once it exists and is whole (`fields` words, when given), polled for.

    Fails when `seconds` pass first, or when `process` (a Popen) ends before writing it.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path) as file:
                text = file.read()
            if text.endswith("\n") and (fields is None or len(text.split()) == fields):
                return text
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{path} was not written: the process ended with status {process.returncode}")
        time.sleep(0.01)  # a poll interval, not a wait that hopes
    raise AssertionError(f"{path} was not written within {seconds} s")


def popen_waiting_for(program, pids, seconds=300):
    """A subprocess.Popen that, when it starts `program`, returns only once `pids` is written.

    For a stand-in program that writes its pid (and its child's) and then hangs:
    the caller's time limit counts from after Popen returns, so with this in
    place of subprocess.Popen the handshake comes before the limit starts,
    however slowly the stand-in starts on a loaded machine.
    """
    import subprocess

    class Popen(subprocess.Popen):
        def __init__(self, args, *rest, **options):
            super().__init__(args, *rest, **options)
            if args and os.fspath(args[0]) == os.fspath(program):
                file_written(pids, seconds, fields=2, process=self)

    return Popen


def ctrl_c_as_in_a_terminal():
    """A preexec_fn: the child takes SIGINT as a terminal's Ctrl-C (Python's KeyboardInterrupt).

    A shell without job control starts a background command (`make test &`, nohup, some CI
    runners) with SIGINT ignored, and a child inherits that, as a user's `pathgrad train &`
    rightly does; a test of Ctrl-C must not depend on how its own suite was started.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
