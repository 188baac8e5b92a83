"""`pathgrad check`: gradcheck's table, and its exit status."""

import pytest


def rows_of(stdout):
    """{input: (value, backward, numeric, ok)} from gradcheck's table."""
    rows = {}
    for line in stdout.splitlines()[1:-1]:
        name, value, backward, numeric, _, ok = line.split()
        rows[name] = (float(value), float(backward), float(numeric), ok)
    return rows


def test_colah_gradients_agree_and_exit_0(pathgrad):
    result = pathgrad("check", "c = a + b; d = b + 1; e = c * d", "a=2", "b=1")
    assert result.returncode == 0, result.stderr
    rows = rows_of(result.stdout)
    assert rows["a"][:2] == (2, 2) and rows["a"][2] == pytest.approx(2, rel=1e-6)
    assert rows["b"][:2] == (1, 5) and rows["b"][2] == pytest.approx(5, rel=1e-6)
    assert rows["a"][3] == rows["b"][3] == "yes"
    assert "all gradients agree" in result.stdout


def test_relu_at_its_kink_disagrees_and_exits_1(pathgrad):
    # backward takes relu'(0) = 0; the central difference straddles the kink: (eps - 0) / 2eps = 0.5
    result = pathgrad("check", "relu(x)", "x=0")
    assert result.returncode == 1
    assert rows_of(result.stdout)["x"] == (0, 0, 0.5, "NO")
    assert "some gradients DISAGREE" in result.stdout
    assert result.stderr == ""


def test_maximum_at_a_tie_disagrees_for_both_inputs(pathgrad):
    # ties send the whole gradient to the first operand; finite differences split it
    result = pathgrad("check", "maximum(x, y)", "x=1", "y=1")
    assert result.returncode == 1
    rows = rows_of(result.stdout)
    assert rows["x"] == (1, 1, pytest.approx(0.5), "NO")
    assert rows["y"] == (1, 0, pytest.approx(0.5), "NO")


def test_abs_at_zero_agrees_because_the_central_difference_is_zero_too(pathgrad):
    result = pathgrad("check", "abs(x)", "x=0")
    assert result.returncode == 0
    assert rows_of(result.stdout)["x"] == (0, 0, 0, "yes")


def test_every_input_is_checked_even_one_the_output_ignores(pathgrad):
    result = pathgrad("check", "u = unused * 3; tanh(x) * 2", "x=0.5", "unused=3")
    assert result.returncode == 0, result.stderr
    rows = rows_of(result.stdout)
    assert rows["unused"][1:3] == (0, 0)
    assert rows["x"][1] == pytest.approx(2 * (1 - 0.46211715726000974**2), rel=1e-6)


def test_an_input_no_statement_uses_is_refused_as_probably_mistyped(pathgrad):
    # Before, z=3 was checked with gradient 0 and "yes", hiding the typo.
    result = pathgrad("check", "tanh(x) * y", "x=0.5", "y=2", "z=3")
    assert result.returncode == 2
    assert result.stderr == "pathgrad check: input z is used by no statement; mistyped? The expression uses x, y\n"


def test_an_engine_error_at_a_nudged_input_is_bad_input(pathgrad):
    # sqrt is defined at 0 but not at 0 - eps, where the central difference looks
    result = pathgrad("check", "sqrt(x)", "x=0")
    assert result.returncode == 2
    assert "sqrt: got x = -1e-06" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_refuses_what_graph_refuses(pathgrad):
    result = pathgrad("check", "x.real", "x=1")
    assert result.returncode == 2
    assert "refused attribute access" in result.stderr
