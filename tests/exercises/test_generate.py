"""Exercises made from a seed: fixed graphs, the rules of each level, worksheets."""

import re
import subprocess
import sys

import pytest

import pathgrad
from pathgrad import all_paths, count_paths, topological_order
from pathgrad.exercises import Exercise
from tests.content import pdf_pages, svg_texts

# The graphs these seeds make, written down once: a change to the generator
# (or to Python's random()) shows up here.
FIXED = {
    (0, 1): ("e = c + d; f = b + e; g = a * f", {"a": 3, "b": 2, "c": -2, "d": 4}),
    (3, 1): ("d = b * c; e = a * d", {"a": -1, "b": 4, "c": 3}),
    (0, 2): ("c = a + b; d = b + c; e = a * d", {"a": -1, "b": -3}),
    (3, 2): ("c = a * b; d = b * c; e = a * d", {"a": -1, "b": 2}),
    (3, 3): ("c = log(b); d = b + c; e = a * d", {"a": 1.5, "b": 2}),
    (4, 3): ("d = b / c; e = a * d; f = a + e; g = a * f", {"a": -1, "b": 3, "c": -0.5}),
}


@pytest.mark.parametrize(("seed", "level"), sorted(FIXED))
def test_a_seed_makes_the_same_graph_every_time(seed, level):
    expression, inputs = FIXED[seed, level]
    sheet = pathgrad.exercise(seed=seed, level=level)
    assert sheet.expression == expression
    assert sheet.inputs == inputs


def test_a_seed_makes_the_same_graph_in_a_fresh_interpreter():
    code = "import pathgrad; print(pathgrad.exercise(seed=4, level=3).expression)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == FIXED[4, 3][0]


def test_seed_3_level_2_has_the_grads_worked_out_by_hand():
    # c = ab = -2, d = bc = -4, e = ad = 4; de/dd = a = -1, de/dc = de/dd * b = -2,
    # de/db = de/dc * a + de/dd * c = 2 + 2 = 4, de/da = de/dc * b + d = -4 - 4 = -8
    sheet = pathgrad.exercise(seed=3, level=2)
    assert sheet.root.data == 4.0
    assert sheet.solution() == {"a": -8.0, "b": 4.0, "c": -2.0, "d": -1.0, "e": 1.0}


@pytest.mark.parametrize("seed", range(20))
def test_level_1_is_a_tree_of_sums_and_products(seed):
    sheet = pathgrad.exercise(seed=seed, level=1)
    interior = [node for node in topological_order(sheet.root) if node.children]
    assert {node.op for node in interior} <= {"+", "*"}
    assert 2 <= len(interior) <= 3
    assert all(count_paths(sheet.root, node) == 1 for node in sheet.nodes.values())


@pytest.mark.parametrize("seed", range(20))
def test_level_2_shares_a_node_so_some_node_has_several_paths(seed):
    sheet = pathgrad.exercise(seed=seed, level=2)
    assert {node.op for node in sheet.nodes.values() if node.children} <= {"+", "*"}
    assert max(count_paths(sheet.root, node) for node in sheet.nodes.values()) >= 2


@pytest.mark.parametrize("seed", range(20))
def test_level_3_uses_a_function_or_a_division(seed):
    sheet = pathgrad.exercise(seed=seed, level=3)
    ops = {node.op for node in sheet.nodes.values() if node.children}
    assert ops - {"+", "*"} and ops <= {"+", "*", "/", "exp", "log", "tanh", "**2"}


@pytest.mark.parametrize("level", [1, 2, 3])
def test_every_node_of_an_exercise_is_labelled_and_reaches_the_output(level):
    for seed in range(10):
        sheet = pathgrad.exercise(seed=seed, level=level)
        order = topological_order(sheet.root)
        assert [node.label for node in order if node.label] and all(node.label for node in order)
        assert all(all_paths(sheet.root, node) for node in order)
        assert sheet.questions == sorted(sheet.questions)  # a, b, c, ... in the order written


def test_the_solution_is_what_backward_leaves_in_each_grad():
    sheet = pathgrad.exercise(seed=5, level=3)
    expected = sheet.solution()
    sheet.root.backward()
    assert expected == {label: node.grad for label, node in sheet.nodes.items()}


def test_a_tangents_exercise_follows_the_input_with_most_paths():
    sheet = pathgrad.exercise(seed=3, level=2, asks="tangents")
    assert sheet.wrt is sheet.nodes["a"]  # a reaches e by two paths, b by one... and by two
    assert sheet.solution() == {"a": 1.0, "b": 0.0, "c": 2.0, "d": 4.0, "e": -8.0}


def test_a_local_grads_exercise_asks_for_every_edge():
    sheet = pathgrad.exercise(seed=3, level=2, asks="local_grads")
    assert sheet.solution() == {
        "dc/da": 2.0, "dc/db": -1.0, "dd/db": -2.0, "dd/dc": 2.0, "de/da": -4.0, "de/dd": -1.0,
    }


def test_the_worksheet_text_lists_each_statement_with_its_value():
    text = str(pathgrad.exercise(seed=3, level=2))
    assert "  c = a * b   = -2" in text
    assert "  e = a * d   = 4   (the output)" in text
    assert "Find de/dx for every node x" in text


def test_the_worksheet_drawing_shows_values_and_blank_grads():
    source = pathgrad.exercise(seed=3, level=2).worksheet().source
    assert "c | data -2 | grad" in source  # a record's fields, in either direction (`{ ... }` left to right)
    assert "grad -" not in source and "grad 0" not in source


def test_the_worksheet_saves_as_pdf_and_svg(tmp_path):
    sheet = pathgrad.exercise(seed=1, level=2)
    assert (tmp_path / "s.pdf").exists() is False
    sheet.save(tmp_path / "s.pdf")
    sheet.save(tmp_path / "s.svg")
    statements = ["a = -2", "b = -2", "c = a + b", "d = a * c", "(the output)"]
    [(size, text)] = pdf_pages(tmp_path / "s.pdf")  # one page, with the statements and a box for each grad
    assert size[0] > 200 and size[1] > 200
    assert all(statement in text for statement in statements), text
    assert "Find dd/dx for every node x" in text and "a = b = c = d =" in text
    texts = svg_texts(tmp_path / "s.svg")  # the drawing: each node's name and data, its grad left blank
    for node, data in (("a", "data -2"), ("b", "data -2"), ("c", "data -4"), ("d", "data 8")):
        assert texts[texts.index(node) + 1] == data
    assert texts.count("grad") == 4 and not any(t.startswith("grad ") for t in texts)


def test_importing_pathgrad_does_not_import_the_exercises_or_viz():
    code = "import sys, pathgrad; print('pathgrad.exercises' in sys.modules, 'pathgrad.viz' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ({"seed": -1}, ValueError, "seed=-1"),
        ({"seed": 1.5}, TypeError, "seed=1.5"),
        ({"seed": "3"}, TypeError, "seed='3'"),
        ({"level": 4}, ValueError, "level=4"),
        ({"level": True}, TypeError, "level=True"),
        ({"asks": "hessian"}, ValueError, "asks='hessian'"),
        ({"asks": ["grads"]}, TypeError, "asks=['grads']"),
    ],
)
def test_bad_arguments_are_refused_naming_them(arguments, error, words):
    with pytest.raises(error, match=re.escape(words)):
        pathgrad.exercise(**arguments)


def test_an_exercise_of_ones_own_graph_needs_labels_and_known_ops():
    x = pathgrad.Value(1.0, "x")
    with pytest.raises(ValueError, match="no label"):
        Exercise(x * 2 + 1)
    y = x.sigmoid(); y.label = "y"
    with pytest.raises(ValueError, match="'sigmoid' node"):
        Exercise(y)
    with pytest.raises(TypeError, match="root must be a pathgrad Value"):
        Exercise(3.0)
