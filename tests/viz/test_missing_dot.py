"""Without Graphviz's dot: drawings still build, rendering says how to install it."""

import subprocess
import sys
import textwrap


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


def test_rendering_without_dot_raises_graphviz_not_found_with_install_commands():
    out = run_without_dot(
        """
        import tempfile, os
        from pathgrad import Value
        from pathgrad.viz import GraphvizNotFound, draw, save, step_through, to_svg
        x = Value(2.0, "x") * 3
        for render in (lambda: to_svg(x),
                       lambda: draw(x)._repr_mimebundle_(),  # how Jupyter shows it inline
                       lambda: save(x, os.path.join(tempfile.mkdtemp(), "x.png")),
                       lambda: step_through(x)[1].svg):
            try:
                render()
            except GraphvizNotFound as error:
                print(error)
                print("----")
            else:
                print("rendered without dot?")
        print(step_through(x)[1].caption)
        """
    )
    messages = out.split("----")[:4]
    assert len(messages) == 4 and "rendered without dot?" not in out
    for message in messages:
        assert "not on PATH" in message
        for command in ("sudo apt-get install graphviz", "brew install graphviz",
                        "conda install -c conda-forge graphviz", "winget install graphviz"):
            assert command in message
    assert "Step 1 of 1" in out  # captions need no Graphviz


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
