"""A stepper's slide PDF (Stepper.save(..., size=)): its pictures laid out for the page, not the notebook cell."""

import html
import warnings

import pytest

from pathgrad.nn.lecture import sample_loss
from pathgrad.viz import step_through
from pathgrad.viz.pdf import FONT_FILE
from pathgrad.viz.plan import SmallSlideText
from pathgrad.viz.stepper.pdf import page_room
from tests.content import pdf_pages, pdf_words

SLIDE = (1920, 1080)  # pixels: pages of 1440 × 810 pt


def _per_point():
    """The shipped font's height (ascent and descent) per point: a word's height in poppler's boxes over it is its size."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_FILE)
    return (font["hhea"].ascent - font["hhea"].descent) / font["head"].unitsPerEm


def _value_text(path, page):
    """The values' text size on a page, in px of the 1080-line slide (a point is 4/3 px): the smallest
    word "data" (a value record's) measured by pdftotext -bbox."""
    heights = [h for word, _, _, _, h in pdf_words(path, page) if word == "data"]
    assert heights, "no value record on the page"
    return min(heights) / _per_point() * 4 / 3


def _saved(stepper, path):
    """Save the stepper's slides, and return the warnings saving gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stepper.save(path, size=SLIDE)
    return [w for w in caught if issubclass(w.category, SmallSlideText)]


@pytest.fixture(scope="module")
def one_sample():
    """The stepper of one sample through micrograd's moons MLP(2, [16, 16, 1]) (pathgrad.nn.lecture)."""
    loss, _ = sample_loss()
    return step_through(loss)


def test_the_one_sample_mlp_stepper_is_laid_out_for_the_slide_with_larger_text(tmp_path, one_sample):
    stepper = one_sample
    page_before, storyboard_before = stepper.page_data(), stepper._storyboard()  # what the HTML and widget show
    assert stepper._scenes.look.rankdir == "TB" and len(stepper._collapsed) == 3  # fitted to a cell: L0, L1, L2
    path = tmp_path / "slides.pdf"
    small = _saved(stepper, path)
    pages = pdf_pages(path)
    assert [size for size, _ in pages] == [(1440, 810)] * len(stepper) == [(1440, 810)] * 8
    # The values' text: 12.0 px on the 1080-line slide when the cell's top-to-bottom layout was only scaled
    # to the page (before), 14.6 px laid out left to right for the page (now).
    texts = [_value_text(path, page) for page in range(1, len(stepper) + 1)]
    assert len({round(t, 3) for t in texts}) == 1  # one layout on every page
    assert texts[0] > 14.0, texts
    # Still under 20 px, it says so once, with the size it measured.
    assert len(small) == 1
    assert str(small[0].message).startswith("Stepper.save: on a 1920\u00d71080 slide the smallest text is 15 px at "
                                            "1080 lines (3 scopes as boxes, left to right;")
    # The captions are the stepper's, unchanged: only the layout changed.
    band = 810 - page_room(stepper._captions(), SLIDE)[1] - 12  # the caption band, above the picture
    for page, frame in enumerate(stepper, 1):
        caption = " ".join(html.unescape(word) for word, _, y, _, h in pdf_words(path, page) if y + h <= band)
        assert caption == " ".join(f"Frame {page} of 8. {frame.caption}".split())
    # The notebook's page and the widget keep the stepper's own layout.
    assert stepper._scenes.look.rankdir == "TB"
    assert stepper.page_data() == page_before and stepper._storyboard() == storyboard_before


def test_a_given_rankdir_is_kept_on_the_slide(tmp_path):
    loss, _ = sample_loss()
    stepper = step_through(loss, rankdir="TB")
    path = tmp_path / "tb.pdf"
    small = _saved(stepper, path)
    assert round(_value_text(path, 1), 1) == 12.0  # the cell's layout: top to bottom, scaled to the page
    assert len(small) == 1 and "top to bottom" in str(small[0].message)


def test_a_small_graphs_slides_have_text_of_20_px_or_more_and_no_warning(tmp_path, colah):
    stepper = step_through(colah["e"])
    path = tmp_path / "colah.pdf"
    assert _saved(stepper, path) == []
    assert _value_text(path, 1) >= 20


def test_a_stepper_made_for_slides_chooses_its_boxes_for_the_slide_and_saves_slides_by_default(tmp_path):
    loss, _ = sample_loss()
    stepper = step_through(loss, size=SLIDE)
    # Planned for the slide: the layers as boxes (the slide's largest text), left to right.
    assert stepper._collapsed == ("layers.0", "layers.1", "layers.2") and stepper._scenes.look.rankdir == "LR"
    path = tmp_path / "made.pdf"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stepper.save(path)  # size= comes from step_through
    assert len([w for w in caught if issubclass(w.category, SmallSlideText)]) == 1  # once
    assert [size for size, _ in pdf_pages(path)] == [(1440, 810)] * len(stepper)
    assert _value_text(path, 1) > 14.0  # as the cell's stepper saved with size=: 14.6 px
    assert stepper.save(tmp_path / "made.html").read_text().startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError, match=r"step_through: got size=\(1920, 0\); use \(width, height\) in pixels"):
        step_through(loss, size=(1920, 0))
