"""Labels a user types reach Graphviz, the SVG and the stepper whatever characters they hold (issue 24)."""

import xml.etree.ElementTree as ET

import pytest

from pathgrad import Value
from pathgrad.engine.validation import RefusedValue
from pathgrad.viz import draw, step_through, to_svg
from pathgrad.viz.text import LONGEST_BACKSLASH_RUN


def graph(label):
    x = Value(1.5, label=label)
    y = x * 2
    y.label = "y"
    y.backward()
    return y


@pytest.mark.parametrize("label, shown", [("a\ufffeb", "a\\ufffeb"), ("a\uffffb", "a\\uffffb"),
                                          ("a\ud800b", "a\\ud800b"), ("a\x1bb", "a\\x1bb")])
def test_odd_characters_are_written_out_and_the_svg_is_well_formed(label, shown):
    svg = to_svg(graph(label))
    texts = [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert shown in texts  # the record's name field, written out as it would be typed in Python
    assert "grad 2" in texts  # d(2x)/dx
    frames = list(step_through(graph(label)))
    assert len(frames) == 3  # forward done, y's step, backward done: none raised a ParseError
    for frame in frames:
        ET.fromstring(frame.svg)  # well-formed XML
    assert any(shown in t.text for t in ET.fromstring(frames[1].svg).iter("{http://www.w3.org/2000/svg}text"))


def test_a_long_run_of_backslashes_is_refused_at_once_naming_the_label():
    with pytest.raises(RefusedValue, match=f"more than {LONGEST_BACKSLASH_RUN} backslashes"):
        draw(graph("\\" * 16380))  # the graphviz package alone took 77 s quoting it


def test_backslashes_up_to_the_limit_are_drawn_as_typed():
    label = "p\\" + "\\" * (LONGEST_BACKSLASH_RUN - 1) + "q"
    svg = to_svg(graph(label))
    texts = [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert label in texts
