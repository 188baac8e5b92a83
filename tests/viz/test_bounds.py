"""Rendering is bounded: a time limit on Graphviz, and inputs it cannot take refused before it runs."""

import os
import subprocess
import sys
import time

import pytest

import pathgrad.viz.dot as render
from pathgrad import Value
from pathgrad.engine.validation import Refused
from pathgrad.viz import GraphvizTimeout, draw, save, to_svg
from pathgrad.viz.plan import TRIES
from pathgrad.viz.dot import MAX_STRING, graph_size
from tests.handshake import popen_waiting_for


def chain(n):
    """The statements of issue 19's chain: each one uses the one or two before it, and an input."""
    parts = ["s0 = x*y", "s1 = s0*x + y"]
    parts += [f"s{k} = s{k - 1}*s{k - 2} + {'x' if k % 2 == 0 else 'y'}" for k in range(2, n)]
    return "; ".join(parts)


def chain_value(n):
    x, y = Value(0.1, "x"), Value(0.2, "y")
    s = [x * y]
    s.append(s[0] * x + y)
    for k in range(2, n):
        s.append(s[k - 1] * s[k - 2] + (x if k % 2 == 0 else y))
    s[-1].backward()
    return s[-1]


@pytest.fixture
def slow_dot(tmp_path, monkeypatch):
    """A `dot` first on PATH that starts a child and never answers; both write their pids to a file.

    The handshake: starting it returns only once the pids are written (tests.handshake), so the
    time limit counts from a running dot and its running child, however loaded the machine.
    """
    folder = tmp_path / "bin"
    folder.mkdir()
    pids = tmp_path / "pids"
    script = folder / "dot"
    script.write_text(f'#!/bin/sh\nsleep 120 &\necho $$ $! > "{pids}"\nwait\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(subprocess, "Popen", popen_waiting_for(script, pids))
    return pids


def alive(pid):
    """Whether the process runs: it exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def gone(*pids, seconds=60):
    """Whether every process is gone within `seconds`: a SIGKILL sent to a process group is
    delivered when each member is next scheduled, later on a loaded machine (a hang guard; one
    that was never killed, such as dot's `sleep 120`, outlives it)."""
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


posix_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and runs a sh script")


def test_graph_size_counts_the_node_and_edge_statements_of_a_drawing():
    a = Value(2.0, "a")
    y = a * 3  # records a, 3 and y, and the * op node; edges a -> *, 3 -> *, * -> y
    assert graph_size(draw(y).source) == (4, 3)


@posix_only
def test_time_limit_stops_graphviz_and_its_children_names_the_size_and_writes_nothing(slow_dot, tmp_path):
    y = Value(2.0, "a") * 3
    path = tmp_path / "y.svg"
    with pytest.raises(GraphvizTimeout) as refused:
        save(y, path, timeout=0.5)
    message = str(refused.value)
    assert "\n" not in message
    assert "more than 0.5 s" in message and "4 nodes and 3 edges" in message
    assert "collapse=" in message and "around=node" in message and "timeout=" in message
    assert not path.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bin", "pids"]
    dot_pid, child_pid = map(int, slow_dot.read_text().split())
    assert gone(dot_pid, child_pid)


@posix_only
def test_to_svg_and_a_drawings_own_rendering_stop_at_their_time_limit(slow_dot):
    y = Value(2.0, "a") * 3
    with pytest.raises(GraphvizTimeout, match="more than 0.3 s"):
        to_svg(y, timeout=0.3)
    drawing = draw(y, width=None, timeout=0.2)
    with pytest.raises(GraphvizTimeout, match="more than 0.2 s"):
        drawing.svg()


@posix_only
def test_the_layouts_draw_tries_to_fit_share_one_time_limit(tmp_path, monkeypatch):
    # A dot that answers at once with a picture far too big, so that draw lays out its second
    # plan too (the chain: top to bottom, then left to right). Each start of it is logged. Its
    # first start moves the clock pathgrad reads (time.monotonic) on by the whole 5 s limit: the
    # first layout answers (at once, in real time) having "taken" all of it. No real time has to
    # pass, so the result does not depend on the load: with one shared limit nothing is left for
    # the second layout; with a limit each, the second fits as easily as the first.
    folder = tmp_path / "bin"
    folder.mkdir()
    big, log = tmp_path / "big.svg", tmp_path / "started"
    big.write_text('<svg width="9000pt" height="9000pt" viewBox="0.00 0.00 9000.00 9000.00">')
    script = folder / "dot"
    script.write_text(f'#!/bin/sh\necho dot >> "{log}"\ncat > /dev/null\ncat "{big}"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    y = chain_value(60)
    # two layouts, well within 20 s; both far too big to read, so the drawing is the line saying so
    shown = draw(y, timeout=20)._repr_mimebundle_()[0]
    assert list(shown) == ["text/plain"]
    assert shown["text/plain"].startswith("draw: too big to read: this graph of 121 values draws")
    assert log.read_text() == "dot\n" * 2  # both layouts were made

    real, skipped, cost = time.monotonic, [], [5.0]

    class Popen(subprocess.Popen):
        def __init__(self, args, *rest, **options):
            super().__init__(args, *rest, **options)
            if os.fspath(args[0]) == os.fspath(script):
                skipped[:] = cost

    monkeypatch.setattr(time, "monotonic", lambda: real() + sum(skipped))
    monkeypatch.setattr(subprocess, "Popen", Popen)
    log.unlink()
    with pytest.raises(GraphvizTimeout, match="more than 5 s"):
        draw(y, timeout=5)
    assert log.read_text() in ("dot\n", "dot\n" * 2)  # the first layout was made, in its time
    skipped.clear()
    cost[:] = [0.0]
    log.unlink()
    assert draw(y, timeout=5).graph_attr["rankdir"] in ("LR", "TB")  # the same, when no time is taken
    assert log.read_text() == "dot\n" * 2


def test_a_time_limit_that_is_not_a_positive_number_is_refused_naming_it():
    y = Value(2.0, "a") * 3
    for timeout in (0, -1, "30", float("nan")):
        with pytest.raises(Refused, match="timeout"):
            to_svg(y, timeout=timeout)


def test_label_over_graphvizs_16_kb_is_refused_before_graphviz_runs(monkeypatch, tmp_path):
    def no_graphviz(*args, **kwargs):
        raise AssertionError("Graphviz ran")

    monkeypatch.setattr(render.subprocess, "Popen", no_graphviz)
    y = Value(1.0, "x" * (MAX_STRING + 1)) * 2
    for path in (tmp_path / "y.svg", tmp_path / "y.dot"):
        with pytest.raises(ValueError) as refused:
            save(y, path)
        assert isinstance(refused.value, Refused)
        assert f"limit of {MAX_STRING} bytes" in str(refused.value)
        assert "shorten the label starting 'xxxx" in str(refused.value)
        assert not path.exists()


def test_label_just_under_the_limit_is_drawn():
    y = Value(1.0, "x" * 16000) * 2
    assert "x" * 16000 in to_svg(y)


def test_label_over_the_limit_counts_bytes_not_characters():
    assert "x" * 6000 in to_svg(Value(1.0, "x" * 6000) * 2)
    y = Value(1.0, "∂" * 6000) * 2  # 6,000 characters, 18,000 bytes in UTF-8, and the record's fields
    with pytest.raises(ValueError, match=r"a label of 180\d\d bytes is over Graphviz's limit of 16384 bytes"):
        to_svg(y)


@pytest.mark.parametrize("option, value, accepted", [
    ("scale", 1e9, "from 0.1 to 10"), ("scale", 0.01, "from 0.1 to 10"), ("scale", -1, "from 0.1 to 10"),
    ("fontsize", 100, "from 4 to 72"), ("fontsize", 1, "from 4 to 72"), ("fontsize", float("inf"), "from 4 to 72"),
])
def test_scale_and_fontsize_out_of_range_are_refused_naming_the_option_and_its_range(option, value, accepted):
    with pytest.raises(ValueError) as refused:
        draw(Value(2.0, "a") * 3, **{option: value})
    assert isinstance(refused.value, Refused)
    assert f"got {option} = {value!r}" in str(refused.value) and accepted in str(refused.value)


def test_the_ends_of_the_scale_and_fontsize_ranges_are_drawn():
    y = Value(2.0, "a") * 3
    assert 'fontsize=720 ' in draw(y, fontsize=72, scale=10).source  # 72 pt at ten times
    assert "<svg" in to_svg(y, fontsize=4, scale=0.1)


def test_a_graph_with_long_edges_is_laid_out_with_shared_edges_and_a_short_one_as_before():
    source = draw(chain_value(60)).source
    assert "concentrate=true" in source and "nslimit=1" in source
    assert "nslimit" not in draw(chain_value(5)).source and "concentrate" not in draw(chain_value(5)).source


def test_save_renders_the_svg_draw_laid_out_to_fit_without_a_layout_of_its_own(monkeypatch, tmp_path):
    runs = []
    run = render.run_graphviz

    def counted(source, format, *args, **kwargs):
        runs.append(format)
        return run(source, format, *args, **kwargs)

    monkeypatch.setattr(render, "run_graphviz", counted)
    draw(chain_value(60), timeout=90)
    drawn = len(runs)
    save(chain_value(60), tmp_path / "chain.svg", timeout=90)
    assert 1 <= drawn <= TRIES and runs == ["svg"] * 2 * drawn
    assert ">(t59 + y)<" in (tmp_path / "chain.svg").read_text()  # the output, named by its last step


def run_command(*args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "pathgrad", "graph", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env=env)


# `pathgrad graph ARGS...` with the slow dot's handshake in place (see slow_dot).
AFTER_HANDSHAKE = """
import subprocess, sys
from tests.handshake import popen_waiting_for
subprocess.Popen = popen_waiting_for(sys.argv[1], sys.argv[2])
sys.argv = ["pathgrad", "graph", *sys.argv[3:]]
from pathgrad.cli import main
raise SystemExit(main())
"""


def test_the_sixty_statement_chain_is_drawn_by_the_command_line(tmp_path):
    expression = chain(60)
    assert 1000 < len(expression) < 1200  # the 1.1 kB of issue 19
    # A time limit far past any machine's layout: a hang guard, so the chain must be drawn, not refused.
    done = run_command(expression, "x=0.1", "y=0.2", "-o", "chain.svg", "--timeout", "600", cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    svg = (tmp_path / "chain.svg").read_text()
    assert svg.startswith("<?xml") and all(f">s{k}<" in svg for k in range(60))
    nodes, _ = graph_size(draw(chain_value(60)).source)
    assert svg.count('class="node"') == nodes  # every node of the graph drawn


def test_command_line_time_limit_gives_one_line_status_1_and_no_file(tmp_path):
    done = run_command(chain(60), "x=0.1", "y=0.2", "-o", "chain.png", "--timeout", "0.001", cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    line = done.stderr
    assert line.startswith("pathgrad graph: Graphviz's dot took more than 0.001 s")
    nodes, edges = graph_size(draw(chain_value(60)).source)
    assert f"this graph of {nodes} nodes and {edges} edges" in line
    assert "--collapse NAME or --around NAME --depth K" in line and "--timeout SECONDS" in line
    assert list(tmp_path.iterdir()) == []


@posix_only
def test_command_line_time_limit_leaves_no_graphviz_running(slow_dot, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dot = slow_dot.parent / "bin" / "dot"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", AFTER_HANDSHAKE, str(dot), str(slow_dot), "y = x * 2", "x=1",
                           "-o", "y.svg", "--timeout", "0.5"], cwd=out, capture_output=True, text=True,
                          timeout=300, env=env)
    assert done.returncode == 1 and "more than 0.5 s" in done.stderr and "4 nodes and 3 edges" in done.stderr
    assert list(out.iterdir()) == []
    assert gone(*map(int, slow_dot.read_text().split()))


def test_command_line_refuses_a_label_over_the_limit_before_graphviz_runs(tmp_path):
    a, b = "名" * 3000, "前" * 3000  # 3 bytes each in UTF-8
    # The expression is 6,007 characters; the edge's tooltip, ∂a/∂b = 2, over 18 kB.
    done = run_command(f"{a} = {b} * 2", f"{b}=1", "-o", "y.svg", cwd=tmp_path,
                       env={**os.environ, "PATH": ""})  # no dot: the refusal comes first
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"limit of {MAX_STRING} bytes" in done.stderr and done.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_command_line_refuses_a_timeout_that_is_not_a_number_of_seconds(tmp_path):
    for text in ("0", "-3", "soon", "nan", "1e9"):
        done = run_command("y = x * 2", "x=1", "-o", "y.svg", "--timeout", text, cwd=tmp_path)
        assert done.returncode == 2 and "from 0.001 to 86400" in done.stderr, text
        assert done.stderr.count("\n") == 1
