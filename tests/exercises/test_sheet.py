"""The worksheet's page: its graph printed at 9 pt or more, the key's numbers rounded as the check needs, pip alone."""

import math

import pytest

import pathgrad
from pathgrad.exercises.diagnose import RELATIVE
from pathgrad.exercises.sheet import KEY_DIGITS, MIN_TEXT, PAPERS, key_number, worksheet_pdf
from pathgrad.viz.pdf import FONT_FILE
from tests.content import pdf_ink, pdf_pages, pdf_words
from tests.viz.test_missing_dot import needs_wasm, run_without_dot


def _graph_text(path):
    """The graph's text size in points, measured on the page: the height poppler gives each word "data"
    (a value node's), over the shipped font's height per point (its ascent and descent, 1.164)."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_FILE)
    per_point = (font["hhea"].ascent - font["hhea"].descent) / font["head"].unitsPerEm
    return min(height / per_point for word, _, _, _, height in pdf_words(path) if word == "data")


# The largest graphs (level 3), and the other levels' widest and tallest, on both papers.
@pytest.mark.parametrize("level, seed", [(1, 0), (2, 2), (3, 0), (3, 1), (3, 5)])
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_the_worksheets_graph_prints_at_9_points_or_more_on_one_page(tmp_path, level, seed, paper):
    path = tmp_path / "sheet.pdf"
    path.write_bytes(worksheet_pdf(pathgrad.exercise(seed=seed, level=level), paper))
    [(size, text)] = pdf_pages(path)
    assert size == PAPERS[paper]
    assert _graph_text(path) >= MIN_TEXT == 9
    words = pdf_words(path)
    assert all(x >= 0 and y >= 0 and x + w <= size[0] and y + h <= size[1] for _, x, y, w, h in words)


def test_the_keys_numbers_are_rounded_to_the_digits_the_check_accepts_each_under_its_question(tmp_path):
    sheet = pathgrad.exercise(seed=0, level=3)
    path = tmp_path / "key.pdf"
    path.write_bytes(worksheet_pdf(sheet, key=True))
    words = pdf_words(path)
    solution = sheet.solution()
    assert KEY_DIGITS == 7 and key_number(solution["e"]) == "-1.103638"  # not -1.103638323514327
    for name, right in solution.items():
        shown = key_number(right)
        assert len(shown.lstrip("-0.").replace(".", "")) <= KEY_DIGITS  # significant digits
        assert math.isclose(float(shown), right, rel_tol=RELATIVE)  # the check would accept it
        assert sheet.check({**solution, name: float(shown)}).ok
        # In its box: under the box's question, at the same left edge, as every other box's answer.
        labels = [(x, y) for word, x, y, _, _ in words if word == name]
        assert any(word == shown and any(lx == x and 0 < y - ly < 54 for lx, ly in labels) for word, x, y, _, _ in words)
    # Unrounded answers such as -1.103638324 are not printed (the statements' values are, to 10 digits).
    unrounded = {f"{right:.10g}" for right in solution.values()} - {key_number(right) for right in solution.values()}
    unrounded -= set(str(sheet).split())
    assert unrounded and not unrounded & {word for word, *_ in words}


def test_key_number_keeps_seven_significant_digits_and_drops_trailing_zeros():
    assert [key_number(x) for x in (0.6065306597126334, -8.0, 2.25, 1e-9 / 3, 1234567.89)] == [
        "0.6065307", "-8", "2.25", "3.333333e-10", "1234568"]


@needs_wasm
def test_without_dot_a_worksheet_and_its_key_print(tmp_path):
    run_without_dot(
        f"""
        import pathgrad
        sheet = pathgrad.exercise(seed=3, level=2)
        sheet.save({str(tmp_path / "sheet.pdf")!r})
        sheet.save({str(tmp_path / "key.pdf")!r}, paper="letter", key=True)
        """
    )
    [(size, text)] = pdf_pages(tmp_path / "sheet.pdf")
    assert size == PAPERS["a4"] and "c = a * b" in text and "Find de/dx for every node x" in text
    [(size, text)] = pdf_pages(tmp_path / "key.pdf")
    assert size == PAPERS["letter"] and "answer key" in text and "-8" in text
    assert _graph_text(tmp_path / "sheet.pdf") >= MIN_TEXT
    assert 0.01 < pdf_ink(tmp_path / "sheet.pdf") < 0.5
