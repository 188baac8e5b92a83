"""Drawings for slides: theme="dark", fontsize=, scale=, and top-to-bottom layouts with room."""

import xml.etree.ElementTree as ElementTree

import pytest

from pathgrad.viz import draw, step_through, to_svg

SVG = "{http://www.w3.org/2000/svg}"


def size(svg):
    root = ElementTree.fromstring(svg)
    return tuple(float(v) for v in root.get("viewBox").split()[2:])


def test_the_dark_theme_draws_light_text_on_a_dark_background(colah):
    svg = ElementTree.fromstring(to_svg(colah["e"], theme="dark"))
    assert next(svg.iter(f"{SVG}polygon")).get("fill") == "#1e1e1e"
    assert {t.get("fill") for t in svg.iter(f"{SVG}text")} == {"#e6e6e6"}


def test_a_highlighted_node_keeps_dark_text_on_amber_in_the_dark_theme(colah):
    source = draw(colah["e"], theme="dark", highlight=[colah["c"]]).source
    highlighted = [line for line in source.splitlines() if "#ffd166" in line]
    assert highlighted and all('fontcolor="#1a1a1a"' in line for line in highlighted)


def test_scale_makes_text_and_the_picture_bigger(colah):
    width, height = size(to_svg(colah["e"], width=None))  # at natural size: no fitting to a cell
    big_width, big_height = size(to_svg(colah["e"], width=None, scale=2))
    assert 1.6 < big_width / width < 2.4 and 1.6 < big_height / height < 2.4
    assert "fontsize=24" in draw(colah["e"], scale=2).source
    assert "fontsize=18" in draw(colah["e"], fontsize=18).source


def test_top_to_bottom_layouts_leave_room_between_edge_labels(colah):
    source = draw(colah["e"], rankdir="TB", show_local_grads=True).source
    assert "nodesep=0.6" in source and "ranksep=0.6" in source
    assert "nodesep=0.25" in draw(colah["e"]).source


def test_a_stepper_takes_the_same_slide_options(colah):
    stepper = step_through(colah["e"], theme="dark", scale=1.5)
    assert "#1e1e1e" in stepper[0].source and "fontsize=18" in stepper[0].source
    assert "penwidth=3" in stepper[1].source  # the highlight, scaled


@pytest.mark.parametrize("options, error, message", [
    (dict(theme="sepia"), ValueError, "theme='sepia'; use one of 'light', 'dark'"),
    (dict(scale=0), ValueError, "scale = 0; expected a finite number from 0.1 to 10"),
    (dict(fontsize="big"), TypeError, r"fontsize = 'big' \(str\); expected a real number"),
])
def test_bad_slide_options_are_refused(colah, options, error, message):
    with pytest.raises(error, match=message):
        draw(colah["e"], **options)
