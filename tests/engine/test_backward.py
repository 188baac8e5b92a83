"""Reverse mode: PyTorch's semantics, without micrograd's bugs or limits."""

import gc

import pytest

from pathgrad import Value, backward_trace


def test_repeated_backward_accumulates_in_leaves_27_then_54():
    x = Value(3.0)
    y = x**3
    y.backward()
    assert x.grad == 27.0
    y.backward()
    assert x.grad == 54.0


def test_micrograd_double_counts_repeated_backward_where_pathgrad_does_not():
    micrograd = pytest.importorskip("micrograd.engine")
    x = micrograd.Value(3.0)
    y = x * x * x
    y.backward()
    y.backward()
    ours = Value(3.0)
    ours_y = ours * ours * ours
    ours_y.backward()
    ours_y.backward()
    assert (x.grad, ours.grad) == (72.0, 54.0)


def test_interior_grads_hold_d_root_d_node_after_every_call(colah):
    for _ in range(3):
        colah["e"].backward()
        assert (colah["c"].grad, colah["d"].grad, colah["e"].grad) == (2.0, 3.0, 1.0)
    assert colah["b"].grad == 15.0


def test_zero_grad_zeroes_every_grad_in_the_graph(colah):
    colah["e"].backward()
    colah["e"].zero_grad()
    assert all(v.grad == 0.0 for v in colah.values())
    colah["e"].backward()
    assert colah["b"].grad == 5.0


def test_backward_on_a_leaf_accumulates_one():
    x = Value(4.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_a_million_node_chain_backpropagates_without_recursion():
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0
    del y  # freeing the chain must not recurse either


def test_backward_trace_agrees_exactly_with_backward(tanh_neuron):
    o = tanh_neuron["o"]
    trace = backward_trace(o)
    o.backward()
    assert [step.node for step in trace][0] is o
    for step in trace:
        assert step.grad == step.node.grad
        for edge in step.edges:
            assert edge.contribution == edge.local_grad * step.grad
    leaves = [tanh_neuron[k] for k in ("x1", "x2", "w1", "w2", "b")]
    for leaf in leaves:
        assert leaf.grad == sum_contributions(trace, leaf)


def sum_contributions(trace, leaf):
    total = 0.0
    for step in trace:
        for edge in step.edges:
            if edge.child is leaf:
                total += edge.contribution
    return total


def test_backward_trace_leaves_every_grad_untouched(colah):
    backward_trace(colah["e"])
    assert all(v.grad == 0.0 for v in colah.values())


def test_graphs_hold_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        x = Value(1.0)
        y = x
        for _ in range(1000):
            y = (y * 1.0001).tanh() + x
        y.backward()
        del x, y
        assert gc.collect() == 0
    finally:
        gc.enable()
