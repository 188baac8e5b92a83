"""A picture fits its place: 960 CSS px with no text under 8 px, scopes collapsed when needed, slides."""

import random
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest

from pathgrad import Value, scope
from pathgrad.nn import MLP
from pathgrad.viz import draw, save, to_svg
from pathgrad.viz.options import Look
from pathgrad.viz.plan import fit

SVG = "{http://www.w3.org/2000/svg}"


def mlp_loss(fused):
    """(x - 1)^2 for MLP(2, [4, 4, 1]) at x = (1, 2), after backward."""
    random.seed(0)
    model = MLP(2, [4, 4, 1], fused=fused)
    loss = (model([Value(1.0, "x0"), Value(2.0, "x1")]) - 1) ** 2
    loss.label = "loss"
    loss.backward()
    return loss


def shown(svg):
    """(display width in CSS px, smallest text in CSS px as displayed) of an SVG document."""
    root = ElementTree.fromstring(svg)
    width = float(root.get("width").removesuffix("px"))
    view_width = float(root.get("viewBox").split()[2])
    sizes = [float(t.get("font-size")) for t in root.iter(f"{SVG}text")]
    return width, min(sizes) * width / view_width


@pytest.mark.parametrize("fused", [True, False])
def test_the_two_layer_mlp_fits_a_960_px_cell_with_no_text_under_8_px(fused):
    svg = to_svg(mlp_loss(fused))
    width, least = shown(svg)
    assert width <= 960 and least >= 8
    assert 'height="' in svg and 'pt"' not in svg.split(">", 2)[1]  # sized in CSS px, not points


def test_too_wide_a_graph_collapses_its_neurons_into_a_network_diagram():
    drawing = draw(mlp_loss(fused=False))
    source = drawing.source
    boxes = re.findall(r'label="(?:\{ )?(L\d\.n\d) \| data', source)  # either direction
    assert sorted(boxes) == ["L0.n0", "L0.n1", "L0.n2", "L0.n3", "L1.n0", "L1.n1", "L1.n2", "L1.n3", "L2.n0"]
    assert "| 3 params" in source and "| 5 params" in source  # 2 weights + bias, 4 weights + bias
    assert 'label="x0 |' in source and 'label="loss |' in source  # inputs -> 4 -> 4 -> 1 -> loss, top to bottom
    assert "collapsed: L0.n0\u20133, L1.n0\u20133, L2.n0 \u2014 draw(..., expand=['L0.n0']) to open" in source
    assert "(collapsed)" not in source and "layers.1.neurons" not in source


def test_expand_and_collapse_from_the_user_win_over_the_fitting():
    loss = mlp_loss(fused=True)
    opened = draw(loss, expand=["L0.n0"]).source
    assert "L0.n0.w0" in opened and "L0.n1 | data" in opened  # that neuron open, the rest collapsed
    chosen = draw(loss, collapse=["layers.1"]).source
    assert re.findall(r'label="(?:\{ )?(\S+) \|.*shape=Mrecord', chosen) == ["L1"]  # exactly what was asked, no caption
    assert "collapsed:" not in chosen
    assert "L0.n0.w0" in chosen and "L2.n0.w0" in chosen
    with pytest.raises(ValueError, match="expand names 'L9'"):
        draw(loss, expand=["L9"])


def test_a_collapsed_scope_draws_none_of_its_parameters():
    loss = mlp_loss(fused=False)
    svg = to_svg(loss, collapse=["layers.0"])
    texts = [t.text for t in ElementTree.fromstring(svg).iter(f"{SVG}text")]
    assert "L0" in texts and "12 params" in texts  # 4 neurons x (2 weights + bias) inside the box
    assert not [t for t in texts if t.startswith("L0.")]
    assert "L1.n0.w0" in texts  # layer 1's own parameters are still drawn


def test_a_parameter_joins_its_scope_even_though_it_was_made_outside_it():
    w = Value(2.0, "cell.w")
    x = Value(3.0, "x")
    with scope("cell"):
        y = w * x
    y.label = "y"
    y.backward()
    source = draw(y, collapse=["cell"]).source
    assert "cell.w" not in source and "{ x |" in source
    assert 's0 [label="cell | data 6 | grad 1 | 1 param"' in source


def test_a_long_chain_is_drawn_top_to_bottom_when_left_to_right_is_too_wide():
    x = Value(0.5, "x")
    y = x
    for _ in range(12):
        y = y * 1.01 + 0.1
    y.label = "y"
    assert fit(y).rankdir == "TB" and fit(y, Look(width=None)).rankdir == "LR"
    width, least = shown(to_svg(y))
    assert width <= 960 and least >= 8
    assert draw(y, rankdir="LR").graph_attr["rankdir"] == "LR"  # an explicit direction wins


def test_width_none_shows_the_picture_at_its_natural_size():
    loss = mlp_loss(fused=False)
    root = ElementTree.fromstring(to_svg(loss, width=None))
    view_width = float(root.get("viewBox").split()[2])
    assert float(root.get("width").removesuffix("px")) == pytest.approx(view_width * 4 / 3, abs=1)
    assert view_width * 4 / 3 > 960  # the whole unfused graph, no boxes
    assert "shape=Mrecord" not in draw(loss, width=None).source


def test_constants_have_no_grad_field(colah):
    colah["e"].backward()
    texts = [t.text for t in ElementTree.fromstring(to_svg(colah["e"])).iter(f"{SVG}text")]
    assert texts.count("grad 3") == 1  # d's grad only; the constant 1 in b + 1 shows just its number
    assert "1" in texts


def test_a_grad_made_with_create_graph_draws_like_any_graph():
    x = Value(3.0, "x")
    y = x * x * x
    y.label = "y"
    y.backward(create_graph=True)  # x.grad = 3 x^2 = 27, a Value with a graph of its own
    x.grad.label = "dy/dx"
    source = draw(x.grad, rankdir="LR").source
    assert "{ dy/dx | data 27 | grad 0 }" in source
    assert "{ x | data 3 | grad 27 }" in source  # x is in that graph, and its grad, a Value, shows its number


def test_a_saved_png_has_twice_the_pixels_of_its_css_size(colah, tmp_path):
    colah["e"].backward()
    drawing = draw(colah["e"])
    css_width = float(ElementTree.fromstring(drawing.svg()).get("width").removesuffix("px"))
    png = (tmp_path / "e.png")
    save(drawing, png)
    width, height = (int.from_bytes(png.read_bytes()[at:at + 4], "big") for at in (16, 20))
    assert abs(width - 2 * css_width) <= 4


def test_a_slide_png_fits_inside_the_size_asked_for(colah, tmp_path):
    path = save(colah["e"], tmp_path / "slide.png", size=(1920, 1080))
    width, height = (int.from_bytes(path.read_bytes()[at:at + 4], "big") for at in (16, 20))
    assert width <= 1920 and height <= 1080 and (width >= 1910 or height >= 1070)
    with pytest.raises(ValueError, match=r"size=\(1920,\); use \(width, height\)"):
        draw(colah["e"], size=(1920,))


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler's pdftoppm")
def test_a_dark_pdf_has_no_light_margin(colah, tmp_path):
    path = save(colah["e"], tmp_path / "dark.pdf", theme="dark")
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    png = (tmp_path / "page.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    from PIL import Image  # the plot extra brings Pillow

    image = Image.open(tmp_path / "page.png").convert("RGB")
    # The dark background, #1e1e1e, to the edge (dot rounds the page up by under a point: 1 px of slack)
    corners = [image.getpixel((x, y)) for x in (1, image.width - 2) for y in (1, image.height - 2)]
    assert all(max(pixel) < 64 for pixel in corners)


def text_by_kind(svg):
    """{'value' | 'op' | 'edge': the smallest text of that kind, in CSS px as displayed} of an SVG document."""
    root = ElementTree.fromstring(svg)
    scale = float(root.get("width").removesuffix("px")) / float(root.get("viewBox").split()[2])
    least = {}
    for group in root.iter(f"{SVG}g"):
        kind = {"node": "op" if (group.get("id") or "").startswith("op") else "value", "edge": "edge"}.get(
            group.get("class"))
        for text in group.iter(f"{SVG}text") if kind else ():
            least[kind] = min(least.get(kind, 1e9), float(text.get("font-size")) * scale)
    return least


def neuron():
    """micrograd's neuron (the tanh_neuron fixture's): o = tanh(x1 w1 + x2 w2 + b), after backward: 10 values."""
    x1, x2, w1, w2 = Value(2.0, "x1"), Value(0.0, "x2"), Value(-3.0, "w1"), Value(1.0, "w2")
    n = x1 * w1 + x2 * w2 + Value(6.8813735870195432, "b")
    o = n.tanh()
    o.backward()
    return o


def a_times_b_plus_c():
    a, b, c = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c")
    d = a * b + c
    d.label = "d"
    d.backward()
    return d


SMALL = {"neuron": ("neuron", {}), "a*b+c": ("abc", {}), "README": ("colah", {"show_local_grads": True}),
         "neuron, local grads": ("neuron", {"show_local_grads": True})}


@pytest.fixture
def small(colah):
    """{name: a small graph's root, after backward}: micrograd's neuron, a*b+c, the README's e = (a+b)(b+1)."""
    colah["e"].backward()
    return {"neuron": neuron(), "abc": a_times_b_plus_c(), "colah": colah["e"]}


@pytest.mark.parametrize("name", SMALL)
def test_a_small_graph_draws_at_12_px_or_more_in_a_cell_in_the_direction_with_the_larger_text(name, small):
    graph, options = SMALL[name]
    drawing = draw(small[graph], **options)
    least = text_by_kind(drawing.svg())
    assert least["value"] >= 12  # micrograd's neuron: 15.9 px top to bottom (9.1 px left to right)
    chosen = drawing.graph_attr["rankdir"]
    other = {"LR": "TB", "TB": "LR"}[chosen]
    assert least["value"] >= text_by_kind(draw(small[graph], rankdir=other, **options).svg())["value"]


def test_micrograds_neuron_is_drawn_top_to_bottom_where_left_to_right_would_shrink_it_to_9_px():
    drawing = draw(neuron())
    assert drawing.graph_attr["rankdir"] == "TB" and text_by_kind(drawing.svg())["value"] > 15.5
    assert text_by_kind(draw(neuron(), rankdir="LR").svg())["value"] < 10  # 9.1 px: 1574 px wide shown at 952


@pytest.mark.parametrize("name", SMALL)
def test_operator_symbols_and_edge_labels_are_never_smaller_than_the_values_text(name, small):
    graph, options = SMALL[name]
    for rankdir in ("LR", "TB"):
        least = text_by_kind(draw(small[graph], rankdir=rankdir, **options).svg())
        assert least["op"] >= least["value"] and least.get("edge", least["value"]) >= least["value"]
        assert ("edge" in least) == bool(options)
    source = draw(small["colah"], show_local_grads=True).source
    # symbols a third larger than the 12 pt values, whose glyphs are as tall as digits; words (tanh) as values
    assert 'op5 [label="*" fillcolor="#dbe6f6" fontsize=16' in source
    assert re.search(r"edge \[[^]]*fontsize=12 ", source)
    assert re.search(r'op\d+ \[label=tanh fillcolor="#dbe6f6" height', draw(small["neuron"]).source)


def widget_text(stepper):
    """{'value' | 'op' | 'edge': smallest text in CSS px} of the live widget's picture, at the scale
    stepper.js's sizeView gives it in a readable view: max(least, min(1, width / natural))."""
    data = stepper.page_data()
    root = ElementTree.fromstring(data["svg"])
    natural = float(root.get("viewBox").split()[2]) * 4 / 3
    scale = max(data["least"], min(1, data["width"] / natural))
    inherited = float(root.get("font-size"))  # film.py gives the common 12 pt once, on the svg
    least = {}
    for group in root.iter(f"{SVG}g"):
        kind = {"node": "op" if (group.get("id") or "").startswith("op") else "value", "edge": "edge"}.get(
            group.get("class"))
        for text in group.iter(f"{SVG}text") if kind else ():
            least[kind] = min(least.get(kind, 1e9), float(text.get("font-size", inherited)) * PX * scale)
    return least, data["least"]


PX = 4 / 3


def test_the_live_widgets_edge_labels_are_as_large_as_its_values_and_never_under_8_px():
    from pathgrad.viz import step_through

    least, scale = widget_text(step_through(neuron()))
    assert least["edge"] >= least["value"] > 15.5  # top to bottom at the cell's width (edge labels were 8 px)
    # however narrow the view, the widget shrinks no further than `least`: 8 px for its smallest text,
    # which is 12 pt now that edge labels are (10 pt before: a least scale of 0.6)
    assert scale == 0.5 and 12 * PX * scale == 8
