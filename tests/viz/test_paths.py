"""draw_paths: one colour per path and a table whose sum is wrt.grad."""

import re

import pytest

from pathgrad import PathLimitExceeded, Value, count_paths
from pathgrad.viz import draw_paths, to_svg


def legend_numbers(source):
    """(products of the path rows, the sum) as printed in the legend table."""
    products = re.findall(r'<td align="right">([^<]+)</td>', source)
    total = re.findall(r'<td align="right"><b>([^<]+)</b></td>', source)[-1]  # the first is the header
    return products, total


def test_colah_paths_to_b_are_two_products_summing_to_b_grad(colah):
    e, b = colah["e"], colah["b"]
    e.backward()
    source = draw_paths(e, b).source
    assert "b → c → e" in source and "∂c/∂b × ∂e/∂c = 1 × 2" in source
    assert "b → d → e" in source and "∂d/∂b × ∂e/∂d = 1 × 3" in source
    assert legend_numbers(source) == (["2", "3"], "5")
    assert b.grad == 5.0
    assert "sum = de/db = 5" in source


def test_each_path_has_its_own_colour_and_shared_edges_carry_both(colah):
    source = draw_paths(colah["e"], colah["b"]).source
    assert 'v1 -> op2 [label=1 color="#0072B2"' in source
    assert 'v1 -> op4 [label=1 color="#D55E00"' in source
    # e's out edge carries both paths: two parallel edges, one in each path's colour
    assert 'op5 -> v5 [color="#0072B2" id=e5p0' in source and 'op5 -> v5 [color="#D55E00" id=e5p1' in source
    assert 'v0 -> op2 [color="#c4c4c4"' in source  # a is on no path from b


def test_repeated_operand_edges_each_get_their_own_path_colour():
    a = Value(3.0, "a")
    c = a * a
    c.label = "c"
    e = c * c
    e.label = "e"
    e.backward()
    source = draw_paths(e, a).source
    assert count_paths(e, a) == 4
    # The four paths take the four combinations of a copy of c's edge and a copy of a's:
    # paths 1, 2 through e's first c edge, paths 1, 3 through c's first a edge.
    blue, orange, green, pink = "#0072B2", "#D55E00", "#009E73", "#CC79A7"
    def colours(edge):
        return re.findall(rf'color="(#\w+)" id={edge}p\d', source)

    assert colours("e2_0") == [blue, orange] and colours("e2_1") == [green, pink]
    assert colours("e1_0") == [blue, green] and colours("e1_1") == [orange, pink]
    assert 'v1 -> op2 [label=9 color="#0072B2" id=e2_0p0' in source  # the local grad, once per edge
    products, total = legend_numbers(source)
    assert products == ["27"] * 4 and total == "108" and a.grad == 108.0  # e = a^4: 4 a^3


def test_path_sum_equals_wrt_grad_on_the_tanh_neuron(tanh_neuron):
    o, x1 = tanh_neuron["o"], tanh_neuron["x1"]
    o.backward()
    assert legend_numbers(draw_paths(o, x1).source)[1] == f"{x1.grad:.4g}"  # -1.5
    assert f"{x1.grad:.4g}" == "-1.5"


def test_past_the_path_limit_the_engine_error_comes_through():
    x = Value(1.0, "x")
    y = x
    for _ in range(5):
        y = y * y  # each level doubles the paths: 32
    with pytest.raises(PathLimitExceeded, match="32 paths"):
        draw_paths(y, x, limit=10)


def test_wrt_outside_the_graph_is_refused(colah):
    with pytest.raises(ValueError, match="draw_paths: wrt=.* is not a node of root's graph"):
        draw_paths(colah["e"], Value(1.0, "z"))


def test_paths_drawing_renders_to_svg(colah):
    svg = to_svg(draw_paths(colah["e"], colah["a"]))
    assert "a → c → e" in svg and "sum = de/da = 2" in svg


def test_past_seven_paths_each_path_keeps_a_style_of_its_own_and_rows_are_numbered():
    x = Value(1.5, "x")
    y = x
    for _ in range(2):
        y = y * y * y  # each level triples the paths: 9
    y.label = "y"
    source = draw_paths(y, x).source
    from pathgrad.viz.paths import path_style

    styles = [path_style(j) for j in range(9)]
    assert len(set(styles)) == 9  # colour and line style together tell all nine apart
    assert styles[7] == (styles[0][0], "dashed") and styles[8] == (styles[1][0], "dashed")
    for j in range(1, 10):
        assert f'<td align="left">{j}.</td><td width="56" fixedsize="true"><font' in source
    assert "■ ■" in source  # the dashed paths' swatch


def test_the_nine_paths_of_x_y_z_with_three_edges_each_have_nine_distinct_edge_looks():
    from pathgrad import operation

    x = Value(2.0, "X")
    y = operation("f", 8.0, [x, x, x], [1.0, 2.0, 3.0])
    y.label = "Y"
    z = operation("g", 1.0, [y, y, y], [1.0, 1.0, 1.0])
    z.label = "Z"
    source = draw_paths(z, x).source
    # Z's out edge is on all nine paths: drawn nine times side by side, each path's own colour and dash
    looks = re.findall(r'op2 -> v2 \[color="(#\w+)" id=e2p\d+ penwidth=2 style=(\w+)\]', source)
    assert len(looks) == 9 and len(set(looks)) == 9
    assert ("#0072B2", "dashed") in looks and ("#D55E00", "dashed") in looks  # paths 8 and 9
    assert len(set(re.findall(r'color="(#\w+)" id=e\d+_\dp\d+ penwidth=2 style=(\w+)', source))) == 9


def test_the_header_says_paths_from_wrt_to_root_by_their_names(colah):
    source = draw_paths(colah["e"], colah["b"]).source
    assert "<b>paths from b to e</b>" in source and "wrt" not in source
    a = Value(2.0, "a")
    y = a * 3
    y.label = "y"
    assert "<b>path from a to y</b>" in draw_paths(y, a).source  # one path: singular


def test_each_swatch_has_space_beside_it_whatever_the_browsers_font(colah):
    svg = to_svg(draw_paths(colah["e"], colah["b"]))
    texts = re.findall(r'<text text-anchor="start" x="([\d.]+)" y="([-\d.]+)"[^>]*>([^<]*)</text>', svg)
    for number in ("1.", "2."):
        y = next(y for _, y, text in texts if text == number)
        row = sorted((float(x), text) for x, ty, text in texts if ty == y)
        (number_x, first), (swatch_x, swatch), (route_x, route) = row[:3]
        assert (first, swatch) == (number, "■■") and route.startswith("b → ")
        # Drawn by a browser at 0.8 em a square (wider than fonts draw them), at 12 pt, the two squares
        # still leave 8 pt or more before the route, and the number ends well before them.
        assert route_x - (swatch_x + 2 * 0.8 * 12) >= 8
        assert swatch_x - number_x >= 20
