"""Lecture 002's gradient check: central differences against backward, by relative error."""

import pytest

from pathgrad import GradcheckError, gradcheck


def test_rows_are_named_by_names_and_compare_backward_with_finite_differences():
    result = gradcheck(lambda t1, t2: (t1 * t2 * 2.0 - 3.0) ** 2, [0.5, -1.5], names=["t1", "t2"])
    assert result.ok
    assert [row.name for row in result.rows] == ["t1", "t2"]
    assert [row.name for row in gradcheck(lambda a, b: a * b, [1.0, 2.0]).rows] == ["x0", "x1"]
    residual = 0.5 * -1.5 * 2.0 - 3.0
    assert result.rows[0].analytic == pytest.approx(2 * residual * 2.0 * -1.5)
    assert result.rows[0].numeric == pytest.approx(result.rows[0].analytic, rel=1e-8)


def test_relative_error_is_zero_when_both_gradients_are_zero():
    result = gradcheck(lambda x, y: x * 1.0, [1.0, 2.0])
    assert result.rows[1].relative_error == 0.0 and result.rows[1].ok


def test_a_wrong_gradient_fails_and_the_table_says_so():
    result = gradcheck(lambda x: x.relu(), [0.0])  # finite difference straddles the kink: 0.5 vs 0
    assert not result.ok and not result
    assert "DISAGREE" in str(result)
    assert result.rows[0].relative_error == pytest.approx(1.0)


def test_raise_on_failure_raises_with_the_table():
    with pytest.raises(GradcheckError, match="DISAGREE"):
        gradcheck(lambda x: x.relu(), [0.0], raise_on_failure=True)


def test_f_must_return_a_value():
    with pytest.raises(TypeError, match="gradcheck: f returned float"):
        gradcheck(lambda x: 1.0, [1.0])


def test_table_lists_value_backward_numeric_and_error():
    text = str(gradcheck(lambda a, b: (a + b) * (b + 1), [2, 1], names="ab"))
    lines = text.splitlines()
    assert lines[0].split() == ["input", "value", "backward", "numeric", "rel.", "error", "ok"]
    assert lines[2].split()[:3] == ["b", "1", "5"]


def test_names_must_match_the_inputs():
    with pytest.raises(ValueError, match="gradcheck: got 1 names for 2 inputs"):
        gradcheck(lambda a, b: a * b, [1.0, 2.0], names=["a"])


@pytest.mark.parametrize("f, x", [
    (lambda x: x.log(), 1e5),
    (lambda x: x ** 3, 1e5),
    (lambda x: (x * 2).exp(), 1e-300),
    (lambda x: x.tanh() * 3 + x, 1e-300),
])
def test_the_step_is_relative_so_correct_gradients_pass_at_large_and_tiny_inputs(f, x):
    assert gradcheck(f, [x]).ok


def test_an_absolute_step_would_have_failed_at_1e5():
    x = 1e5  # the absolute step 1e-6 of before: rounding in x**3 ~ 1e15 swamps the difference
    numeric = ((x + 1e-6) ** 3 - (x - 1e-6) ** 3) / 2e-6
    assert abs(numeric - 3 * x * x) / (numeric + 3 * x * x) > 1e-6
    assert gradcheck(lambda v: v**3, [x]).ok
