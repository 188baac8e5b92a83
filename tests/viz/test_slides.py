"""Drawings for slides: theme="dark", fontsize=, scale=, and top-to-bottom layouts with room."""

import random
import warnings
import xml.etree.ElementTree as ElementTree

import pytest

from pathgrad.nn import MLP
from pathgrad.nn.lecture import LECTURE_XS, LECTURE_YS
from pathgrad.viz import draw, save, step_through, to_svg
from pathgrad.viz.plan import SmallSlideText

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


def three_samples_loss():
    """The lecture's MLP(3, [4, 4, 1]) loss over its first 3 samples, after backward: 1,000-odd values."""
    random.seed(1337)
    model = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh")
    loss = sum((model(x) - y) ** 2 for x, y in zip(LECTURE_XS[:3], LECTURE_YS))
    loss.label = "loss"
    loss.backward()
    return loss


def slide_text(drawing, path):
    """(PNG width, PNG height, its smallest text in pixels) of the PNG `path` saved from `drawing`:
    the smallest font of the drawing's layout, scaled as the PNG is."""
    png = path.read_bytes()
    width, height = (int.from_bytes(png[at:at + 4], "big") for at in (16, 20))
    svg = ElementTree.fromstring(drawing.layout())
    least = min(float(t.get("font-size")) for t in svg.iter(f"{SVG}text"))
    return width, height, least * width / float(svg.get("viewBox").split()[2])


def test_a_small_graph_fills_a_slide_with_text_over_20_px_and_no_warning(colah, tmp_path):
    colah["e"].backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails
        drawing = draw(colah["e"], size=(1920, 1080), show_local_grads=True)
        save(drawing, tmp_path / "e.png")
    width, height, least = slide_text(drawing, tmp_path / "e.png")
    assert width >= 1910 and height <= 1080  # left to right, across the slide: 1920 x 532
    assert least >= 20  # 12 pt shown at 2.8 times: 34 px


def test_a_slide_takes_the_direction_and_collapse_with_the_largest_text(tmp_path):
    loss = three_samples_loss()
    with pytest.warns(SmallSlideText):
        drawing = draw(loss, size=(1920, 1080))
    save(drawing, tmp_path / "slide.png")
    width, height, least = slide_text(drawing, tmp_path / "slide.png")
    assert width <= 1920 and height <= 1080
    others = []
    for collapse in ([], ["L0", "L1", "L2"], [f"L{i}.n{j}" for i in (0, 1) for j in range(4)] + ["L2.n0"]):
        for rankdir in ("LR", "TB"):
            with pytest.warns(SmallSlideText):
                other = draw(loss, size=(1920, 1080), rankdir=rankdir, collapse=collapse)
            save(other, tmp_path / "other.png")
            others.append(slide_text(other, tmp_path / "other.png")[2])
    # 18 px, layers as boxes left to right; neurons as boxes 16.6 (LR) and 13.3 (TB), the whole graph 7.2 and 3.5
    assert least >= max(others) - 0.5 and least > 17


def test_a_slide_whose_best_text_is_under_20_px_warns_once_naming_its_size_and_what_to_do(tmp_path):
    loss = three_samples_loss()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        save(loss, tmp_path / "slide.png", size=(1920, 1080))
    assert [w.category for w in caught] == [SmallSlideText]
    message = str(caught[0].message)
    assert caught[0].filename == __file__  # said at the caller's line
    assert "1920\u00d71080 slide" in message and "smallest text is 18 px at 1080 lines" in message
    assert "20 px or more" in message
    assert "collapse=" in message and "one sample" in message and "around=" in message
    assert (tmp_path / "slide.png").exists()  # the picture is written all the same


def test_a_720_line_slide_is_judged_as_it_is_shown_on_1080_lines(tmp_path):
    loss = three_samples_loss()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        drawing = draw(loss, size=(1280, 720))
    save(drawing, tmp_path / "slide.png")
    width, height, least = slide_text(drawing, tmp_path / "slide.png")
    assert width <= 1280 and height <= 720
    said = float(str(caught[0].message).split("smallest text is ")[1].split(" px")[0])
    assert abs(said - least * 1080 / 720) <= 1  # 12 px of a 720-line slide is 18 px on 1080 lines
