"""Reference cycles through a Value subclass's __dict__ or a str-subclass label are freed (issue 24).

A graph is acyclic, so the compiled core keeps plain nodes out of the garbage
collector. A user can still close a cycle: an attribute of a Value subclass's
instance, or of a label of a str subclass, holding a node made above it. Each
test builds such a cycle many times, drops it, and counts the nodes still
alive after gc.collect(): 0 more than before, on both engines, as pure
Python objects would be.
"""

import gc

import pytest

import pathgrad
from pathgrad import Value
from pathgrad.engine import compiled

core = compiled.core
ROUNDS = 200


def live_nodes():
    """The number of Values alive: the core's own count, or the collector's objects on the pure engine."""
    if core:
        return core.node_count()
    return sum(issubclass(type(o), Value) for o in gc.get_objects())  # type(): no __class__ lookups


class Weight(Value):
    """A Value subclass: its instances have a __dict__."""


class Name(str):
    """A label may be a str of a derived class, whose attributes can hold nodes."""


class Box:
    def __init__(self, held):
        self.held = held


def leaked_over_rounds(make_cycle, rounds=ROUNDS):
    """Nodes left alive after `rounds` dropped cycles and a collection."""
    gc.collect()
    before = live_nodes()
    for _ in range(rounds):
        make_cycle()
    gc.collect()
    return live_nodes() - before


def subclass_holds_itself():
    w = Weight(1.0)
    w.me = w


def subclass_holds_a_node_made_above_it():
    w = Weight(1.0)
    w.up = (w * 2.0 + 1.0).tanh()  # five nodes: w, 2.0, w*2, 1.0, +, tanh


def subclass_holds_nodes_of_every_maker_above_it():
    w, x = Weight(0.5), Value(2.0)
    w.up = [
        w ** 3,  # the power kernel
        -w,  # neg
        w.sin(),  # a row without a kernel: value.py's rule, the core's node()
        pathgrad.sum([x, w]),
        pathgrad.weighted_sum([w], [x], 1.0),
    ]


def subclass_holds_a_node_through_a_plain_chain():
    w = Weight(1.0)
    y = w
    for _ in range(10):
        y = y * 1.0 + 0.0
    w.up = y


def label_holds_its_node():
    x = Value(1.0)
    x.label = Name("x")
    x.label.node = x


def label_holds_a_node_made_above_before_it_was_set():
    x = Value(1.0)
    y = (x * 2.0).exp()
    name = Name("x")
    name.node = y
    x.label = name


def label_holds_a_node_made_above_after_it_was_set():
    x = Value(1.0)
    name = Name("x")
    x.label = name
    name.node = (x * 2.0).log()


def label_holds_nodes_in_containers_and_objects():
    x = Value(1.0)
    y = x * 2.0
    z = y + x
    name = Name("x")
    name.held = [{"y": (y,)}, {Box(z)}]
    x.label = name


def label_given_later_a_node_made_above_before_it_was_set():
    x = Value(1.0)
    y = x * 2.0
    name = Name("x")
    x.label = name
    name.node = y  # the core searched name when it was set: y was not there yet


def label_given_later_a_list_of_nodes_made_above():
    x = Value(1.0)
    above = [x * 2.0, (x + 1.0).relu()]
    name = Name("x")
    name.held = []
    x.label = name
    name.held.extend(above)


def label_holds_a_subclass_instance_holding_a_node_made_above():
    x = Value(1.0)
    y = x * 2.0
    w = Weight(0.0)
    w.up = {"y": y}
    name = Name("x")
    name.weight = w
    x.label = name


def label_given_to_the_constructor():
    name = Name("x")
    x = Value(1.0, name)
    name.node = x - 1.0


CYCLES = [
    subclass_holds_itself,
    subclass_holds_a_node_made_above_it,
    subclass_holds_nodes_of_every_maker_above_it,
    subclass_holds_a_node_through_a_plain_chain,
    label_holds_its_node,
    label_holds_a_node_made_above_before_it_was_set,
    label_holds_a_node_made_above_after_it_was_set,
    label_holds_nodes_in_containers_and_objects,
    label_given_later_a_node_made_above_before_it_was_set,
    label_given_later_a_list_of_nodes_made_above,
    label_holds_a_subclass_instance_holding_a_node_made_above,
    label_given_to_the_constructor,
]


@pytest.mark.parametrize("make_cycle", CYCLES, ids=[f.__name__ for f in CYCLES])
def test_cycles_through_a_subclass_dict_or_a_str_subclass_label_are_freed(make_cycle):
    assert leaked_over_rounds(make_cycle) == 0


def test_the_counter_sees_a_cycle_kept_alive():
    """The count is real: cycles still referenced are counted, all of their nodes."""
    kept = []

    def kept_cycle():
        w = Weight(1.0)
        w.up = w * 2.0  # w, 2.0, w*2
        kept.append(w)

    assert leaked_over_rounds(kept_cycle, rounds=100) == 300
    kept.clear()
    gc.collect()


def test_the_graph_above_a_cycle_still_differentiates():
    w = Weight(3.0)
    y = w * w + w
    w.up = y
    name = Name("x")
    x = Value(2.0, name)
    z = (x * w).tanh()
    name.node = z
    y.backward()
    z.backward()
    assert w.grad == 7.0 + 2.0 * (1.0 - z.data**2)
    assert x.grad == 3.0 * (1.0 - z.data**2)


@pytest.mark.skipif(core is None, reason="the compiled core is not in use")
def test_plain_nodes_stay_out_of_the_collector_beside_tracked_ones():
    """Only nodes above a tracked node are tracked: a plain graph costs the collector nothing."""
    w = Weight(1.0)
    labelled = Value(1.0, Name("x"))
    a, b = Value(2.0), Value(3.0)
    plain = (a * b + 1.0).tanh() + pathgrad.sum([a, b]) + a.sin()
    assert not any(gc.is_tracked(n) for n in pathgrad.topological_order(plain))
    above = (w * a + labelled).tanh()
    assert all(gc.is_tracked(n) for n in pathgrad.topological_order(above) if n is not a and n.children)
    assert not gc.is_tracked(a)
