"""Defects once found in the compiled core, each reproduced on the engine in use (make test runs both).

Tests that could crash the interpreter run their repro in a subprocess, so a
crash fails the test instead of ending the run.
"""

import math
import os
import subprocess
import sys

import pytest

import pathgrad
from pathgrad import Value
from pathgrad.engine import compiled
from pathgrad.engine.validation import RefusedOverflow, RefusedType, RefusedValue

core = compiled.core
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
        core._set_walk_counter(2**63 - 4)
        x = Value(3.0)
        y = x * x * x + x
        grads = []
        for _ in range(6):  # walks 2^63-3 ... 2^63-1, then past the end of the count
            x.grad = 0.0
            y.backward()
            grads.append(x.grad)
        assert grads == [28.0] * 6  # 3 x^2 + 1 at 3
        assert core._walk_counter() == 2**63 - 1
        y.zero_grad()
        assert x.grad == 0.0 and y.grad == 0.0
        y_old.backward()  # its nodes' marks are from long ago: still seen as new
        assert old.grad == 5.0
        assert [n.op for n in pathgrad.topological_order(y)] == ["", "*", "*", "+"]
    finally:
        core._set_walk_counter(before)  # marks made above are all past `before`: still safe


@needs_core
def test_the_walk_counter_does_not_wrap_after_2_to_the_32_walks():
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


# Rows added with add_rule that break the table's contract get one refusal naming the row.

BROKEN_ROWS = [
    ("forward_none", lambda x: None, lambda x, y: (1.0,), RefusedType, "its forward gave NoneType None"),
    ("forward_str", lambda x: "2", lambda x, y: (1.0,), RefusedType, "its forward gave str '2'"),
    ("forward_huge_int", lambda x: 10**5000, lambda x, y: (1.0,), RefusedOverflow,
     "its forward gave an int of 5001 digits, too large for a float"),
    ("two_local_grads", lambda x: 2 * x, lambda x, y: (2.0, 0.0), RefusedValue,
     r"its derivative gave \(2.0, 0.0\); it must give a tuple of 1 local grad, one per operand"),
    ("no_tuple", lambda x: 2 * x, lambda x, y: 2.0, RefusedValue, "its derivative gave 2.0; it must give a tuple"),
]


@pytest.mark.parametrize("name, forward, derivatives, error, message", BROKEN_ROWS,
                         ids=[row[0] for row in BROKEN_ROWS])
def test_a_broken_row_is_refused_naming_it_and_leaves_nothing_pending(name, forward, derivatives, error, message):
    rule = pathgrad.add_rule(pathgrad.Rule(name, forward, derivatives, "broken", (1.0,)))
    try:
        with pytest.raises(error, match=f"^{name}: .*{message}"):
            getattr(Value(1.5), name)()
        y = Value(2.0) * 3  # the next call sees no exception left over
        assert y.data == 6.0
    finally:
        delattr(Value, name)
        pathgrad.ops.TABLE.remove(pathgrad.ops.TABLE[-1])
    assert rule is not None


def test_a_row_giving_an_int_result_and_int_local_grads_makes_floats():
    pathgrad.add_rule(pathgrad.Rule("three", lambda x: 3, lambda x, y: (2,), "2", (1.0,)))
    try:
        x = Value(1.5)
        y = x.three()
        y.backward()
        assert (y.data, y.local_grads, x.grad) == (3.0, (2.0,), 2.0)
        assert type(y.data) is float and type(x.grad) is float
    finally:
        del Value.three
        pathgrad.ops.TABLE.remove(pathgrad.ops.TABLE[-1])


# Ints too long for Python to print.


@pytest.mark.parametrize("make", [
    lambda: Value(10**5000),
    lambda: Value(1.0) ** (10**5000),
    lambda: Value(1.0).leaky_relu(10**5000),
], ids=["data", "exponent", "slope"])
def test_an_int_over_4300_digits_gets_pathgrad_s_refusal(make):
    with pytest.raises((RefusedValue, RefusedOverflow), match="an int of 5001 digits"):
        make()


# Caches of bound rules stay bounded.


def test_many_distinct_exponents_and_slopes_keep_memory_flat():
    import tracemalloc

    x = Value(1.5)
    for i in range(2000):  # fill every cache first
        x ** (1.0 + i / 1e5)
        x.leaky_relu(i / 1e5)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(20_000):
        x ** (2.0 + i / 1e5)
        x.leaky_relu(0.5 + i / 1e5)
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert len(pathgrad.ops.POWER._bound) <= pathgrad.ops.BOUND_CACHE
    assert len(pathgrad.ops.LEAKY_RELU._bound) <= pathgrad.ops.BOUND_CACHE
    assert grown < 200_000  # unbounded caches kept these 40,000 bound rules: 13.5 MB


# Value's object protocol, the same on both engines.


@pytest.mark.parametrize("bad, error, message", [
    ("3", RefusedType, "data must be a real number"),
    (1j, RefusedType, "data must be a real number"),
    (float("nan"), RefusedValue, "got nan; data must be a finite number"),
    (float("inf"), RefusedValue, "got inf; data must be a finite number"),
    (10**5000, RefusedOverflow, "an int of 5001 digits"),
], ids=["str", "complex", "nan", "inf", "huge_int"])
def test_setting_data_refuses_what_the_constructor_refuses_and_keeps_the_old_data(bad, error, message):
    x = Value(1.5)
    with pytest.raises(error, match=message):
        x.data = bad
    assert x.data == 1.5
    x.data = 3  # an int becomes a float
    assert x.data == 3.0 and type(x.data) is float


def test_a_label_set_later_must_be_a_str():
    x = Value(1.0, "v")
    with pytest.raises(RefusedType, match=r"^Value: got label 123 \(int\); a label must be a str$"):
        x.label = 123
    assert x.label == "v"


@pytest.mark.parametrize("name", [5, "", None])
def test_scope_run_refuses_a_name_that_is_not_a_non_empty_str(name):
    with pytest.raises(RefusedType, match=f"^scope.run: got {name!r}; a scope's name must be a non-empty str$"):
        pathgrad.scope.run(name, lambda: Value(1.0))


class Parameter(Value):
    """A subclass with its own constructor, as a learner writes one."""

    def __init__(self, data, name, frozen=False):
        super().__init__(data, name)
        self.frozen = frozen


def test_a_subclass_of_value_is_made_used_and_differentiated_like_value():
    w = Parameter(2.0, "w", frozen=True)
    assert (type(w), w.data, w.label, w.frozen, w.grad) == (Parameter, 2.0, "w", True, 0.0)
    y = w * w + 1
    y.backward()
    assert type(y) is Value and (y.data, w.grad) == (5.0, 4.0)
    assert isinstance(w, Value) and y.children[0].children == (w, w)
    with pytest.raises(RefusedType, match="data must be a real number"):
        Parameter("2", "w")


def test_a_subclass_s_instances_in_a_cycle_are_freed():
    import gc
    import weakref

    class Node(Value):
        pass

    gc.collect()  # garbage of earlier tests (a refusal's traceback holding Values) is not counted below
    a = Node(1.0)
    a.me = a
    gone = weakref.ref(a) if hasattr(a, "__weakref__") else None
    count = core.node_count() if core else None
    del a
    gc.collect()
    if core:
        assert core.node_count() == count - 1
    if gone:
        assert gone() is None


def test_deepcopy_and_pickle_of_a_value_keep_its_numbers_and_share_nothing():
    import copy
    import pickle

    x = Value(2.0, "x")
    y = x * x + 1
    y.backward()
    for copied in (copy.deepcopy(y), pickle.loads(pickle.dumps(y))):
        a, b = copied.children[0].children  # x * x: one leaf, twice
        assert (copied.data, copied.grad, copied.op, a.grad, a.label) == (5.0, 1.0, "+", 4.0, "x")
        assert a is b and a is not x
        a.data = 3.0
        assert x.data == 2.0


def test_deepcopy_and_pickle_of_an_mlp_give_the_same_parameters_and_outputs():
    import copy
    import pickle

    from pathgrad.nn import MLP

    model = MLP(2, [3, 1])
    for copied in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert [p.data for p in copied.parameters()] == [p.data for p in model.parameters()]
        assert copied([0.5, -1.0]).data == model([0.5, -1.0]).data
        copied.parameters()[0].data += 1.0
        assert copied.parameters()[0].data != model.parameters()[0].data


# Differentiating twice through an infinite or overflowing local derivative names the node.


@pytest.mark.parametrize("second_order", [
    lambda: pathgrad.hessian(lambda a: a**0.5, [0.0]),
    lambda: pathgrad.hvp(lambda a: a.sqrt(), [0.0], [1.0]),
    lambda: Value(0.0).sqrt().backward(create_graph=True),
], ids=["hessian", "hvp", "create_graph"])
def test_an_infinite_local_derivative_differentiated_again_is_refused_naming_its_node(second_order):
    with pytest.raises(RefusedValue, match=r"^create_graph: the '(\*\*0.5|sqrt)' node .* \(inputs 0.0\) has local "
                                           r"derivative inf, which cannot be differentiated again"):
        second_order()


def test_a_local_derivative_that_overflows_is_refused_naming_its_node_when_differentiated_again():
    x = Value(1e-200)
    y = x**-1.0  # 1e200; its derivative -x^-2 = -1e400 is beyond a float
    assert y.local_grads == (-math.inf,)
    with pytest.raises(RefusedValue, match=r"^create_graph: the '\*\*-1' node .* has local derivative -inf"):
        y.backward(create_graph=True)


# Three-argument pow has no meaning for reals: both engines refuse it.


@pytest.mark.parametrize("call", [
    lambda: pow(2, Value(3.0), 5),
    lambda: pow(Value(2.0), 3, 5),
    lambda: pow(Value(2.0), Value(3.0), 5),
], ids=["number_base", "number_exponent", "value_exponent"])
def test_pow_with_a_modulus_is_a_type_error_and_never_drops_the_modulus(call):
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*\* or pow\(\)"):
        call()
