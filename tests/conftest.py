"""Shared fixtures: the lecture notes' worked examples, built fresh for each test; and, under
PATHGRAD_REQUIRE_ALL=1 (which `make test` sets), no required test may skip."""

import os
import re
import sys

import pytest

from pathgrad import Value
import pathgrad


def pytest_report_header():
    """Which engine this run tests: make test runs the suite on both."""
    if pathgrad.ENGINE == "compiled":
        return "pathgrad engine: the compiled core (engine/_core.c)"
    return "pathgrad engine: pure Python (PATHGRAD_PURE=1, or the core is not built)"


# Under PATHGRAD_REQUIRE_ALL=1 a skip fails, unless its reason is one of these, and its condition
# holds: what this machine or this pass cannot run, on purpose. Anything else that skips (PyTorch,
# pypdf, poppler, selenium, JupyterLab, anywidget, micrograd, the compiled core on the
# compiled pass...) is a part `make test` installs and must run, so its skip is a failure.
def _truthy(name):
    return os.environ.get(name, "").lower() in ("1", "true", "yes")


ALLOWED_SKIPS = [
    # The compiled core's own tests, on the pure pass (PATHGRAD_PURE=1); on the compiled pass they must run.
    (r"the compiled core is not in use", lambda: _truthy("PATHGRAD_PURE")),
    # Work done once, on the compiled pass: the browser's Run All of every notebook.
    (r"runs once, on the compiled pass", lambda: _truthy("PATHGRAD_PURE")),
    # `make test NO_BROWSER=1`: the user asked for no browser tests.
    (r"NO_BROWSER is set", lambda: bool(os.environ.get("NO_BROWSER"))),
    # What only root may do (device nodes, a tmpfs); each such test has a simulated twin that runs.
    (r"needs root|mount(ing)? a tmpfs", lambda: True),
    # A dependency that needs a newer Python than this one.
    (r"needs Python 3\.11", lambda: sys.version_info < (3, 11)),
]


def allowed_skip(reason):
    """Whether a skip with this reason is allowed under PATHGRAD_REQUIRE_ALL=1."""
    return any(re.search(pattern, reason) and holds() for pattern, holds in ALLOWED_SKIPS)


def _skip_reason(report):
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _refuse_skip(report):
    """Turn a skip that is not allowed into a failure that says what to install or run."""
    if _truthy("PATHGRAD_REQUIRE_ALL") and report.skipped and not hasattr(report, "wasxfail"):
        reason = _skip_reason(report)
        if not allowed_skip(reason):
            report.outcome = "failed"
            report.longrepr = (f"skipped, and PATHGRAD_REQUIRE_ALL=1 (make test) requires it to run: {reason}\n"
                               f"(install what it names; `make test` installs every test dependency)")
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    return _refuse_skip((yield))


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    return _refuse_skip((yield))  # a module-level skip (importorskip) happens at collection


def pytest_sessionstart(session):
    """Under PATHGRAD_REQUIRE_ALL=1, the compiled pass (no PATHGRAD_PURE) must run the compiled core."""
    if _truthy("PATHGRAD_REQUIRE_ALL") and not _truthy("PATHGRAD_PURE") and pathgrad.ENGINE != "compiled":
        pytest.exit("PATHGRAD_REQUIRE_ALL=1 and no PATHGRAD_PURE: this pass is the compiled core's, but "
                    f"pathgrad.ENGINE is {pathgrad.ENGINE!r}; build it (make core) or set PATHGRAD_PURE=1", 1)


@pytest.fixture
def colah():
    """colah's e = (a+b)(b+1) at a=2, b=1, labelled as in lecture 001."""
    a, b = Value(2.0, "a"), Value(1.0, "b")
    c = a + b
    c.label = "c"
    d = b + 1
    d.label = "d"
    e = c * d
    e.label = "e"
    return dict(a=a, b=b, c=c, d=d, e=e)


@pytest.fixture
def tanh_neuron():
    """micrograd's hand-checked neuron: o = tanh(x1 w1 + x2 w2 + b) = 0.7071."""
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, n=n, o=o)
