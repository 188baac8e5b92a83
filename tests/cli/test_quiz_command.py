"""`pathgrad quiz`: the worksheet, the checked answers, and the exit status."""

import pytest

from tests.content import pdf_pages, svg_texts


def test_the_worksheet_is_printed_and_exits_0(pathgrad):
    result = pathgrad("quiz", "--seed", "3", "--level", "2")
    assert result.returncode == 0, result.stderr
    assert "Exercise (seed 3, level 2): backpropagate by hand." in result.stdout
    assert "  d = b * c   = -4" in result.stdout
    assert "  e = a * d   = 4   (the output)" in result.stdout


def test_right_answers_exit_0(pathgrad):
    result = pathgrad("quiz", "--seed", "3", "--level", "2", "--answers", "a=-8, b=4,c=-2")
    assert result.returncode == 0, result.stderr
    assert "3 of 3 right." in result.stdout


def test_a_wrong_answer_exits_1_with_its_diagnosis(pathgrad):
    result = pathgrad("quiz", "--seed", "3", "--level", "2", "--answers", "a=-8,b=-4")
    assert result.returncode == 1
    assert result.stderr == ""
    assert "b: your de/db = -4 has the wrong sign" in result.stdout
    assert "1 of 2 right" in result.stdout


def test_tangent_and_local_derivative_quizzes(pathgrad):
    tangents = pathgrad("quiz", "--seed", "3", "--level", "2", "--asks", "tangents", "--answers", "c=2,d=4,e=-8")
    assert tangents.returncode == 0, tangents.stdout
    local = pathgrad("quiz", "--seed", "3", "--level", "2", "--asks", "local-grads", "--answers", "de/dd=-1,dc/da=-1")
    assert local.returncode == 1
    assert "dc/da: your ∂c/∂a = -1 is a, the operand itself instead of the other one" in local.stdout


@pytest.mark.parametrize("name", ["sheet.svg", "sheet.pdf"])
def test_the_worksheet_is_saved_with_o(pathgrad, tmp_path, name):
    result = pathgrad("quiz", "--seed", "3", "--level", "2", "-o", name)
    assert result.returncode == 0, result.stderr
    assert f"wrote {name}" in result.stdout
    if name.endswith(".pdf"):  # the page: every statement, and the question
        [(_, text)] = pdf_pages(tmp_path / name)
        for statement in ("a = -1", "b = 2", "c = a * b", "d = b * c", "e = a * d", "(the output)"):
            assert statement in text, text
        assert "Find de/dx for every node x" in text
    else:  # the drawing: each node's name and data, and a blank grad for each
        texts = svg_texts(tmp_path / name)
        assert all(node in texts for node in "abcde") and "data -2" in texts  # c = a * b = -2
        assert texts.count("grad") == 5 and not any(t.startswith("grad ") for t in texts)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--answers", "a=2,b"], "'b' is not key=number"),
        (["--answers", "a=two"], "'two' is not a finite number"),
        (["--answers", "a=nan"], "'nan' is not a finite number"),
        (["--answers", "a=1,a=2"], "a is answered twice"),
        (["--answers", "z=1"], "--answers: z is not asked; the keys asked are a, b, c, d, e"),
        (["--seed", "-3"], "argument --seed: '-3' is not a seed; give a whole number from 0 to 4294967295"),
        (["--level", "4"], "argument --level: '4' is not a level; give a whole number from 1 to 3"),
        (["-o", "sheet.txt"], "-o sheet.txt: cannot tell the format"),
        (["--format", "svg"], "add -o FILE"),
        (["-o", "missing/sheet.svg"], "the folder"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_it(pathgrad, tmp_path, arguments, message):
    result = pathgrad("quiz", "--seed", "3", "--level", "2", *arguments)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("pathgrad quiz: ") and message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_bad_answers_write_no_worksheet(pathgrad, tmp_path):
    result = pathgrad("quiz", "--seed", "3", "--level", "2", "--answers", "a=x", "-o", "sheet.svg")
    assert result.returncode == 2
    assert not (tmp_path / "sheet.svg").exists()
