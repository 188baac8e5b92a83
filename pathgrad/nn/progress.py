"""The progress bar fit() shows: tqdm's when installed (a widget in Jupyter), else plain lines.

It appears only once work has run for DELAY seconds, so quick fits print nothing.
"""

import sys
import time

DELAY = 0.5  # seconds before a bar appears


def progress_bar(total, desc, enabled=True):
    """A bar with update(n), set_postfix(dict) and close(); silent when not enabled.

    >>> bar = progress_bar(3, "fit", enabled=False)
    >>> bar.update(1); bar.set_postfix({"loss": 0.5}); bar.close()
    """
    if not enabled:
        return _Silent()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _Lines(total, desc)
    return tqdm(total=total, desc=desc, delay=DELAY, leave=True)


class _Silent:
    def update(self, n=1):
        pass

    def set_postfix(self, values):
        pass

    def close(self):
        pass


class _Lines:
    """Without tqdm: a line on stderr at most once a second, and one at the end."""

    def __init__(self, total, desc):
        self.total, self.desc, self.done = total, desc, 0
        self.postfix = ""
        self.start = self.last = time.monotonic()

    def update(self, n=1):
        self.done += n
        now = time.monotonic()
        if now - self.start >= DELAY and now - self.last >= 1.0:
            self.last = now
            self._print()

    def set_postfix(self, values):
        self.postfix = ", ".join(f"{k}={v:.4g}" for k, v in values.items())

    def close(self):
        if time.monotonic() - self.start >= DELAY:
            self._print()

    def _print(self):
        print(f"{self.desc}: {self.done}/{self.total} {self.postfix}", file=sys.stderr, flush=True)
