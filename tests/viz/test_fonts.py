"""Text is measured in the font it is drawn in: a PNG's labels stay inside the cells the layout sized for them.

Graphviz pads each record field's text by 8 pt on either side. Drawn in a font
wider than the one measured (DejaVu Sans on a layout measured in Times, as
drawing without dot did), "grad 2" lost half of that and all but touched its
walls. Measured here on the PNG's pixels, with dot and without it.
"""

import io
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from pathgrad.viz import save, theme, wasm

Image = pytest.importorskip("PIL.Image", reason="Pillow (the plot extra) reads the PNGs' pixels")

SVG = "{http://www.w3.org/2000/svg}"
DPI = 144  # 2 px a point
PADDING = 8  # pt: Graphviz's room either side of a record field's text
# The least room left between a text's ink and its cell's walls: 3/4 of the padding. (Ink starts a
# little inside a text's advance width, and a wall's stroke takes half a point.) Drawn in DejaVu
# Sans on Times's widths, "grad 2" had 3 to 4 pt; measured in the font it is drawn in, 8.
LEAST_ROOM = 0.75 * PADDING * DPI / 72  # px
INK = 48  # grey levels: darker than this is text's ink (#1a1a1a is 26; lines, #404040, are 64)

DRAWING = """
from pathgrad import Value
from pathgrad.viz import save
a, b = Value(2.0, "a"), Value(1.0, "b")
c = a + b; c.label = "c"
d = b + 1; d.label = "d"
e = c * d; e.label = "e"
e.backward()
save(e, "e.svg", dpi={dpi}); save(e, "e.png", dpi={dpi})
"""


def installed(family):
    """The file of fontconfig's regular `family`, or None where fontconfig has no such font."""
    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(["fc-match", "--format=%{family[0]}\t%{file}", f"{family}:style=Regular"],
                           capture_output=True, text=True, timeout=60).stdout
    name, _, path = found.partition("\t")
    return path if name == family else None


def needs(family, package):
    if installed(family) is None:
        pytest.skip(f"{family} is not installed (sudo apt-get install {package}; make test installs it)")


def room(svg, png, darker=INK):
    """{(node id, text): (left, right)}: pixels between each record field's ink and its cell's walls.

    The walls are found in the pixels: from the text's middle outward, the first column dark over
    the whole height of the cell's inside. The ink is the pixels in text's colour between them.
    """
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)
    root = ET.fromstring(svg)
    graph = root.find(f"{SVG}g")
    scale, _, _, dx, dy = map(float, re.findall(r"-?[\d.]+", graph.get("transform")))  # scale(s s) rotate(0) translate
    per_unit = grey.shape[1] / float(root.get("viewBox").split()[2]) * scale
    rooms = {}
    for node in graph.iter(f"{SVG}g"):
        outline = node.find(f"{SVG}polygon")
        if node.get("class") != "node" or outline is None or node.find(f"{SVG}polyline") is None:
            continue  # records only: their fields are split by polylines
        ys = [float(point.split(",")[1]) for point in outline.get("points").split()]
        top, bottom = ((y + dy) * per_unit for y in (min(ys), max(ys)))
        inside = grey[round(top) + 3:round(bottom) - 2]
        walls = (inside < 160).mean(axis=0) > 0.9  # lines are #404040 (64) on the fill's #f4f4f4 (244)
        # Ink is text's colour (#1a1a1a, 26), darker than any line: an arrowhead that dot draws a
        # pixel into the node is not text.
        ink_of = inside < darker
        for text in node.findall(f"{SVG}text"):
            middle = round((float(text.get("x")) + dx) * per_unit)
            left = middle - np.argmax(walls[middle::-1])
            right = middle + np.argmax(walls[middle:])
            ink = np.nonzero(ink_of[:, left + 1:right].any(axis=0))[0]
            assert len(ink), f"no ink darker than {darker} for {text.text!r} in {node.get('id')}"
            rooms[node.get("id"), text.text] = (int(ink[0]), int(right - left - 2 - ink[-1]))
    return rooms


def assert_roomy(svg, png):
    rooms = room(svg, png)
    assert {text for _, text in rooms} >= {"data 2", "grad 2", "grad 5"}, rooms
    tight = {key: sides for key, sides in rooms.items() if min(sides) < LEAST_ROOM}
    assert not tight, f"text within {LEAST_ROOM:g} px of its cell's walls: {tight}"


def draw_without_dot(folder, env, before=""):
    """(SVG, PNG) of colah's graph at DPI, saved by a fresh Python with `env` (its PATH without dot)."""
    done = subprocess.run([sys.executable, "-c", before + DRAWING.format(dpi=DPI)], cwd=folder,
                          env=dict(os.environ, **env), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return (folder / "e.svg").read_bytes(), (folder / "e.png").read_bytes()


def test_without_dot_a_png_is_drawn_in_liberation_sans_inside_the_cells_measured_for_it(tmp_path):
    needs("Liberation Sans", "fonts-liberation")
    # No dot on PATH, as on a machine without Graphviz; fontconfig's fc-match there, as on any Linux desktop.
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "fc-match").symlink_to(shutil.which("fc-match"))
    svg, png = draw_without_dot(tmp_path, {"PATH": os.pathsep.join([str(Path(sys.executable).parent), str(tools)])})
    assert set(re.findall(rb'font-family="([^"]*)"', svg)) == {theme.FONT.encode()}  # named as dot names it
    assert_roomy(svg, png)


def test_text_font_is_fontconfigs_liberation_sans_and_none_without_fontconfig(monkeypatch):
    needs("Liberation Sans", "fonts-liberation")
    monkeypatch.setattr(wasm, "text_font", wasm.text_font.__wrapped__)  # fresh answers, none cached
    assert wasm.text_font() == ("Liberation Sans", installed("Liberation Sans"))
    monkeypatch.setenv("PATH", "")  # no fc-match; and no macOS or Windows font files on Linux
    if sys.platform.startswith("linux"):
        assert wasm.text_font() is None


def test_without_a_metric_compatible_font_the_png_is_measured_and_drawn_in_dejavu_sans(tmp_path):
    needs("DejaVu Sans", "fonts-dejavu-core")
    # No dot and no fontconfig on PATH; and no Helvetica, Arial or Liberation Sans, whatever the OS has.
    unfound = "from pathgrad.viz import wasm; wasm.text_font = lambda: None\n"
    svg, png = draw_without_dot(tmp_path, {"PATH": ""}, before=unfound)
    assert set(re.findall(rb'font-family="([^"]*)"', svg)) == {theme.FONT.encode()}
    assert_roomy(svg, png)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed (make test installs it)")
def test_with_dot_a_png_is_drawn_in_the_font_dot_measured(colah, tmp_path):
    colah["e"].backward()
    save(colah["e"], tmp_path / "e.svg", dpi=DPI)
    save(colah["e"], tmp_path / "e.png", dpi=DPI)
    assert_roomy((tmp_path / "e.svg").read_bytes(), (tmp_path / "e.png").read_bytes())
