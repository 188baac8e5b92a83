"""An exercise as a page to print: its statements, its graph, boxes to write the answers in.

fpdf2 writes the page (pathgrad/viz/pdf.py), so pip alone prints one: the
graph is Graphviz's SVG (dot's, or its WebAssembly build's without dot)
drawn as vectors, never a picture of pixels. Its text prints as large as
the page allows, MIN_TEXT points (9) or more: the graph is laid out left to
right or top to bottom, across the page above the answer boxes or beside a
column of them, whichever gives the larger text. The answer key's numbers are rounded to the
digits the check needs (an answer is right within a relative 1e-6), each at
the same place in its box as every other box's.
"""

import math
import re
import textwrap
from typing import NamedTuple

from pathgrad.engine import derivative_name
from pathgrad.engine.validation import RefusedValue
from pathgrad.viz.pdf import FAMILY, document, place_svg
from pathgrad.viz.plan import svg_size

from .diagnose import RELATIVE

PAPERS = {"a4": (595, 842), "letter": (612, 792)}  # portrait, in points
MIN_TEXT = 9  # points: the graph's smallest text on paper
KEY_DIGITS = 1 - math.floor(math.log10(RELATIVE))  # 7: rounding to these is within RELATIVE of any number
_MARGIN = 36  # half an inch around the page
_BOX = (96, 54)  # an answer box, room for a number written by hand
_GAP = 8  # between boxes, and between the page's parts
_PAD = 5  # inside a box, before its question and its answer
_LARGEST_ENLARGING = 1.5  # a small graph is enlarged at most this much
_RANKSEP = "0.3"  # inches between ranks: half the screen's top-to-bottom gap, which leaves room for edge labels
_LEAST_WORKING = 90  # points kept blank for working under the boxes, when they are under the graph
_FONT_SIZE = re.compile(r'font-size="([\d.]+)"')


def worksheet_pdf(exercise, paper="a4", key=False):
    """The exercise as a one-page PDF (bytes) on `paper` ("a4" or "letter"); with key=True, the answers.

    >>> import pathgrad
    >>> page = worksheet_pdf(pathgrad.exercise(seed=3, level=2))
    >>> page.startswith(b"%PDF-"), b"/MediaBox [0 0 595.00 842.00]" in page
    (True, True)
    """
    if paper not in PAPERS:
        raise RefusedValue(f"worksheet_pdf: got paper={paper!r}; use one of {', '.join(PAPERS)}")
    width, height = PAPERS[paper]
    inside = width - 2 * _MARGIN
    pdf = document()
    pdf.add_page(format=(width, height))
    pdf.set_text_color(0)
    lines = str(exercise).splitlines()
    title, statements, instruction = lines[0], lines[2:-3], lines[-2]
    y = _MARGIN
    y = _lines(pdf, [title + (" (answer key)" if key else "")], y, 14)
    y = _lines(pdf, statements, y + _GAP / 2, 10, mono=True)
    y = _lines(pdf, textwrap.wrap(instruction, 90), y + _GAP / 2, 11)
    questions = exercise.questions
    plan = _plan(exercise, (inside, height - _MARGIN - y - _GAP), len(questions))
    graph_width, graph_height = (v * plan.scale for v in svg_size(plan.svg))
    top = y + _GAP
    column = plan.per_row * (_BOX[0] + _GAP) - _GAP  # the boxes' width
    if plan.beside:  # the graph on the left, the boxes on the right, working space under them
        place_svg(pdf, plan.svg, _MARGIN, top, graph_width, graph_height)
        boxes = (width - _MARGIN - column, top)
    else:  # the graph across the page, the boxes under it, working space under them
        place_svg(pdf, plan.svg, _MARGIN + (inside - graph_width) / 2, top, graph_width, graph_height)
        boxes = (_MARGIN, top + graph_height + _GAP)
    answers = exercise.solution() if key else {}
    pdf.set_draw_color(0)
    for i, name in enumerate(questions):
        left = boxes[0] + (i % plan.per_row) * (_BOX[0] + _GAP)
        box_top = boxes[1] + (i // plan.per_row) * (_BOX[1] + _GAP)
        pdf.rect(left, box_top, *_BOX)
        pdf.set_font(FAMILY, size=10)
        pdf.text(left + _PAD, box_top + _PAD + 10, f"{_asked(exercise, name)} =")
        if answers:  # each answer where every other box has its own: under the question, at its left
            pdf.set_font(FAMILY, size=12)
            pdf.text(left + _PAD, box_top + _PAD + 10 + _GAP + 12, key_number(answers[name]))
    working = boxes[1] + math.ceil(len(questions) / plan.per_row) * (_BOX[1] + _GAP)
    if height - _MARGIN - working >= 40:
        pdf.set_draw_color(150)
        pdf.line(boxes[0], working, width - _MARGIN, working)
        pdf.set_text_color(100)
        pdf.set_font(FAMILY, size=9)
        pdf.text(boxes[0], working + 12, "working")
    return bytes(pdf.output())


class Plan(NamedTuple):
    """Where a worksheet's graph goes: its SVG, its scale, the boxes in a row, whether they stand beside it."""

    svg: str
    scale: float
    per_row: int
    beside: bool
    text: float  # the graph's smallest text on paper, in points


def _plan(exercise, room, count):
    """The Plan giving the graph's smallest text the most points within `room` (width, height), for `count` boxes.

    Tried: laid out left to right and top to bottom; across the page with the
    boxes and LEAST_WORKING points under it, or beside a column of two boxes
    a row or of one. Where none reaches MIN_TEXT, the working space goes first.
    """
    layouts = []
    for rankdir in ("LR", "TB"):
        drawing = exercise.worksheet(rankdir=rankdir)
        drawing.graph_attr["ranksep"] = _RANKSEP
        svg = drawing.layout()
        layouts.append((svg, svg_size(svg), min(float(v) for v in _FONT_SIZE.findall(svg))))
    across = max(1, int((room[0] + _GAP) // (_BOX[0] + _GAP)))
    for working in (_LEAST_WORKING, 0):
        best = None
        for svg, size, smallest in layouts:
            for per_row, beside in ((across, False), (2, True), (1, True)):
                boxes = math.ceil(count / per_row) * (_BOX[1] + _GAP)
                if beside:
                    if boxes > room[1]:
                        continue
                    fits = (room[0] - per_row * (_BOX[0] + _GAP) - _GAP, room[1])
                else:
                    fits = (room[0], room[1] - _GAP - boxes - working)
                scale = min(_LARGEST_ENLARGING, fits[0] / size[0], fits[1] / size[1])
                plan = Plan(svg, scale, per_row, beside, scale * smallest)
                if best is None or plan.text > best.text + 1e-6:
                    best = plan
        if best.text >= MIN_TEXT:
            break
    return best


def _lines(pdf, lines, y, size, mono=False):
    """Write lines from y down in `size` points; the y below them."""
    for line in lines:
        pdf.set_font("courier" if mono else FAMILY, size=size)
        y += size * 1.25
        pdf.text(_MARGIN, y, line)
    return y


def _asked(exercise, key):
    """What a box asks for: the node's label, or a local partial written ∂c/∂a."""
    if exercise.asks != "local_grads":
        return key
    ((parent, k),) = exercise._questions[key].terms
    return derivative_name(parent, parent.children[k], local=True)


def key_number(x):
    """An answer as the key prints it: KEY_DIGITS significant digits, which the check accepts.

    >>> key_number(0.6065306597126334), key_number(-8.0), key_number(2.6931471805599454)
    ('0.6065307', '-8', '2.693147')
    """
    return f"{x:.{KEY_DIGITS}g}"
