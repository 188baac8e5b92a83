"""The hand check written out, as the lecture writes it."""

from pathgrad import Value, explain


def test_colah_de_db_written_out(colah):
    assert str(explain(colah["e"], colah["b"])) == "de/db = de/dc * dc/db + de/dd * dd/db = 2*1 + 3*1 = 5"


def test_colah_de_da_written_out(colah):
    assert str(explain(colah["e"], colah["a"])) == "de/da = de/dc * dc/da = 2*1 = 2"


def test_explanation_total_equals_backward(colah):
    explanation = explain(colah["e"], colah["b"])
    colah["e"].backward()
    assert explanation.total == colah["b"].grad
    assert [t.contribution for t in explanation.terms] == [2.0, 3.0]


def test_latex_form_for_jupyter(colah):
    latex = explain(colah["e"], colah["b"])._repr_latex_()
    assert latex == (
        r"$$\frac{\partial e}{\partial b} = \frac{\partial e}{\partial c}\frac{\partial c}{\partial b}"
        r" + \frac{\partial e}{\partial d}\frac{\partial d}{\partial b} = 2 \cdot 1 + 3 \cdot 1 = 5$$"
    )


def test_negative_factors_are_parenthesized(tanh_neuron):
    text = str(explain(tanh_neuron["o"], tanh_neuron["w1"]))
    assert text.startswith("do/dw1 = do/d(x1 * w1) * d(x1 * w1)/dw1 = ")
    assert text.endswith("= 0.5*2 = 1")
    assert "(-1.5)" not in text
    assert str(explain(tanh_neuron["o"], tanh_neuron["x1"])).endswith("= 0.5*(-3) = -1.5")


def test_unlabeled_values_are_named_by_a_short_expression_or_else_t1_t2():
    x = Value(2.0, "x")
    y = (x * 3).tanh()
    assert str(explain(y, x)).startswith("dt1/dx = dt1/d(x * 3) * d(x * 3)/dx")


def test_the_root_with_respect_to_itself_is_1_and_an_unrelated_value_0(colah):
    assert str(explain(colah["e"], colah["e"])) == "de/de = 1"
    assert str(explain(colah["e"], Value(1.0, "z"))) == "de/dz = 0 (no path from z to e)"
