"""Folded drawings: one instance of a repeated computation drawn, `× N` into the sum that adds them."""

import ast
import json
import re
import xml.etree.ElementTree as ElementTree

import pytest

from pathgrad import Value
from pathgrad.engine import number_text
from pathgrad.engine.validation import Refused
from pathgrad.nn.data import make_moons
from pathgrad.nn.lecture import LECTURE_XS, LECTURE_YS, lecture_loss, moons_loss
from pathgrad.viz import draw, step_through
from pathgrad.viz.fold import find_folds

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


# Opening a fold: sample=k, expand=['samples'], and the caption's advice taken verbatim.

def advice(caption, caller):
    """The calls a caption tells the learner to make, each {option: value} from `caller(..., option=value)`."""
    calls = []
    for arguments in re.findall(rf"{caller}\(\.\.\., ([^)]*)\)", caption):
        call = ast.parse(f"f({arguments})", mode="eval").body
        calls.append({keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords})
    return calls


@pytest.fixture(scope="module")
def moons():
    total, model = moons_loss()
    return total, model


def test_sample_k_draws_sample_ks_own_graph(moons):
    total, _ = moons
    losses = find_folds(total).folds[1].roots  # the samples fold (the terms fold is found first)
    source = draw(total, sample=57).source
    assert source == draw(losses[57]).source
    assert f"data {number_text(losses[57].data, 4)}" in source and "\u00d7 100 samples" not in source


def test_the_folded_pictures_caption_advice_works_verbatim(moons):
    total, _ = moons
    caption = draw(total).graph_attr["label"].replace("\\l", " ")
    calls = advice(caption, "draw")
    assert calls == [{"sample": 0}, {"sample": 0, "expand": ["L0"]}]  # one sample; one sample, L0 opened
    for options in calls:
        drawing = draw(total, **options)
        assert "image/svg+xml" in drawing._repr_mimebundle_()[0]  # a readable picture, not the line
    assert "fold=False" not in caption  # folded because the whole is too big: drawing every one would not help


def test_fold_true_on_a_graph_that_fits_says_how_to_draw_every_one():
    total, _ = batch([1.0, 2.0, 3.0, 4.0])
    caption = draw(total, fold=True).graph_attr["label"].replace("\\l", " ")
    assert "draw(..., fold=False) draws every one" in caption


def test_expand_names_a_fold_and_refuses_a_fold_the_graph_lacks(moons):
    total, _ = moons
    assert draw(total, expand=["samples"]).source == draw(total).source  # draw already shows it open
    with pytest.raises(Refused, match=r"draw: expand names 'samples 2', a fold this graph does not have; "
                                      r"its folds are 'terms', 'samples'"):
        draw(total, expand=["samples 2"])


@pytest.mark.parametrize("sample, message", [
    (100, r"draw: got sample=100; this graph has 100 samples, use 0 to 99"),
    (-1, r"draw: got sample=-1; use a whole number"),
    ("0", r"draw: got sample='0'; use a whole number"),
])
def test_a_sample_the_graph_does_not_have_is_refused(moons, sample, message):
    with pytest.raises(Refused, match=message):
        draw(moons[0], sample=sample)


def test_sample_is_refused_where_nothing_repeats_per_sample():
    with pytest.raises(Refused, match=r"draw: got sample=0, but nothing in this graph is one model applied"):
        draw(Value(2.0, "a") * 3, sample=0)


# The folded batch steps as folded.

@pytest.fixture(scope="module")
def batch_stepper(moons):
    return step_through(moons[0])


def by_hand_grads(n_samples=100):
    """Each parameter's grad in micrograd's moons loss, summed sample by sample: each sample's own
    backward, times 1/n, plus the regularisation's 2 * 1e-4 * p."""
    _, model = moons_loss(n_samples)
    X, y = make_moons(n_samples=n_samples, noise=0.1, seed=1337)
    params = model.parameters()
    total = [2e-4 * p.data for p in params]
    for x, label in zip(X, y * 2 - 1):
        for p in params:
            p.grad = 0.0
        (1 + -label * model(list(map(Value, x)))).relu().backward()
        total = [t + p.grad / n_samples for t, p in zip(total, params)]
    return total


def test_the_moons_batch_steps_folded_in_9_frames_under_2_mb(moons, batch_stepper):
    stepper = batch_stepper
    assert len(stepper) == 9  # forward, the two sums, the mean's and regularisation's products, p*p, the box, done
    assert "folded: 337 terms as one, 100 samples as one box" in stepper.title
    assert len(stepper._repr_html_().encode("utf-8")) <= 2_000_000
    assert {"s3": ["samples", "samples"]}.items() <= stepper.page_data()["boxes"].items()


def test_the_fold_boxs_frame_shows_the_grad_into_every_sample_and_the_parameters_summed_grads(moons, batch_stepper):
    total, model = moons
    (box,) = [frame for frame in batch_stepper if frame.caption.startswith("samples (100 samples as one box)")]
    numbers = box._state.numbers
    roots = find_folds(total).folds[1].roots
    assert [numbers[root] for root in roots] == [0.01] * 100  # d total/d relu_k = 1/100 for every sample
    assert "0.01 into each, 1 in all" in box.caption
    params = model.parameters()
    assert [numbers[p] for p in params] == [p.grad for p in params]  # backward's own grads, all 337
    assert by_hand_grads() == pytest.approx([numbers[p] for p in params], rel=1e-9, abs=1e-15)
    assert f"L2.n0.w0.grad = {number_text(params[-17].grad, 4)}" in box.caption


def test_the_sum_of_the_samples_passes_its_grad_to_all_100_in_one_frame(batch_stepper):
    (frame,) = [frame for frame in batch_stepper if "the sum of the 100 samples" in frame.caption]
    assert "has its full grad dt4176/dt3500 = 0.01 and passes local \u00d7 upstream = 1 \u00d7 0.01 = 0.01 " \
           "down each of its 100 edges (\u00d7 100 samples), one per sample: the samples box gets 0.01 for each " \
           "sample." in frame.caption


def test_the_step_through_captions_advice_works_verbatim(moons, batch_stepper):
    total, _ = moons
    calls = advice(batch_stepper.title, "step_through")
    assert calls == [{"expand": ["samples"]}, {"sample": 0}, {"expand": ["L0"]}]
    for options in calls:
        stepper = step_through(total, **options)
        assert 2 < len(stepper) <= 40 and len(stepper._repr_html_().encode("utf-8")) <= 2_000_000


def test_expanding_the_fold_box_steps_through_sample_0_inside_the_batch(moons, batch_stepper):
    total, _ = moons
    opened = batch_stepper.expanded("samples")
    assert len(opened) == 14 and "samples" not in [name for name in opened.page_data()["boxes"].values()]
    assert any(frame.caption.endswith("one per sample: each sample's relu(t34) gets 0.01.") for frame in opened)
    relu = [frame for frame in opened if frame.caption.startswith("relu(t34) has its full grad")]
    assert len(relu) == 1 and "= 0.01" in relu[0].caption
    # the title's advice keeps the fold open
    assert "step_through(..., expand=['samples', 'L0']) to open" in opened.title
    assert len(step_through(total, expand=["samples", "L0"])) > 14


def test_the_widget_opens_a_clicked_fold_box(batch_stepper):
    widget = batch_stepper.widget()
    widget._reshape(widget, {"expand": "samples"}, [])  # what stepper.js sends for a click on box s3
    assert len(widget.stepper) == 14
    data = json.loads(widget.data)
    assert any(caption.startswith("relu(t34) has its full grad") for caption in data["captions"])


def test_a_batch_that_cannot_fold_is_still_refused_in_one_line(moons):
    with pytest.raises(Refused, match=r"step_through: this graph makes \d+ frames, more than max_frames=500"):
        step_through(moons[0], fold=False)


def test_the_lecture_loss_steps_folded_on_request_with_summed_grads():
    loss, model = lecture_loss()
    stepper = step_through(loss, fold=True)
    assert len(stepper) == 4  # forward, the sum, the box, done
    (box,) = [frame for frame in stepper if frame.caption.startswith("samples (4 samples as one box)")]
    params = model.parameters()
    assert [box._state.numbers[p] for p in params] == [p.grad for p in params]
    by_hand = [0.0] * len(params)
    for xs, target in zip(LECTURE_XS, LECTURE_YS):
        for p in params:
            p.grad = 0.0
        ((model(xs) - target) ** 2).backward()
        by_hand = [b + p.grad for b, p in zip(by_hand, params)]
    assert by_hand == pytest.approx([box._state.numbers[p] for p in params], rel=1e-12)
