"""The table of op rules: every row is gradchecked, once and twice, with no test of its own."""

import math

import pytest

import pathgrad
from pathgrad import Rule, Value, add_rule, gradcheck, grad, ops


def _split(rule):
    """The row's example as (inputs, parameters)."""
    if rule.parameter:
        return list(rule.example[:-1]), list(rule.example[-1:])
    return list(rule.example), []


def _apply(rule, parameters):
    """f(*Values) for the row: its operator, method or function, as a learner calls it."""
    if rule.arity is None:
        return lambda *values: rule.function(values)
    return lambda *values: rule.function(*values, *parameters)


def _check_every_row():
    """gradcheck each row of the table at its example: first derivatives, then second."""
    checked = []
    for rule in ops.TABLE:
        inputs, parameters = _split(rule)
        f = _apply(rule, parameters)
        assert gradcheck(f, inputs).ok, rule
        for i in range(len(inputs)):
            def first(*values, i=i):
                return grad(f(*values), values[i], create_graph=True, allow_unused=True)[0] or values[i] * 0
            assert gradcheck(first, inputs, tol=1e-5).ok, (rule, i)
        checked.append(rule.name)
    return checked


def test_every_row_passes_gradcheck_for_first_and_second_derivatives():
    assert len(_check_every_row()) == len(ops.TABLE) >= 24


def test_a_row_added_in_a_test_is_checked_by_the_table_walk_and_a_wrong_one_fails():
    good = Rule("cube", lambda x: x**3, lambda x, y: (3 * x * x,), "3x²", (1.5,))
    bad = Rule("bad_cube", lambda x: x**3, lambda x, y: (2 * x * x,), "wrong", (1.5,))
    try:
        add_rule(good)
        assert "cube" in _check_every_row()
        y = Value(2.0).cube()
        y.backward()
        assert (y.op, y.data, y.children[0].grad) == ("cube", 8.0, 12.0)
        add_rule(bad)
        with pytest.raises(AssertionError, match="bad_cube"):
            _check_every_row()
    finally:
        for rule in (good, bad):
            if rule in ops.TABLE:
                ops.TABLE.remove(rule)
            if hasattr(Value, rule.name):
                delattr(Value, rule.name)


def test_every_row_is_reachable_the_way_its_kind_says():
    a, b = Value(1.5), Value(0.5)
    for rule in ops.TABLE:
        if rule.symbol and rule.arity == 2:
            out = {"+": a + b, "-": a - b, "*": a * b, "/": a / b, "**": a**b}[rule.symbol]
            assert out.rule is rule
        elif rule.arity == 1 and not rule.symbol:
            assert getattr(Value, rule.name) is rule.function
    assert (-a).op == "neg" and (a**2).op == "**2" and abs(Value(-1.0)).op == "abs"
    assert pathgrad.maximum is ops.MAXIMUM.function and pathgrad.sum is ops.SUM.function


def test_explain_writes_infix_symbols_from_the_table():
    a, b = Value(2.0, "a"), Value(3.0, "b")
    assert [pathgrad.node_name(n) for n in (a - b, a / b, -a, a**2, a**b, a.tanh())] == [
        "(a - b)", "(a / b)", "-a", "a**2", "(a ** b)", "tanh(a)"]


def test_the_cli_and_nn_take_their_lists_from_the_table():
    from pathgrad.cli.expression import FUNCTION_NAMES
    from pathgrad.nn.activations import ACTIVATIONS

    assert set(FUNCTION_NAMES) == {r.name for r in ops.TABLE if not r.symbol}
    assert set(ACTIVATIONS) == {r.name for r in ops.TABLE if r.activation} | {"linear"}


def test_a_parameter_is_bound_once_and_recorded_exactly():
    assert ops.POWER.bind(3) is ops.POWER.bind(3.0)
    third = Value(8.0) ** (1 / 3)
    assert third.rule.arguments == (1 / 3,) and math.isclose(third.data, 2.0)
