"""scope(): nodes record the dotted name of the innermost scope they were made in."""

import threading

import pytest

import pathgrad
from pathgrad import Value


def test_nodes_record_the_innermost_scope_joined_with_dots():
    x = Value(1.0, "x")
    with pathgrad.scope("layers.0"):
        h = x * 2
        with pathgrad.scope("neurons.3"):
            w = Value(0.5, "w")
            y = h * w
        z = y + 1
    after = z * 3
    assert (x.scope, h.scope, w.scope, y.scope, z.scope, after.scope) == (
        "", "layers.0", "layers.0.neurons.3", "layers.0.neurons.3", "layers.0", ""
    )


def test_scope_is_restored_after_an_exception():
    with pytest.raises(ZeroDivisionError), pathgrad.scope("broken"):
        Value(1.0) / 0
    assert (Value(1.0) + 1).scope == ""


def test_each_thread_has_its_own_scope():
    inside, seen = threading.Event(), {}

    def other():
        inside.wait()
        seen["other"] = (Value(1.0) * 2).scope

    thread = threading.Thread(target=other)
    thread.start()
    with pathgrad.scope("main"):
        inside.set()
        thread.join()
        seen["main"] = (Value(1.0) * 2).scope
    assert seen == {"other": "", "main": "main"}


@pytest.mark.parametrize("name", ["", None, 3])
def test_a_scope_needs_a_non_empty_name(name):
    with pytest.raises(TypeError, match="scope: got .*; a scope's name must be a non-empty str"):
        with pathgrad.scope(name):
            pass


def test_scope_run_calls_inside_the_scope_and_restores_it_even_on_error():
    with pathgrad.scope("layers.0"):
        y = pathgrad.scope.run("neurons.3", lambda x, k: x * k, Value(2.0), 3)
        with pytest.raises(ZeroDivisionError):
            pathgrad.scope.run("broken", lambda x: x / 0, Value(1.0))
        after = Value(1.0) * 2
    assert (y.data, y.scope, after.scope, (Value(1.0) + 1).scope) == (6.0, "layers.0.neurons.3", "layers.0", "")


def test_nn_records_one_scope_per_layer_and_neuron():
    from pathgrad.nn import MLP

    model = MLP(2, [3, 1])
    out = model([1.0, -2.0])
    assert out.scope == "layers.1.neurons.0"
    scopes = {node.scope for node in pathgrad.topological_order(out) if node.children}
    assert scopes == {"layers.0.neurons.0", "layers.0.neurons.1", "layers.0.neurons.2", "layers.1.neurons.0"}
