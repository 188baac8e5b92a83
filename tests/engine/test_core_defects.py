"""Defects once found in the compiled core, each reproduced on the engine in use (make test runs both).

Tests that could crash the interpreter run their repro in a subprocess, so a
crash fails the test instead of ending the run.
"""

import os
import subprocess
import sys

import pytest

import pathgrad
from pathgrad import Value
from pathgrad.engine import fast

core = fast._core
needs_core = pytest.mark.skipif(core is None, reason="the compiled core is not in use")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_python(code):
    """Run `code` in a fresh interpreter on this engine; its exit status and output."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout.strip(), done.stderr


# The walk counter: every backward() and zero_grad() is one walk of the graph.


@needs_core
def test_grads_stay_right_across_the_end_of_the_walk_counter():
    before = core._walk_counter()
    old = Value(2.0)
    y_old = old * old + old  # walked once, long before the end of the count
    y_old.backward()
    assert old.grad == 5.0
    old.grad = 0.0
    try:
        core._set_walk_counter(2**64 - 4)
        x = Value(3.0)
        y = x * x * x + x
        grads = []
        for _ in range(6):  # walks 2^64-3 ... 2^64-1, then past the end of the count
            x.grad = 0.0
            y.backward()
            grads.append(x.grad)
        assert grads == [28.0] * 6  # 3 x^2 + 1 at 3
        assert core._walk_counter() == 2**64 - 1
        y.zero_grad()
        assert x.grad == 0.0 and y.grad == 0.0
        y_old.backward()  # its nodes' marks are from long ago: still seen as new
        assert old.grad == 5.0
        assert [n.op for n in pathgrad.topological_order(y)] == ["", "*", "*", "+"]
    finally:
        core._set_walk_counter(before)  # marks made above are all past `before`: still safe


@needs_core
def test_the_walk_counter_is_64_bits():
    before = core._walk_counter()
    try:
        core._set_walk_counter(2**32 + 5)
        x = Value(1.5)
        (x * x).backward()
        assert core._walk_counter() == 2**32 + 6  # a uint32 would have wrapped to 6
        assert x.grad == 3.0
    finally:
        core._set_walk_counter(before)


# Errors raised while a generator is consumed reach the caller.


def test_sum_over_a_generator_raises_what_the_generator_raises():
    with pytest.raises(ValueError, match="log is defined only for x > 0"):
        pathgrad.sum(Value(x).log() for x in [2, -1, 3])


def test_weighted_sum_over_generators_raises_what_they_raise():
    def inputs():
        yield Value(1.0)
        raise KeyError("from inside the generator")

    with pytest.raises(KeyError, match="from inside the generator"):
        pathgrad.weighted_sum([Value(1.0), Value(2.0)], inputs())
    with pytest.raises(ValueError, match="log"):
        pathgrad.weighted_sum((Value(x).log() for x in [2, -1]), [Value(1.0), Value(2.0)])


def test_a_keyboard_interrupt_inside_a_generator_given_to_sum_is_not_lost():
    def interrupted():
        yield Value(1.0)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pathgrad.sum(interrupted())


def test_sum_and_weighted_sum_still_take_generators_and_refuse_what_is_not_iterable():
    assert pathgrad.sum(Value(x) for x in [1.0, 2.0, 3.0]).data == 6.0
    y = pathgrad.weighted_sum((Value(w) for w in [2.0, 3.0]), iter([Value(1.0), Value(-1.0)]), 0.5)
    assert (y.data, y.local_grads) == (-0.5, (1.0, 2.0, -1.0, 3.0, 1.0))
    with pytest.raises(TypeError):
        pathgrad.sum(3)
    with pytest.raises(TypeError):
        pathgrad.weighted_sum(3, [Value(1.0)])


# Setting .grad while the old grad's __del__ sets it too.

GRAD_DEL_REPRO = """
import pathgrad
x = pathgrad.Value(1.0)

class SetsGradWhenFreed:
    def __del__(self):
        x.grad = pathgrad.Value(7.0)

x.grad = SetsGradWhenFreed()
x.grad = 2.5  # frees the old grad, whose __del__ sets a Value grad
print(repr(x.grad))
x.grad = SetsGradWhenFreed()
x.zero_grad()
print(repr(x.grad))
x.grad = SetsGradWhenFreed()
x.grad = SetsGradWhenFreed()  # the first one's __del__ runs after the second is in place
print(repr(x.grad))
"""


def test_a_grad_whose_del_sets_the_grad_does_not_crash_the_interpreter():
    status, printed, errors = run_python(GRAD_DEL_REPRO)
    assert status == 0, errors
    # The new number is written first, then the old grad is freed: its __del__ has the last word.
    assert printed.splitlines() == [
        "Value(data=7.0, grad=0.0)",
        "Value(data=7.0, grad=0.0)",
        "Value(data=7.0, grad=0.0)",
    ]
