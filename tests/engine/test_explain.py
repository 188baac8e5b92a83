"""The hand check written out, as the lecture writes it."""

from pathgrad import Value, explain


def test_colah_de_db_written_out(colah):
    assert str(explain(colah["e"], colah["b"])) == "de/db = ∂e/∂c · ∂c/∂b + ∂e/∂d · ∂d/∂b = 2·1 + 3·1 = 5"


def test_colah_de_da_written_out(colah):
    assert str(explain(colah["e"], colah["a"])) == "de/da = ∂e/∂c · ∂c/∂a = 2·1 = 2"


def test_explanation_total_equals_backward(colah):
    explanation = explain(colah["e"], colah["b"])
    colah["e"].backward()
    assert explanation.total == colah["b"].grad
    assert [t.contribution for t in explanation.terms] == [2.0, 3.0]


def test_latex_form_for_jupyter(colah):
    latex = explain(colah["e"], colah["b"])._repr_latex_()
    assert latex == (
        r"$$\frac{\mathrm{d} e}{\mathrm{d} b} = \frac{\partial e}{\partial c} \cdot \frac{\partial c}{\partial b}"
        r" + \frac{\partial e}{\partial d} \cdot \frac{\partial d}{\partial b} = 2 \cdot 1 + 3 \cdot 1 = 5$$"
    )


def test_negative_factors_are_parenthesized(tanh_neuron):
    text = str(explain(tanh_neuron["o"], tanh_neuron["w1"]))
    assert text.startswith("do/dw1 = do/d(x1 * w1) · ∂(x1 * w1)/∂w1 = ")
    assert text.endswith("= 0.5·2 = 1")
    assert "(-1.5)" not in text
    assert str(explain(tanh_neuron["o"], tanh_neuron["x1"])).endswith("= 0.5·(-3) = -1.5")


def test_unlabeled_values_are_named_by_a_short_expression_or_else_t1_t2():
    x = Value(2.0, "x")
    y = (x * 3).tanh()
    assert str(explain(y, x)).startswith("dt1/dx = ∂t1/∂(x * 3) · ∂(x * 3)/∂x")


def test_the_root_with_respect_to_itself_is_1_and_an_unrelated_value_0(colah):
    assert str(explain(colah["e"], colah["e"])) == "de/de = 1"
    assert str(explain(colah["e"], Value(1.0, "z"))) == "de/dz = 0 (no path from z to e)"


def test_local_partials_are_written_with_a_curly_d_and_totals_with_d(colah):
    from pathgrad import derivative_name

    e, c, b = colah["e"], colah["c"], colah["b"]
    assert derivative_name(e, b) == "de/db" and derivative_name(c, b, local=True) == "∂c/∂b"
    text = str(explain(e, b))
    left, right = text.split(" = ", 1)
    assert left == "de/db" and right.count("∂") == 8  # four factors, each one edge's number
    f = e * c; f.label = "f"  # now d has one path to f, of two edges: df/dd is a total
    assert str(explain(f, b)) == "df/db = df/dc · ∂c/∂b + df/dd · ∂d/∂b = 12·1 + 9·1 = 21"


def test_x_times_x_shows_the_two_edges_as_partials_of_y():
    x = Value(3.0, "x"); y = x * x; y.label = "y"
    assert str(explain(y, x)) == "dy/dx = dy/dy · ∂y/∂x + dy/dy · ∂y/∂x = 1·3 + 1·3 = 6"


def test_the_ascii_form_reads_del_for_each_partial(colah):
    from pathgrad.engine import ascii_text

    text = ascii_text(str(explain(colah["e"], colah["b"])))
    assert text == "de/db = del e/del c * del c/del b + del e/del d * del d/del b = 2*1 + 3*1 = 5"
    assert text.isascii()
