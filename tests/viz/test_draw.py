"""draw and to_svg: records, op nodes, local grads, determinism, limits."""

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from pathgrad import Value, weighted_sum
from pathgrad.viz import draw, to_svg

GOLDEN = Path(__file__).with_name("golden")
SVG = "{http://www.w3.org/2000/svg}"


def test_colah_drawing_matches_the_reviewed_golden_dot_source(colah):
    colah["e"].backward()
    source = draw(colah["e"]).source
    assert source == (GOLDEN / "colah.dot").read_text()
    # The lecture's numbers, as the golden file shows them.
    for record in ["{ a | data 2 | grad 2 }", "{ b | data 1 | grad 5 }", "{ c | data 3 | grad 2 }",
                   "{ d | data 2 | grad 3 }", "{ e | data 6 | grad 1 }"]:
        assert record in source


def test_colah_drawing_with_local_grads_matches_the_reviewed_golden_dot_source(colah):
    colah["e"].backward()
    source = draw(colah["e"], show_local_grads=True).source
    assert source == (GOLDEN / "colah_local_grads.dot").read_text()
    # Each edge is labelled with its number; its derivative in full is the tooltip.
    for number, derivative in [(1, "∂c/∂a"), (1, "∂c/∂b"), (1, "∂d/∂b"), (1, "∂d/∂1"), (2, "∂e/∂c"), (3, "∂e/∂d")]:
        assert f'label={number} id=' in source and f'tooltip="{derivative} = {number}"' in source
    assert "v3 [label=\"{ 1 }\"" in source  # the constant in b + 1: its number, and no grad


def test_each_operation_is_one_op_node_between_operands_and_result(colah):
    source = draw(colah["e"]).source
    assert source.count("shape=ellipse") == 3  # two + and one *
    assert "v0 -> op2" in source and "v1 -> op2" in source and "op2 -> v2" in source


def test_a_plus_a_draws_two_edges_each_with_its_local_grad():
    a = Value(3.0, "a")
    c = a + a
    c.label = "c"
    source = draw(c, show_local_grads=True).source
    assert source.count("v0 -> op1") == 2
    assert source.count('label=1 id=e1_') == 2 and source.count('tooltip="∂c/∂a = 1"') == 2


def test_numbers_show_four_significant_digits_unless_precision_says_otherwise(tanh_neuron):
    o = tanh_neuron["o"]
    o.backward()
    assert "{ o | data 0.7071 | grad 1 }" in draw(o, rankdir="LR").source
    assert "{ o | data 0.707107 | grad 1 }" in draw(o, rankdir="LR", precision=6).source
    assert "{ b | data 6.881 | grad 0.5 }" in draw(o, rankdir="LR").source


def test_grads_can_be_left_out():
    a = Value(2.0, "a")
    source = draw(a * 3, show_grads=False).source
    assert "{ a | data 2 }" in source and "| grad" not in source


def test_top_to_bottom_records_read_across_without_braces():
    a = Value(2.0, "a")
    assert 'label="a | data 2 | grad 0"' in draw(a * 3, rankdir="TB").source


def test_highlighted_nodes_are_filled_with_the_focus_colour(colah):
    source = draw(colah["e"], highlight=[colah["c"]]).source
    highlighted = [line for line in source.splitlines() if "#ffd166" in line]
    assert [line.split()[0] for line in highlighted] == ["v2", "op2"]  # c's record and its op


def test_highlighting_a_node_from_another_graph_is_refused(colah):
    with pytest.raises(ValueError, match="draw: cannot highlight .*not a node of root's graph"):
        draw(colah["e"], highlight=[Value(1.0, "stranger")])


def test_record_syntax_in_labels_is_escaped():
    x = Value(1.0, "x{1}|<y>")
    assert r"x\{1\}\|\<y\>" in draw(x * 2).source
    assert "<?xml" in to_svg(x * 2)


def test_user_op_names_are_shown_as_text_never_as_html():
    from pathgrad import operation

    x = Value(1.0, "x")
    y = operation("<b>", 2.0, [x], [2.0])
    assert 'label="<b>"' in draw(y).source


def test_svg_parses_as_xml_and_contains_labels_values_and_grads(colah):
    colah["e"].backward()
    svg = to_svg(colah["e"], show_local_grads=True)
    texts = [t.text for t in ElementTree.fromstring(svg).iter(f"{SVG}text")]
    for expected in ["a", "b", "c", "d", "e", "data 2", "data 1", "data 3", "data 6",
                     "grad 2", "grad 5", "grad 3", "grad 1", "1", "2", "3", "+", "*"]:
        assert expected in texts


def test_svg_has_an_opaque_background_and_explicit_text_colours(colah):
    svg = ElementTree.fromstring(to_svg(colah["e"]))
    background = next(svg.iter(f"{SVG}polygon"))
    assert background.get("fill") == "white"  # readable on a dark notebook theme too
    assert all(t.get("fill") == "#1a1a1a" for t in svg.iter(f"{SVG}text"))


def test_the_same_graph_gives_the_same_dot_and_svg_byte_for_byte():
    def build():
        a, b = Value(2.0, "a"), Value(-3.0, "b")
        return ((a * b).tanh() + a ** 2).exp()

    assert draw(build()).source == draw(build()).source
    assert to_svg(build()) == to_svg(build())


def test_past_max_nodes_the_error_gives_the_count_and_suggests_fused_neurons():
    x = Value(1.0)
    for _ in range(10):
        x = x * 1.5  # each step adds a constant leaf and a product: 21 nodes
    with pytest.raises(ValueError, match=r"draw: the graph has 21 nodes to draw, more than max_nodes=20.*around=.*collapse=.*weighted_sum"):
        draw(x, max_nodes=20)
    assert draw(x, max_nodes=21).source


def test_a_fused_neuron_is_one_op_node_with_every_input_edge():
    ws = [Value(0.5, "w1"), Value(-1.0, "w2")]
    xs = [Value(2.0, "x1"), Value(3.0, "x2")]
    y = weighted_sum(ws, xs, Value(0.25, "b"))
    y.label = "y"
    source = draw(y, show_local_grads=True).source
    assert source.count("shape=ellipse") == 1 and "label=wsum" in source
    assert 'tooltip="∂y/∂w1 = 2"' in source and 'tooltip="∂y/∂x2 = -1"' in source


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(rankdir="up"), "rankdir='up'; use one of LR, RL, TB, BT"),
        (dict(precision=0), "precision=0"),
        (dict(max_nodes=0), "max_nodes=0"),
    ],
)
def test_bad_options_are_refused_with_what_would_be_accepted(options, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        draw(Value(1.0) * 2, **options)


def test_drawing_something_other_than_a_value_is_a_type_error():
    with pytest.raises(TypeError, match="draw: root must be a pathgrad Value, got list"):
        draw([1, 2])


def test_a_drawing_repr_describes_the_graph_in_one_line_with_no_memory_address(colah):
    reprs = [repr(draw(colah["e"])) for _ in range(2)]
    assert reprs[0] == reprs[1] == "<pathgrad drawing of e: 6 values, 3 operations>"


def test_jupyter_gets_svg_and_a_png_at_twice_the_pixel_density_shown_at_the_svgs_size(colah):
    import base64
    import struct

    bundle, metadata = draw(colah["e"])._repr_mimebundle_()
    assert bundle["text/plain"] == "<pathgrad drawing of e: 6 values, 3 operations>"
    svg = ElementTree.fromstring(bundle["image/svg+xml"])
    svg_pixels = float(svg.get("width").removesuffix("px"))  # how a browser sizes it
    view_width = float(svg.get("viewBox").split()[2])
    assert abs(svg_pixels - view_width * 4 / 3) <= 1  # small enough to show at its natural size
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG")
    png_width, png_height = struct.unpack(">II", png[16:24])
    assert abs(png_width - 2 * svg_pixels) <= 4  # dot rounds each to whole pixels
    assert abs(metadata["image/png"]["width"] - png_width / 2) <= 2


def test_a_newline_in_a_label_is_a_line_break_and_control_characters_show_escaped():
    x = Value(1.0, "first\nsecond\x1b")
    y = x * 2
    y.label = "y"
    source = draw(y).source
    assert "{ first\\nsecond\\\\x1b | data 1 | grad 0 }" in source
    texts = [t.text for t in ElementTree.fromstring(to_svg(y)).iter(f"{SVG}text")]
    assert "first" in texts and "second\\x1b" in texts  # two lines, the ESC written out
