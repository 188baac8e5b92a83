"""Folded drawings: one instance of a repeated computation drawn, `× N` into the sum that adds them."""

import re
import xml.etree.ElementTree as ElementTree

import pytest

from pathgrad import Value
from pathgrad.engine.validation import Refused
from pathgrad.nn.lecture import lecture_loss, moons_loss
from pathgrad.viz import draw

SVG = "{http://www.w3.org/2000/svg}"


def op_labels(source):
    return re.findall(r'^\s*op\d+ \[label="?([^" ]+)"?', source, re.MULTILINE)


def batch(xs):
    w = Value(0.5, "w")
    losses = [((w * x - 1) ** 2).tanh() for x in xs]
    total = sum(losses)
    total.label = "total"
    total.backward()
    return total, losses


def test_micrograds_moons_loss_is_shown_as_one_readable_folded_picture():
    total, _ = moons_loss()
    drawing = draw(total)
    bundle, _ = drawing._repr_mimebundle_()
    svg = bundle["image/svg+xml"]  # a picture, not the line
    root = ElementTree.fromstring(svg)
    width = float(root.get("width").removesuffix("px"))
    least = min(float(t.get("font-size")) for t in root.iter(f"{SVG}text")) * width / float(root.get("viewBox").split()[2])
    assert width <= 952 and least >= 8
    source = drawing.source
    assert "\u00d7 100 samples" in source and "\u00d7 337 terms" in source
    assert op_labels(source).count("relu") == 1  # one sample's hinge, standing for 100
    assert op_labels(source).count("sum") == 2  # the data loss's sum and the regularisation's
    assert "folded: 337 terms as one, 100 samples as one" in source
    assert "data 0.8958" in source  # the total is the batch's, not one sample's


def test_the_lecture_loss_folded_draws_one_squared_error_for_four():
    loss, _ = lecture_loss()
    source = draw(loss, fold=True).source
    assert op_labels(source).count("**2") == 1 and "\u00d7 4 samples" in source
    assert op_labels(draw(loss, fold=False).source).count("**2") == 4


def test_an_edge_from_a_left_out_sample_is_drawn_once_from_sample_0_and_named_by_it():
    total, losses = batch([1.0, 2.0, 3.0, 4.0])
    source = draw(total, fold=True).source
    into_sum = [line for line in source.splitlines() if "\u00d7 4 samples" in line]
    assert len(into_sum) == 1
    # the sum's operand drawn is sample 0's tanh, and its tooltip names that node
    assert "\u2202total/\u2202tanh(t1**2) = 1" in into_sum[0]
    assert f"data {round(total.data, 3)}" in source and op_labels(source) == ["*", "-", "**2", "tanh", "sum"]


def test_folding_is_automatic_only_when_the_whole_graph_does_not_fit():
    total, _ = batch([1.0, 2.0, 3.0, 4.0])
    assert "folded:" not in draw(total).source  # 27 values fit a cell: drawn whole
    assert op_labels(draw(total).source).count("tanh") == 4


def test_nothing_to_fold_draws_the_same_graph():
    a, b, c, d = (Value(v, n) for v, n in [(2.0, "a"), (3.0, "b"), (4.0, "c"), (5.0, "d")])
    e = a * b + c * d
    assert draw(e, fold=True).source == draw(e, fold=False).source


def test_fold_other_than_true_false_or_none_is_refused():
    with pytest.raises(Refused, match=r"draw: got fold='yes'; use True"):
        draw(Value(1.0, "a") * 2, fold="yes")
