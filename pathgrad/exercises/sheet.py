"""An exercise as a page to print: its statements, its graph fitted to the page width, boxes to write in.

Graphviz lays the page out as one HTML-like table, so no PDF library is
needed: the graph is rendered to a 300 dpi PNG and placed in a cell scaled
to the page's width. Graphviz sizes a PDF to its drawing, so the page is
drawn once to measure it, then again as a table of the paper's size, with a
blank area for working below the answer boxes.
"""

import html
import os
import re
import struct
import tempfile
import textwrap

from pathgrad.engine import derivative_name
from pathgrad.engine.validation import RefusedValue
from pathgrad.viz.dot import run_graphviz

PAPERS = {"a4": (595, 842), "letter": (612, 792)}  # portrait, in points
_MARGIN = 36  # half an inch around the page
_DPI = 300
_BOX = (96, 54)  # an answer box, room for a number written by hand
_LARGEST_ENLARGING = 1.5  # a small graph is enlarged at most this much
_MOST_GRAPH_HEIGHT = 0.45  # of the page


def worksheet_pdf(exercise, paper="a4", key=False):
    """The exercise as a one-page PDF (bytes) on `paper` ("a4" or "letter"); with key=True, the answers.

    >>> import pathgrad
    >>> page = worksheet_pdf(pathgrad.exercise(seed=3, level=2))
    >>> page.startswith(b"%PDF-"), b"/MediaBox [ 0 0 595 842 ]" in page
    (True, True)
    """
    if paper not in PAPERS:
        raise RefusedValue(f"worksheet_pdf: got paper={paper!r}; use one of {', '.join(PAPERS)}")
    width, height = PAPERS[paper]
    with tempfile.TemporaryDirectory(prefix="pathgrad-sheet-") as folder:
        picture = os.path.join(folder, "graph.png")
        drawing = exercise.worksheet()
        drawing.attr(dpi=str(_DPI))
        png = drawing.pipe(format="png")
        with open(picture, "wb") as file:
            file.write(png)
        pixels = struct.unpack(">II", png[16:24])
        graph = [n * 72 / _DPI for n in pixels]
        inside = width - 2 * _MARGIN - 24
        scale = min(_LARGEST_ENLARGING, inside / graph[0], _MOST_GRAPH_HEIGHT * height / graph[1])
        graph_size = (round(graph[0] * scale), round(graph[1] * scale))
        answers = exercise.solution() if key else {}
        first = _render(_page(exercise, picture, graph_size, inside, answers, 0), width, height)
        working = max(0, height - _page_height(first) - 8)
        page = (width - 2 * _MARGIN, height - 2 * _MARGIN)
        return _render(_page(exercise, picture, graph_size, inside, answers, working, page), width, height)


def _render(label, width, height):
    size = f"{(width - 2 * _MARGIN) / 72:.3f},{(height - 2 * _MARGIN) / 72:.3f}"
    source = (
        f'digraph worksheet {{ size="{size}"; margin={_MARGIN / 72}; pad=0; '
        f"node [shape=plaintext fontname=Helvetica margin=0]; page [label={label}] }}"
    )
    return run_graphviz(source, "pdf")


def _page_height(pdf):
    box = re.search(rb"/MediaBox \[ ?([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) ?\]", pdf)
    return float(box.group(4)) - float(box.group(2))


def _page(exercise, picture, graph_size, inside, answers, working, page=None):
    """The page as one Graphviz HTML-like table: title, statements, graph, answer boxes, working space."""
    lines = str(exercise).splitlines()
    title, statements, instruction = lines[0], lines[2:-3], lines[-2]
    rows = [f'<TR><TD ALIGN="LEFT"><B>{_text(title)}</B>{" (answer key)" if answers else ""}</TD></TR>']
    rows += [f'<TR><TD ALIGN="LEFT"><FONT FACE="Courier">{_text(line)}</FONT></TD></TR>' for line in statements]
    rows += [f'<TR><TD ALIGN="LEFT">{_text(line)}</TD></TR>' for line in textwrap.wrap(instruction, 80)]
    rows.append(
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{graph_size[0]}" HEIGHT="{graph_size[1]}">'
        f'<IMG SRC="{html.escape(picture)}" SCALE="TRUE"/></TD></TR>'
    )
    per_row = max(1, int(inside // (_BOX[0] + 8)))
    keys = exercise.questions
    boxes = []
    for start in range(0, len(keys), per_row):
        cells = "".join(
            f'<TD FIXEDSIZE="TRUE" WIDTH="{_BOX[0]}" HEIGHT="{_BOX[1]}" BORDER="1" VALIGN="TOP" ALIGN="LEFT">'
            f'<FONT POINT-SIZE="10">{_text(_asked(exercise, key))} =</FONT>'
            + (f'<BR/><FONT POINT-SIZE="12">{_text(_number(answers[key]))}</FONT>' if answers else "")
            + "</TD>"
            for key in keys[start:start + per_row]
        )
        boxes.append(f"<TR>{cells}</TR>")
    rows.append(f'<TR><TD ALIGN="LEFT"><TABLE BORDER="0" CELLSPACING="8">{"".join(boxes)}</TABLE></TD></TR>')
    if working > 40:
        rows.append(
            f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{inside}" HEIGHT="{int(working)}" BORDER="1" SIDES="T" '
            f'VALIGN="TOP" ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="gray40">working</FONT></TD></TR>'
        )
    fixed = f' FIXEDSIZE="TRUE" WIDTH="{page[0]}" HEIGHT="{page[1]}"' if page else ""
    return f'<<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="2"{fixed}>{"".join(rows)}</TABLE>>'


def _asked(exercise, key):
    """What a box asks for: the node's label, or a local partial written ∂c/∂a."""
    if exercise.asks != "local_grads":
        return key
    ((parent, k),) = exercise._questions[key].terms
    return derivative_name(parent, parent.children[k], local=True)


def _number(x):
    return f"{x:.10g}"


def _text(line):
    """A line as HTML-like label text: escaped, spaces kept, never empty."""
    return html.escape(line).replace("  ", "&#160; ") or "&#160;"
