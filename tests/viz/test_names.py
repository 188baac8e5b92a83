"""Every name can be found: a collapsed box's outputs are called by the box's name, x - (-1)."""

import html
import re

from pathgrad import Value
from pathgrad.nn.lecture import moons_loss, sample_loss
from pathgrad.viz import draw


def one_sample():
    return sample_loss()[0]


def unfound_temporaries(source):
    """The temporary names (t33) that a label or tooltip mentions but no record is called."""
    drawn = set(re.findall(r'label="(?:\{ )?(t\d+) \|', source))
    mentioned = set(re.findall(r"\bt\d+\b", " ".join(re.findall(r'(?:label|tooltip)="([^"]*)"', source))))
    return mentioned - drawn


def test_the_collapsed_output_layer_is_called_l2_not_a_temporary_inside_it():
    source = draw(one_sample()).source  # layers collapsed to fit
    assert 'label="{ L2 | data' in source
    assert "(-1 * L2)" in source and "\u2202(-1 * L2)/\u2202L2 = -1" in source
    assert unfound_temporaries(source) == set()


def test_every_name_in_the_folded_moons_loss_is_drawn():
    total, _ = moons_loss()
    source = draw(total).source
    assert "(1 * L2)" in source
    assert unfound_temporaries(source) == set()


def test_subtracting_a_negative_constant_reads_with_brackets():
    x = Value(2.0, "x")
    y = (x - (-1)) * 2
    source = draw(y).source
    assert "(x - (-1))" in source and "- -1" not in source


def test_a_derivative_of_a_squared_node_is_bracketed_so_it_cannot_read_as_a_square():
    from pathgrad.engine import derivative_name, node_names

    x = Value(3.0, "x")
    square = (x - 1) ** 2
    loss = square * 2
    loss.label = "loss"
    names = node_names(loss)
    assert names[square] == "(x - 1)**2"
    assert derivative_name(loss, square, names) == "dloss/d((x - 1)**2)"
    assert derivative_name(square, square.children[0], names, local=True) == "∂((x - 1)**2)/∂(x - 1)"
    negated = -x
    assert derivative_name(negated * 1, negated, local=True) == "∂(-x * 1)/∂(-x)"  # not ∂-x
    assert derivative_name(loss, x) == "dloss/dx"  # an atom stays as it is


def names_in_caption(caption):
    """Every node a caption calls by name: the operands of d and ∂, and what holds a .grad."""
    operand = r"(\((?:[^()]|\([^()]*\))*\)|[^\s/(),;:]+(?:\([^()]*(?:\([^()]*\))?[^()]*\))?)"
    found = re.findall(rf"[d∂]{operand}/[d∂]{operand}", caption)
    return {name for pair in found for name in pair} | set(re.findall(rf"{operand}\.grad = ", caption))


def test_stepper_captions_name_only_what_the_picture_shows():
    import random as rng

    from pathgrad.nn import MLP, data, losses
    from pathgrad.nn.lecture import lecture_loss
    from pathgrad.viz import step_through

    X, y = data.make_moons(100, noise=0.1, seed=1337)
    rng.seed(0)
    small = MLP(2, [4, 4, 1])
    point = [Value(v, f"x{i}") for i, v in enumerate(X[0].tolist())]
    notebook_07 = losses.bce_with_logits([small(point)], [y[0]])  # notebook 07's loss of one sample
    notebook_07.backward()
    lecture = lecture_loss()[0]
    steppers = [step_through(notebook_07), step_through(notebook_07, expand=["L2.n0"]), step_through(lecture),
                step_through(one_sample()), step_through(lecture, around=lecture.children[1], depth=2),
                step_through(notebook_07, mode="forward", wrt=point[0]),
                step_through(lecture, mode="forward", wrt=lecture.children[1].children[0].children[0],
                             around=lecture.children[1], depth=2)]
    for stepper in steppers:
        svg = stepper._picture().svg
        drawn = {html.unescape(text) for text in re.findall(r">([^<>]+)</text>", svg)}
        boxes = {text for text in drawn if re.fullmatch(r"L\d+(\.n\d+)?", text)}
        for frame in stepper:
            for name in names_in_caption(frame.caption):
                bare = name[1:-1] if name.startswith("(") and name not in drawn else name
                in_a_box = any(re.fullmatch(rf"{re.escape(box)}(\[\d+\]|\.n\d+\.(w\d+|b)|\.(w\d+|b))", bare)
                               for box in boxes)
                assert bare in drawn or in_a_box, (stepper.title, frame.caption, name)
    captions = " ".join(frame.caption for frame in steppers[2])
    assert "so L2.n0[3].grad = " in captions  # the lecture's fourth sample's output, as the drawing calls it
    assert "d(t42**2)" in captions and "so (t42**2).grad = 1" in captions
    around = [frame.caption for frame in steppers[4]] + [frame.caption for frame in steppers[6]]
    assert any("2 edges lead to nodes this drawing leaves out (around=)" in caption for caption in around)
    assert any("(a node this drawing leaves out) + (a node this drawing leaves out) = " in caption for caption in around)
