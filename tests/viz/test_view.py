"""collapse, around and depth: drawing and stepping through part of a big graph."""

import random
import re

import pytest

from pathgrad import Value, backward_trace, scope
from pathgrad.nn import MLP
from pathgrad.viz import draw, step_through


def scoped_graph():
    """y = (a*b + c) * d with a*b + c made inside scope "inner" (two operations)."""
    a, b, c, d = (Value(v, name) for v, name in [(2.0, "a"), (3.0, "b"), (1.0, "c"), (4.0, "d")])
    with scope("inner"):
        s = a * b + c
        s.label = "s"
    y = s * d
    y.label = "y"
    return y, dict(a=a, b=b, c=c, d=d, s=s)


def test_a_collapsed_scope_is_one_box_with_its_inputs_and_outputs():
    y, nodes = scoped_graph()
    source = draw(y, collapse=["inner"]).source
    assert 's0 [label="inner | data 7 | grad 0"' in source  # its output s, and no parameters
    assert "{ s |" not in source and "op3" not in source  # the scope's own nodes are inside the box
    feeding = re.findall(r"(v\d+) -> s0", source)
    records = dict(re.findall(r'(v\d+) \[label="\{ (\w+) \|', source))
    assert sorted(records[v] for v in feeding) == ["a", "b", "c"]  # the box's inputs
    assert re.search(r"s0 -> op\d+", source)  # the box feeds y's *
    assert "{ y | data 28 | grad 0 }" in source


def test_a_collapse_name_matches_nested_scopes_and_an_unknown_name_is_refused():
    random.seed(0)
    model = MLP(2, [3, 1], fused=False)
    y = model([Value(1.0, "x0"), Value(2.0, "x1")])
    source = draw(y, collapse=["layers.0"]).source
    assert source.count("shape=Mrecord") == 1 and "L1.n0.w0" in source
    assert "L0.n0.w0" not in source  # the layer's parameters are inside its box
    assert draw(y, collapse=["L0"]).source == source  # the short name as drawn
    with pytest.raises(ValueError, match=r"collapse names 'layer.0'.*its scopes are layers, layers.0, layers.0.neurons"):
        draw(y, collapse=["layer.0"])
    with pytest.raises(TypeError, match="collapse='layers.0'; give a list of scope names"):
        draw(y, collapse="layers.0")


def test_around_draws_only_the_nodes_within_depth_edges():
    y, nodes = scoped_graph()
    one = draw(y, around=nodes["d"], depth=1).source
    assert "{ d |" in one and "{ y |" in one and "{ s |" not in one and "{ a |" not in one
    two = draw(y, around=nodes["d"], depth=2).source
    assert "{ s |" in two and "{ a |" not in two  # s is 2 edges from d (through y)
    with pytest.raises(ValueError, match="around=.* not a node of root's graph"):
        draw(y, around=Value(1.0))
    with pytest.raises(ValueError, match="depth=-1"):
        draw(y, around=nodes["d"], depth=-1)


def test_a_stepper_around_a_node_has_frames_only_for_the_steps_it_shows():
    y, nodes = scoped_graph()
    assert len(backward_trace(y)) == 3
    stepper = step_through(y, around=nodes["d"], depth=1)
    assert len(stepper) == 3  # forward done, y's step, done: s's steps are out of view
    assert stepper[1].caption.startswith("y, the root,")
    y.backward()
    last = stepper[-1]
    # the unseen steps are taken too: a's grad (d*b = 12) is in the last frame's numbers, though its
    # caption names only what the picture shows (d, and "3 more")
    assert last._state.numbers[nodes["a"]] == nodes["a"].grad == 12.0
    assert "d.grad = 7, and 3 more" in last.caption and "a.grad" not in last.caption


def test_a_collapsed_stepper_highlights_the_box_once_backward_has_passed_through_it():
    y, nodes = scoped_graph()
    stepper = step_through(y, collapse=["inner"])
    assert len(stepper) == 4  # forward done, y's step, the box's frame (its two steps inside), done
    assert 's0 [label="inner | data 7 | grad"' in stepper[0].source
    assert stepper[2].caption.startswith("inner (collapsed): its output s has its full grad dy/ds = 4;")
    assert 's0 [label="inner | data 7 | grad 4" color="#c2410c"' in stepper[2].source.replace("\n", " ")
