"""Every name can be found: a collapsed box's outputs are called by the box's name, x - (-1)."""

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
