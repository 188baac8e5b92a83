"""Shared fixtures: the lecture notes' worked examples, built fresh for each test."""

import pytest

from pathgrad import Value
import pathgrad


def pytest_report_header():
    """Which engine this run tests: make test runs the suite on both."""
    if pathgrad.ENGINE == "compiled":
        return "pathgrad engine: the compiled core (engine/_core.c)"
    return "pathgrad engine: pure Python (PATHGRAD_PURE=1, or the core is not built)"


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
