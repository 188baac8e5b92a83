"""`pathgrad graph`: the printed gradients, paths and chain rule, and the files it writes."""

import math
import os
import re

import pytest

COLAH = "c = a + b; d = b + 1; e = c * d"


def test_colah_table_has_every_named_value_with_the_lecture_gradients(pathgrad, table):
    result = pathgrad("graph", COLAH, "a=2", "b=1", "-o", "e.svg")
    assert result.returncode == 0, result.stderr
    assert table(result.stdout) == {
        "a": (2, 2),
        "b": (1, 5),
        "c": (3, 2),
        "d": (2, 3),
        "e": (6, 1),
    }
    assert "grad = de/d(name)" in result.stdout


def test_svg_drawing_is_written_with_the_named_values(pathgrad, tmp_path):
    result = pathgrad("graph", COLAH, "a=2", "b=1", "-o", "e.svg")
    assert result.returncode == 0, result.stderr
    svg = (tmp_path / "e.svg").read_text()
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "grad 5" in svg  # b's record
    assert "wrote e.svg" in result.stdout


def test_tanh_neuron_gradients_are_micrographs_hand_checked_numbers(pathgrad, table):
    result = pathgrad(
        "graph", "n = x1*w1 + x2*w2 + b; o = tanh(n)",
        "x1=2", "x2=0", "w1=-3", "w2=1", "b=6.8813735870195432",
    )
    assert result.returncode == 0, result.stderr
    rows = table(result.stdout)
    assert rows["o"][0] == pytest.approx(0.707107, abs=1e-6)
    assert rows["n"][1] == pytest.approx(0.5, abs=1e-6)
    assert rows["x1"][1] == pytest.approx(-1.5, abs=1e-6)
    assert rows["w1"][1] == pytest.approx(1.0, abs=1e-6)
    assert rows["x2"][1] == pytest.approx(0.5, abs=1e-6)
    assert rows["w2"][1] == 0


def test_lecture_003_loss_gradients_match_their_closed_forms(pathgrad, table):
    # L = (t1 t2 x - y)^2: dL/dt1 = 2(t1 t2 x - y) x t2, dL/dt2 = 2(t1 t2 x - y) x t1
    t1, t2, x, y = 2.0, 3.0, 0.5, 1.0
    result = pathgrad("graph", "L = (t1*t2*x - y)**2", "t1=2", "t2=3", "x=0.5", "y=1")
    assert result.returncode == 0, result.stderr
    rows = table(result.stdout)
    residual = t1 * t2 * x - y
    assert rows["L"] == (residual**2, 1)
    assert rows["t1"][1] == 2 * residual * x * t2 == 6
    assert rows["t2"][1] == 2 * residual * x * t1 == 4
    assert rows["y"][1] == -2 * residual


def test_unnamed_output_gets_a_row_named_by_its_expression(pathgrad, table):
    result = pathgrad("graph", "(a + b) * (b + 1)", "a=2", "b=1")
    assert result.returncode == 0, result.stderr
    assert table(result.stdout) == {"a": (2, 2), "b": (1, 5), "((a + b) * (b + 1))": (6, 1)}


def test_paths_from_b_are_listed_with_products_that_sum_to_the_gradient(pathgrad):
    result = pathgrad("graph", COLAH, "a=2", "b=1", "--paths", "b")
    assert result.returncode == 0, result.stderr
    assert "paths from b to e: 2" in result.stdout
    assert "  b -> c -> e: ∂c/∂b * ∂e/∂c = 1 * 2 = 2" in result.stdout
    assert "  b -> d -> e: ∂d/∂b * ∂e/∂d = 1 * 3 = 3" in result.stdout
    assert "sum of the products: 2 + 3 = 5; backward gives de/db = 5" in result.stdout


def test_a_repeated_operand_is_two_paths(pathgrad):
    result = pathgrad("graph", "y = x * x", "x=3", "--paths", "x")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("  x -> y: ∂y/∂x = 3") == 2
    assert "3 + 3 = 6; backward gives dy/dx = 6" in result.stdout


def test_explain_writes_out_the_chain_rule_for_b(pathgrad):
    result = pathgrad("graph", COLAH, "a=2", "b=1", "--explain", "b")
    assert result.returncode == 0, result.stderr
    assert "de/db = ∂e/∂c · ∂c/∂b + ∂e/∂d · ∂d/∂b = 2·1 + 3·1 = 5" in result.stdout


def test_options_may_come_between_the_inputs(pathgrad, table, tmp_path):
    result = pathgrad("graph", COLAH, "a=2", "-o", "e.dot", "b=1")
    assert result.returncode == 0, result.stderr
    assert table(result.stdout)["b"] == (1, 5)
    assert (tmp_path / "e.dot").exists()


@pytest.mark.parametrize(
    "name, start",
    [("e.svg", b"<?xml"), ("e.png", b"\x89PNG"), ("e.pdf", b"%PDF"), ("e.dot", b"digraph")],
)
def test_format_follows_the_extension(pathgrad, tmp_path, name, start):
    result = pathgrad("graph", COLAH, "a=2", "b=1", "-o", name)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / name).read_bytes().startswith(start)
    assert sorted(os.listdir(tmp_path)) == [name]  # no temporary files left behind


def test_format_option_overrides_the_extension(pathgrad, tmp_path):
    result = pathgrad("graph", COLAH, "a=2", "b=1", "-o", "drawing.out", "--format", "png")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "drawing.out").read_bytes().startswith(b"\x89PNG")


def test_rankdir_and_local_grads_reach_the_drawing(pathgrad, tmp_path):
    result = pathgrad("graph", COLAH, "a=2", "b=1", "-o", "e.dot", "--rankdir", "TB", "--local-grads")
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "e.dot").read_text()
    assert "rankdir=TB" in source
    assert 'label=2 id=e5_0 tooltip="∂e/∂c = 2"' in source and 'label=3 id=e5_1 tooltip="∂e/∂d = 3"' in source


def test_without_local_grads_the_edges_are_unlabelled(pathgrad, tmp_path):
    result = pathgrad("graph", COLAH, "a=2", "b=1", "-o", "e.dot")
    assert result.returncode == 0, result.stderr
    assert re.findall(r"-> op\d+ \[label=", (tmp_path / "e.dot").read_text()) == []


def test_steps_page_replays_backward_one_node_at_a_time(pathgrad, tmp_path):
    result = pathgrad("graph", COLAH, "a=2", "b=1", "--steps", "e-steps.html")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "e-steps.html").read_text()
    assert "<title>backward pass of e" in page
    assert "Frame 2 of 5. e, the root, has its full grad" in page and "Frame 4 of 5. c has its full grad" in page
    assert "wrote e-steps.html" in result.stdout


def test_dot_source_needs_no_graphviz_program(pathgrad, tmp_path):
    result = pathgrad("graph", COLAH, "a=2", "b=1", "-o", "e.dot", env={**os.environ, "PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "e.dot").read_text().startswith("digraph")


def test_negative_literal_is_a_constant_and_leading_minus_needs_a_space(pathgrad, table):
    result = pathgrad("graph", " -x * -2", "x=3")
    assert result.returncode == 0, result.stderr
    assert table(result.stdout)["x"] == (3, 2)


def test_expression_after_double_dash_may_start_with_minus(pathgrad, table):
    result = pathgrad("graph", "--paths", "x", "--", "-x * 2", "x=3")
    assert result.returncode == 0, result.stderr
    assert table(result.stdout)["x"] == (3, -2)
    assert "  x -> -x -> (-x * 2): ∂(-x)/∂x * ∂(-x * 2)/∂(-x) = (-1) * 2 = -2" in result.stdout


def test_expression_right_after_double_dash_may_start_with_minus_without_a_space(pathgrad, table):
    result = pathgrad("graph", "--", "-x*2", "x=3")
    assert result.returncode == 0, result.stderr
    assert table(result.stdout)["x"] == (3, -2)


def test_drawing_to_standard_output_keeps_stdout_for_the_drawing(pathgrad, table, tmp_path):
    result = pathgrad("graph", "y = x * 2", "x=3", "-o", "-", "--format", "dot")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("digraph")
    assert table(result.stderr)["x"] == (3, 2)  # the table goes to stderr instead
    assert os.listdir(tmp_path) == []


def test_every_function_of_the_language_evaluates_with_its_derivative(pathgrad, table):
    program = (
        "s = sum(exp(x), log(x), sqrt(x), tanh(x), sigmoid(x), relu(x), leaky_relu(x - 2, 0.1), "
        "gelu(x), softplus(x), sin(x), cos(x), abs(x), maximum(x, 1), minimum(x, 1), x ** y, 2 ** x)"
    )
    result = pathgrad("graph", program, "x=0.5", "y=3")
    assert result.returncode == 0, result.stderr
    x, y = 0.5, 3.0
    sigmoid = 1 / (1 + math.exp(-x))
    phi = 0.5 * (1 + math.erf(x / math.sqrt(2)))
    value = (
        math.exp(x) + math.log(x) + math.sqrt(x) + math.tanh(x) + sigmoid + x + 0.1 * (x - 2)
        + x * phi + math.log1p(math.exp(x)) + math.sin(x) + math.cos(x) + x + 1 + x + x**y + 2**x
    )
    slope = (
        math.exp(x) + 1 / x + 0.5 / math.sqrt(x) + 1 - math.tanh(x) ** 2 + sigmoid * (1 - sigmoid)
        + 1 + 0.1 + phi + x * math.exp(-x * x / 2) / math.sqrt(2 * math.pi) + sigmoid
        + math.cos(x) - math.sin(x) + 1 + 0 + 1 + y * x ** (y - 1) + 2**x * math.log(2)
    )
    rows = table(result.stdout)
    assert rows["s"][0] == pytest.approx(value, rel=1e-5)
    assert rows["x"][1] == pytest.approx(slope, rel=1e-5)
    assert rows["y"][1] == pytest.approx(x**y * math.log(x), rel=1e-5)
