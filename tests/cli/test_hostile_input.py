"""Every command and option fed garbage: exit status 2, one line on stderr, never a bug report or a traceback.

Each case changes one argument of a command line that works, so the refusal
is about that argument. The commands run in-process (main()), so a value no
shell could pass (a NUL byte) is tried too.
"""

import pytest

from pathgrad.cli import main

DIRECTORY = "folder.pdf"  # made in the test's folder: a folder where a file is wanted
MISSING = "no/such/folder/out.pdf"

HOSTILE = {
    "empty": "",
    "unicode digit": "٣",
    "superscript two": "²",
    "huge int": "9" * 4301,
    "nan": "nan",
    "control characters": "\x1b[2J\x07a\x00",
    "very long": "y" * 100_000,
    "a folder": DIRECTORY,
    "a missing folder": MISSING,
}

GRAPH = ["graph", "y = x * 2", "x=1"]
TRAIN = ["train", "--epochs", "1", "--hidden", "2"]
QUIZ = ["quiz", "--seed", "3", "--level", "2"]

# (name, the command line with VALUE where the hostile value goes)
CASES = [
    ("graph EXPR", ["graph", "VALUE", "x=1"]),
    ("graph NAME=VALUE", ["graph", "y = x * 2", "VALUE"]),
    ("graph NAME=VALUE value", ["graph", "y = x * 2", "x=VALUE"]),
    ("graph -o", GRAPH + ["-o", "VALUE"]),
    ("graph --format", GRAPH + ["-o", "y.svg", "--format", "VALUE"]),
    ("graph --rankdir", GRAPH + ["-o", "y.dot", "--rankdir", "VALUE"]),
    ("graph --steps", GRAPH + ["--steps", "VALUE"]),
    ("graph --collapse", GRAPH + ["-o", "y.dot", "--collapse", "VALUE"]),
    ("graph --around", GRAPH + ["-o", "y.dot", "--around", "VALUE"]),
    ("graph --depth", GRAPH + ["-o", "y.dot", "--around", "x", "--depth", "VALUE"]),
    ("graph --max-frames", GRAPH + ["--steps", "s.html", "--max-frames", "VALUE"]),
    ("graph --paths", GRAPH + ["--paths", "VALUE"]),
    ("graph --explain", GRAPH + ["--explain", "VALUE"]),
    ("check EXPR", ["check", "VALUE", "x=1"]),
    ("check NAME=VALUE", ["check", "x * 2", "VALUE"]),
    ("train --dataset", TRAIN + ["--dataset", "VALUE"]),
    ("train --hidden", ["train", "--epochs", "1", "--hidden", "VALUE,2"]),
    ("train --activation", TRAIN + ["--activation", "VALUE"]),
    ("train --loss", TRAIN + ["--loss", "VALUE"]),
    ("train --optimizer", TRAIN + ["--optimizer", "VALUE"]),
    ("train --lr", TRAIN + ["--lr", "VALUE"]),
    ("train --epochs", ["train", "--hidden", "2", "--epochs", "VALUE"]),
    ("train --batch-size", TRAIN + ["--batch-size", "VALUE"]),
    ("train --seed", TRAIN + ["--seed", "VALUE"]),
    ("train --save", TRAIN + ["--save", "VALUE"]),
    ("train --plot", TRAIN + ["--plot", "VALUE"]),
    ("quiz --seed", ["quiz", "--seed", "VALUE"]),
    ("quiz --level", ["quiz", "--level", "VALUE"]),
    ("quiz --asks", QUIZ + ["--asks", "VALUE"]),
    ("quiz -o", QUIZ + ["-o", "VALUE"]),
    ("quiz --format", QUIZ + ["-o", "-", "--format", "VALUE"]),
    ("quiz --paper", QUIZ + ["-o", "sheet.pdf", "--paper", "VALUE"]),
    ("quiz --key", QUIZ + ["-o", "sheet.pdf", "--key", "VALUE"]),
    ("quiz --answers", QUIZ + ["--answers", "VALUE"]),
    ("quiz --answers key", QUIZ + ["--answers", "VALUE=1"]),
    ("quiz --answers number", QUIZ + ["--answers", "a=VALUE"]),
    ("demo", ["demo", "VALUE"]),
    ("the command", ["VALUE"]),
]


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("template", [line for _, line in CASES], ids=[name for name, _ in CASES])
def test_garbage_is_refused_in_one_line_with_exit_status_2(template, value, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / DIRECTORY).mkdir()
    argv = [part.replace("VALUE", value) for part in template]
    try:
        status = main(argv)
    except SystemExit as stop:  # argparse's usage errors
        status = stop.code
    out, err = capsys.readouterr()
    for text in (out, err):
        assert "please report" not in text and "Traceback" not in text, err
    assert status == 2, (argv[:4], err[:300])
    lines = err.splitlines()
    assert err.endswith("\n") and err.startswith("pathgrad"), err[:600]
    # One line; an expression's syntax error adds its line with a caret under the column.
    assert len(lines) == 1 or (len(lines) == 3 and lines[2].strip() == "^" and "syntax error" in lines[0]), err[:600]
    assert len(err) < 2000  # the value is shown cut short, not echoed whole
    assert not any(path.name not in (DIRECTORY, "out") for path in tmp_path.iterdir())  # no file written


def test_a_quiz_answer_for_a_key_not_asked_names_the_keys_asked(pathgrad):
    result = pathgrad("quiz", "--seed", "3", "--level", "2", "--answers", "zz=1")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "pathgrad quiz: --answers: zz is not asked; the keys asked are a, b, c, d, e\n"
    )


@pytest.mark.parametrize("seed", ["²", "9" * 4301, "-1", "3.0", str(2**32)])
def test_an_odd_quiz_seed_is_refused_naming_the_range(pathgrad, seed):
    result = pathgrad("quiz", "--seed", seed)
    assert result.returncode == 2
    assert "is not a seed; give a whole number from 0 to 4294967295" in result.stderr
    assert "_whole" not in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "arguments",
    [
        ["graph", "y = x * 2", "x=1", "-o", "-", "--format", "dot"],
        ["quiz", "--seed", "3", "-o", "-", "--format", "dot"],
        ["train", "--epochs", "1", "--hidden", "2", "--save", "-"],
    ],
    ids=["graph", "quiz", "train"],
)
def test_dash_as_the_output_is_standard_output(pathgrad, tmp_path, arguments):
    result = pathgrad(*arguments)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "-").exists()
    assert result.stdout.startswith("digraph") or result.stdout.startswith("{")
    assert "wrote" not in result.stdout
