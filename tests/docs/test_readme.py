"""The README and every page of docs/ stay true: each code block runs, each link resolves, the picture is pathgrad's own.

A `python` block is run on its own in a fresh folder. An `sh` block is checked line by line as far
as a test can: a `pathgrad` command runs and must succeed, a `make` target must exist, and a
`python bench/...` line must name a script and options that exist (benchmarks are never timed here).
"""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import pathgrad

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEXT = {page.relative_to(ROOT).as_posix(): page.read_text() for page in PAGES}
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", flags=re.S | re.M)
LANGUAGES = {"python", "sh"}


def blocks(language):
    """(page, number, code) for every fenced block of that language; number counts all of its page's blocks."""
    found = []
    for name, text in TEXT.items():
        for number, (lang, code) in enumerate(FENCE.findall(text)):
            if lang == language:
                found.append((name, number, code))
    return found


def shell_lines():
    return [(name, line) for name, _, code in blocks("sh")
            for line in code.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def run_python(code, name):
    exec(compile(code, name, "exec"), {"__name__": "docs"})  # our own docs, not user input


def make_targets():
    return set(re.findall(r"^([\w.-]+):", (ROOT / "Makefile").read_text(), flags=re.M))


def run_shell_line(line, cwd):
    """Check one line of an sh block; raise AssertionError naming what is wrong."""
    argv = shlex.split(line, comments=True)
    if argv[0] == "pathgrad":
        done = subprocess.run([sys.executable, "-m", "pathgrad", *argv[1:]], cwd=cwd,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{line!r} exited {done.returncode}: {done.stderr}"
    elif argv[0] == "make":
        assert argv[1] in make_targets(), f"{line!r}: the Makefile has no target {argv[1]!r}"
    elif argv[0] == "python" and argv[1].startswith("bench/"):
        script = ROOT / argv[1]
        assert script.is_file(), f"{line!r}: no such script"
        usage = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True).stdout
        for option in (arg for arg in argv[2:] if arg.startswith("--")):
            assert option in usage, f"{line!r}: {argv[1]} has no option {option}"
    else:
        raise AssertionError(f"{line!r}: the docs test knows no way to check this command")


PYTHON = blocks("python")
SHELL = shell_lines()


def test_every_page_has_code_and_every_block_is_python_or_sh():
    assert len(PAGES) >= 10
    assert len(PYTHON) >= 12 and len(SHELL) >= 15
    languages = {lang for text in TEXT.values() for lang, _ in FENCE.findall(text)}
    assert languages == LANGUAGES, f"blocks this test would not run: {languages - LANGUAGES}"
    for name, text in TEXT.items():
        assert text.count("```") % 2 == 0, f"{name} has an unclosed code block"


@pytest.mark.parametrize("name,number,code", PYTHON, ids=[f"{n}:block-{i}" for n, i, _ in PYTHON])
def test_python_block_runs(name, number, code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_python(code, name)


@pytest.mark.parametrize("name,line", SHELL, ids=[f"{n}:{line}" for n, line in SHELL])
def test_shell_line_runs(name, line, tmp_path):
    run_shell_line(line, tmp_path)


def test_a_wrong_block_fails_the_test(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AssertionError):
        run_python("from pathgrad import Value\nassert (Value(2.0) * 3).data == 7.0\n", "wrong.md")
    with pytest.raises(ValueError):
        run_python("from pathgrad import Value\nValue(-1.0).log()\n", "wrong.md")
    for wrong in ['pathgrad graph "log(x)" x=-1', "pathgrad check \"relu(x)\" x=0", "pathgrad graph --no-such-flag x",
                  "make no-such-target", "python bench/run.py --no-such-option", "rm -rf /tmp/nothing"]:
        with pytest.raises(AssertionError):
            run_shell_line(wrong, tmp_path)


LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchor(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page):
    text = re.sub(FENCE, "", page.read_text())
    return {anchor(h) for h in re.findall(r"^#+ (.*)$", text, flags=re.M)}


def test_every_link_to_a_file_or_heading_resolves():
    checked = 0
    for name, text in TEXT.items():
        for target in LINK.findall(re.sub(FENCE, "", text)):
            if re.match(r"https?://", target):
                continue
            path, _, heading = target.partition("#")
            page = (ROOT / name).parent / path if path else ROOT / name
            assert page.exists(), f"{name} links to {target}, which does not exist"
            if heading:
                assert heading in anchors(page), f"{name} links to {target}: no such heading"
            checked += 1
    assert checked >= 30


def test_every_docs_page_is_linked_from_the_readme():
    linked = {target.partition("#")[0] for target in LINK.findall(TEXT["README.md"])}
    pages = {name for name in TEXT if name.startswith("docs/")}
    assert pages - linked == set()


def test_the_extras_the_docs_install_are_defined():
    pyproject = (ROOT / "pyproject.toml").read_text()
    defined = set(re.findall(r"^(\w+) = \[", pyproject.split("[project.optional-dependencies]")[1].split("\n[")[0],
                             flags=re.M))
    named = {extra for text in TEXT.values() for extra in re.findall(r"pip install[^`\n]*\.\[([a-z]+)\]", text)}
    assert named and named <= defined, f"extras the docs name but pyproject.toml lacks: {named - defined}"


def test_the_table_of_operations_is_the_engines_table():
    assert pathgrad.ops.markdown_table() in TEXT["docs/engine.md"]


COLAH = re.search(r"`(pathgrad graph [^`]*-o docs/colah\.svg)`", TEXT["README.md"]).group(1)


def draw_colah(path):
    argv = shlex.split(COLAH.replace("docs/colah.svg", str(path)))
    subprocess.run([sys.executable, "-m", "pathgrad", *argv[1:]], check=True, capture_output=True)
    return path.read_text()


def test_the_readme_picture_draws_the_dot_pathgrad_writes_today(tmp_path):
    assert draw_colah(tmp_path / "colah.dot") == (ROOT / "tests/docs/colah.dot").read_text()


def test_the_readme_picture_has_the_texts_nodes_and_edges_of_a_fresh_drawing(tmp_path):
    def contents(svg):  # never coordinates: they depend on the Graphviz build and its fonts
        return (sorted(re.findall(r"<text[^>]*>([^<]*)</text>", svg)),
                svg.count('class="node"'), svg.count('class="edge"'))

    committed = contents((ROOT / "docs/colah.svg").read_text())
    assert committed == contents(draw_colah(tmp_path / "colah.svg"))
    assert committed[1:] == (9, 9)  # a b c d e, the constant 1 and three ops; nine edges
    assert {"grad 5", "data 6"} <= set(committed[0])  # de/db = 5, e = 6


def test_every_speed_figure_names_its_baseline_and_workload():
    speed = TEXT["docs/speed.md"]
    assert "| moons demo step, MLP 2-16-16-1, 100 samples |" in speed
    for table in re.findall(r"^\| workload \|.*$", speed, flags=re.M):
        assert "micrograd" in table or "minimal Value" in table, f"a table without its baseline: {table}"
    assert "25.5x against `bench/minimal_value.py`" in speed and "microgpt's own Value: about 15x" in speed
    claims = 0
    for name, text in TEXT.items():
        prose = re.sub(r"`[^`\n]*`", "", re.sub(FENCE, "", text))  # code such as `2x` is no speed-up
        # a speed-up: 25.5×, about 250x, 15× faster; not a size such as 1400×1000
        for claim in re.findall(r"[^.\n]*(?:\b\d[\d.,]*[x×](?![\w×])|times faster)[^\n]*", prose):
            if name != "docs/speed.md":
                assert "micrograd" in claim and "speed.md" in claim, f"{name}: a speed-up without its baseline: {claim}"
                claims += 1
    assert claims >= 1  # the README's


def test_the_docs_give_the_core_s_size_to_within_five_percent():
    # here, not in tests/engine: those also run against an installed wheel (make test-pythons), without docs/
    lines = len((ROOT / "pathgrad" / "engine" / "_core.c").read_text(encoding="utf-8").splitlines())
    claimed = int(re.search(r"One C file \(about ([\d,]+) lines\)", TEXT["docs/why-c.md"]).group(1).replace(",", ""))
    assert abs(claimed - lines) <= 0.05 * lines, (claimed, lines)
