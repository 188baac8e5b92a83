"""pathgrad.viz.plot: pyplot's calls become the Vega-Lite spec JupyterLab and the browser site render."""

import json
import math
import subprocess
import sys
from xml.etree import ElementTree

import pytest

from pathgrad.viz import colormap, plot


def test_a_line_carries_its_points_label_colour_and_format():
    fig, ax = plot.subplots(figsize=(6, 3))
    ax.plot([1, 2, 3], [1.0, 4.0, 9.0], "o-", color="tab:orange", label="$x^2$")
    ax.set_xlabel("x")
    ax.set_title("squares")
    ax.legend()
    spec = fig.spec()
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    assert spec["title"] == "squares" and spec["width"] == 6 * 72 - 60 and spec["height"] == 3 * 72 - 60
    (line,) = spec["layer"]
    assert line["data"]["values"] == [{"x": 1.0, "y": 1.0, "series": "x²"}, {"x": 2.0, "y": 4.0, "series": "x²"},
                                      {"x": 3.0, "y": 9.0, "series": "x²"}]  # $x^2$ reads x²
    assert line["mark"] == {"type": "line", "point": True, "clip": True}
    assert line["encoding"]["x"]["title"] == "x"
    assert line["encoding"]["color"]["scale"] == {"domain": ["x²"], "range": ["#ff7f0e"]}
    assert line["encoding"]["color"]["legend"] == {"title": ""}  # "": Vega-Lite would show "series" for None
    assert line["encoding"]["y"]["title"] == ""  # no set_ylabel: no title, as matplotlib


def test_ys_alone_are_plotted_against_their_index_and_dashes_follow_the_format():
    fig, ax = plot.subplots()
    ax.plot([5.0, 7.0], "--", label="a")
    ax.plot([1.0, 2.0], linestyle=":", label="b")
    first, second = fig.spec()["layer"]
    assert [(v["x"], v["y"]) for v in first["data"]["values"]] == [(0, 5.0), (1, 7.0)]
    assert first["mark"]["strokeDash"] == [6, 3] and second["mark"]["strokeDash"] == [1, 3]
    assert first["mark"]["point"] is False
    assert first["encoding"]["color"]["legend"] is None  # no legend() call: none shown


def test_log_scales_limits_and_rules():
    fig, ax = plot.subplots()
    ax.loglog([1e-1, 1e-2], [3.0, 2.0])
    ax.set_xscale("log", base=2)
    ax.set_ylim(0, 3)
    ax.invert_xaxis()
    ax.axvline(1e-4, linestyle=":", label="ε = 0.0001, used above")
    ax.axhline(math.log(27))
    line, labelled, plain = fig.spec()["layer"]
    assert line["encoding"]["x"]["scale"] == {"type": "log", "base": 2, "reverse": True}
    assert line["encoding"]["y"]["scale"] == {"type": "log", "domain": [0, 3]}
    assert labelled["encoding"]["x"] == {"datum": 1e-4} and labelled["encoding"]["color"]["datum"] == "ε = 0.0001, used above"
    assert plain["encoding"] == {"y": {"datum": math.log(27)}} and plain["mark"]["color"] == "#808080"
    assert line["encoding"]["color"]["scale"]["domain"] == ["line 1", "ε = 0.0001, used above"]


def test_a_log_axis_leaves_out_points_at_zero_or_below_as_matplotlib_does():
    fig, ax = plot.subplots()
    ax.semilogy([1, 2, 3, 4], [0.0, 1e-3, -1.0, 2.0])  # a timer's 0 s, say
    ax.set_xscale("log")
    ax.plot([0, 5], [1.0, 1.0])  # x = 0 has no place on the log x axis either
    first, second = fig.spec()["layer"]
    assert [(v["x"], v["y"]) for v in first["data"]["values"]] == [(2.0, 1e-3), (4.0, 2.0)]
    assert [(v["x"], v["y"]) for v in second["data"]["values"]] == [(5.0, 1.0)]


def test_semilogy_logs_only_y():
    fig, ax = plot.subplots()
    ax.semilogy([1, 2], [10.0, 100.0])
    (line,) = fig.spec()["layer"]
    assert line["encoding"]["y"]["scale"] == {"type": "log"} and line["encoding"]["x"]["scale"] == {}


def test_a_grid_is_indexed_as_numpy_and_laid_out_in_rows_of_columns():
    fig, axes = plot.subplots(2, 2, figsize=(11, 7))
    for row in range(2):
        for column in range(2):
            axes[row, column].plot([0, 1], [row, column], label=f"{row}{column}")
    fig.suptitle("four")
    spec = fig.spec()
    assert spec["title"] == "four"
    rows = spec["vconcat"]
    assert [[chart["layer"][0]["data"]["values"][1]["y"] for chart in row["hconcat"]] for row in rows] == [[0, 1], [0, 1]]
    assert [[chart["layer"][0]["data"]["values"][0]["y"] for chart in row["hconcat"]] for row in rows] == [[0, 0], [1, 1]]
    assert rows[0]["resolve"]["scale"]["color"] == "independent"


def test_one_row_of_axes_unpacks_and_zips():
    fig, (left, right) = plot.subplots(1, 2)
    assert left is not right
    _, axes = plot.subplots(1, 5)
    assert len(list(zip(axes, range(9)))) == 5 and axes[4] is list(axes)[4]


def test_add_subplot_counts_from_one_along_the_rows():
    fig = plot.figure(figsize=(13, 6.5))
    fig.add_subplot(1, 2, 1).plot([0, 1], [0, 1])
    fig.add_subplot(2, 4, 8).plot([0, 1], [1, 0])
    fig.add_subplot(234)
    assert [axes.box for axes in fig.axes] == [(0, 0, 0.5, 1), (0.75, 0.5, 0.25, 0.5), (0.0, 0.5, 1 / 3, 0.5)]


def test_a_half_width_chart_beside_four_small_ones_is_laid_out_as_matplotlib_places_them():
    fig = plot.figure(figsize=(13, 6.5))  # notebook 07: loss curves on the left, four boundaries on the right
    fig.add_subplot(1, 2, 1).plot([0, 1], [0, 1], label="big")
    for index in (3, 4, 7, 8):
        fig.add_subplot(2, 4, index).plot([0, 1], [index, index], label=str(index))

    def shape(spec):
        if "layer" in spec:
            return spec["layer"][0]["data"]["values"][0]["series"], spec["width"], spec["height"]
        concat = "vconcat" if "vconcat" in spec else "hconcat"
        return {concat: [shape(part) for part in spec[concat]]}

    # 13 inches is 936 px: narrowed to the notebook's column (880 px), its height kept.
    assert shape(fig.spec()) == {"hconcat": [("big", 880 / 2 - 60, 6.5 * 72 - 60),
                                             {"vconcat": [("3", 880 / 4 - 60, 174), ("7", 880 / 4 - 60, 174)]},
                                             {"vconcat": [("4", 880 / 4 - 60, 174), ("8", 880 / 4 - 60, 174)]}]}


def test_a_figure_wider_than_a_notebook_column_is_narrowed_to_it_not_scrolled():
    """matplotlib's inline PNG shrinks to the output column; a Vega-Lite chart would scroll sideways."""
    fig, axes = plot.subplots(1, 5, figsize=(16, 3.2))  # notebook 05's five activations: 1152 px asked
    assert plot.MAX_WIDTH == 880 and fig.width == 880 and fig.height == 3.2 * 72
    assert [ax.width for ax in axes] == [880 / 5 - 60] * 5
    narrow, ax = plot.subplots(figsize=(6, 3))
    assert (narrow.width, ax.width) == (6 * 72, 6 * 72 - 60)  # a figure that fits keeps its size
    root = ElementTree.fromstring(fig.svg())
    assert float(root.get("width")) <= 880


def test_width_ratios_size_the_columns():
    fig, (left, right) = plot.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [1.2, 1]})
    assert (left.width, right.width) == (pytest.approx(11 * 72 * 1.2 / 2.2 - 60), pytest.approx(11 * 72 / 2.2 - 60))
    assert right.box[0] == pytest.approx(1.2 / 2.2)


def test_numpy_arrays_are_plotted_as_floats():
    np = pytest.importorskip("numpy")
    fig, ax = plot.subplots()
    ax.plot(np.array([1, 2]), np.array([0.5, 0.25]))
    values = fig.spec()["layer"][0]["data"]["values"]
    assert values == [{"x": 1.0, "y": 0.5, "series": "line 1"}, {"x": 2.0, "y": 0.25, "series": "line 1"}]
    assert all(type(v["x"]) is float for v in values)  # JSON-ready


def test_the_figure_is_a_vega_lite_bundle_and_an_empty_chart_is_left_out():
    fig, axes = plot.subplots(1, 2)
    axes[0].plot([0, 1], [2, 3])
    bundle = fig._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"}
    assert bundle["text/plain"] == "<Figure: 1 chart, Vega-Lite>"
    assert "layer" in bundle["application/vnd.vegalite.v5+json"]  # one chart: no concat around it


def test_mismatched_or_too_many_sequences_are_refused_in_one_line():
    _, ax = plot.subplots()
    with pytest.raises(ValueError, match=r"^plot: xs has 2 values and ys 3; they must pair up$"):
        ax.plot([1, 2], [1, 2, 3])
    with pytest.raises(TypeError, match=r"^plot: takes ys, or xs and ys \(and a format\), not 3 sequences$"):
        ax.plot([1], [1], [1])


def test_a_call_it_does_not_draw_is_refused_naming_it():
    _, ax = plot.subplots()
    with pytest.raises(AttributeError, match=r"^plot: Axes\.imshow is not drawn in the browser \(plot, scatter, contourf"):
        ax.imshow([[0]])
    with pytest.raises(AttributeError, match=r"^plot: pyplot\.contourf is not drawn in the browser"):
        plot.contourf([0], [0], [[0]])
    with pytest.raises(ValueError, match=r"^scatter: the marker 'x' is not drawn here; one of o, s, \^, v, D is$"):
        ax.scatter([0], [0], marker="x")
    with pytest.raises(ValueError, match=r"^plot: the colour map 'jet' is not drawn here; one of Spectral, RdBu"):
        ax.scatter([0, 1], [0, 1], c=[0, 1], cmap="jet")
    with pytest.raises(ValueError, match=r"^set_xticks: labels are not drawn here"):
        ax.set_xticks([0, 1], labels=["a", "b"])
    with pytest.raises(ValueError, match=r"^contourf: Z must have a row per y \(2\) and a column per x \(1\)$"):
        ax.contourf([0], [0, 1], [[0]])


# Colour maps: matplotlib's tables, sampled as matplotlib samples them.

def test_colour_maps_end_where_matplotlibs_do():
    assert (plot.cm.Spectral(0.0), plot.cm.Spectral(1.0)) == ("#9e0142", "#5e4fa2")
    assert (plot.cm.Spectral(0.25), plot.cm.Spectral(0.75)) == ("#f98e52", "#86cfa5")
    assert (plot.cm.RdBu(0.0), plot.cm.RdBu(1.0)) == ("#67001f", "#053061")
    assert (plot.cm.coolwarm(0.0), plot.cm.coolwarm(1.0)) == ("#3b4cc0", "#b40426")
    assert (plot.cm.viridis(0.0), plot.cm.viridis(1.0), plot.cm.viridis(-3.0)) == ("#440154", "#fde725", "#440154")
    assert colormap.get("Spectral") is plot.cm.Spectral and colormap.get(None) is plot.cm.viridis


def test_colour_maps_agree_with_matplotlib_everywhere():
    matplotlib = pytest.importorskip("matplotlib")
    from matplotlib.colors import to_hex

    for name, tolerance in (("Spectral", 0), ("RdBu", 0), ("coolwarm", 4), ("viridis", 4)):
        theirs, ours = matplotlib.colormaps[name], colormap.get(name)
        for x in [i / 200 for i in range(201)]:
            a, b = to_hex(theirs(x)), ours(x)
            assert max(abs(int(a[i:i + 2], 16) - int(b[i:i + 2], 16)) for i in (1, 3, 5)) <= tolerance, (name, x)


# Scatter and contourf: matplotlib's decision-boundary picture.

def shown(layers):
    """Every point or cell the layers draw, with the fill (and size) its layer's mark gives it.

    Colours sit on the marks, one layer per colour, never as a field with `"scale": null`: the browser
    site's kernel hands JupyterLite a Python None as undefined, and Vega-Lite then recolours the chart.
    """
    assert "null" not in json.dumps(layers).replace('"legend": null', "")  # no null-scaled field
    return [{**value, "fill": layer["mark"]["fill"], **({"size": layer["mark"]["size"]} if "size" in layer["mark"] else {})}
            for layer in layers for value in layer["data"]["values"]]


def test_a_scatter_of_two_classes_takes_the_colour_maps_ends_and_matplotlibs_areas():
    fig, ax = plot.subplots()
    ax.scatter([0.5, 1.0, 2.0], [1.0, 0.0, -1.0], c=[-1, 1, 1], s=25, cmap=plot.cm.Spectral, edgecolors="k",
               linewidths=0.5)
    layers = fig.spec()["layer"]
    assert [(v["x"], v["fill"]) for v in shown(layers)] == [(0.5, "#9e0142"), (1.0, "#5e4fa2"), (2.0, "#5e4fa2")]
    assert layers[0]["mark"] == {"type": "point", "shape": "circle", "filled": True, "clip": True, "opacity": 1,
                                 "size": 25.0, "stroke": "#000000", "strokeWidth": 0.5,  # size: area in px², s at 72 dpi
                                 "fill": "#9e0142"}
    assert "fill" not in layers[0]["encoding"] and layers[0]["encoding"]["x"]["scale"] == {"zero": False}


def test_a_scatter_of_one_colour_with_sizes_per_point():
    fig, ax = plot.subplots()
    ax.plot([0, 1], [0, 1])
    ax.scatter([1, 2], [3, 4], s=[10, 40], label="picked", marker="s")
    ax.scatter([0], [0], color="k")
    ax.legend()
    small, large, unlabelled, _ = fig.spec()["layer"]  # under the line, as matplotlib's zorder puts them
    # the first scatter is C0, as matplotlib's: its scatters and lines take the colour cycle apart
    assert [(v["fill"], v["size"]) for v in shown([small, large])] == [("#1f77b4", 10.0), ("#1f77b4", 40.0)]
    assert small["mark"]["shape"] == "square" and small["encoding"]["color"]["datum"] == "picked"
    assert small["encoding"]["color"]["scale"] == {"domain": ["line 1", "picked"], "range": ["#1f77b4", "#1f77b4"]}
    assert shown([unlabelled]) == [{"x": 0.0, "y": 0.0, "fill": "#000000", "size": 36.0}]


def test_a_boolean_grid_is_filled_in_runs_along_each_row_with_matplotlibs_two_band_colours():
    fig, ax = plot.subplots()
    ax.contourf([0, 1, 2, 3], [0, 10, 20], [[False, False, True, True], [True] * 4, [False, True, False, True]],
                cmap=plot.cm.Spectral, alpha=0.8)
    low, high = "#f98e52", "#86cfa5"  # Spectral at 0.25 and 0.75: the middles of the bands 0..0.5 and 0.5..1
    assert [cell["fill"] for cell in ax.fills[0]["cells"]] == [low, high, high, low, high, low, high]
    low, high = "#faa575", "#9ed9b7"  # and at alpha 0.8 on white, as the chart draws them, opaque
    layers = fig.spec()["layer"]
    assert sorted(shown(layers), key=lambda c: (c["y"], c["x"])) == [
        {"x": -0.5, "x2": 1.5, "y": -5.0, "y2": 5.0, "fill": low}, {"x": 1.5, "x2": 3.5, "y": -5.0, "y2": 5.0, "fill": high},
        {"x": -0.5, "x2": 3.5, "y": 5.0, "y2": 15.0, "fill": high},
        {"x": -0.5, "x2": 0.5, "y": 15.0, "y2": 25.0, "fill": low}, {"x": 0.5, "x2": 1.5, "y": 15.0, "y2": 25.0, "fill": high},
        {"x": 1.5, "x2": 2.5, "y": 15.0, "y2": 25.0, "fill": low}, {"x": 2.5, "x2": 3.5, "y": 15.0, "y2": 25.0, "fill": high}]
    assert [layer["mark"] for layer in layers] == [{"type": "rect", "clip": True, "strokeWidth": 1, "fill": c, "stroke": c}
                                                   for c in (low, high)]  # stroked in its fill: no seams between rows
    layer = layers[0]
    assert layer["encoding"]["x"]["scale"] == {"domain": [0.0, 3.0], "nice": False, "zero": False}  # the grid, exactly
    assert layer["encoding"]["y"]["scale"] == {"domain": [0.0, 20.0], "nice": False, "zero": False}
    assert layer["encoding"]["x2"] == {"field": "x2"} and "fill" not in layer["encoding"]


def test_a_continuous_grid_is_banded_at_matplotlibs_levels_and_colours():
    _, ax = plot.subplots()
    ax.contourf([0, 1, 2], [0, 1], [[0.1, 2.3, -1.7], [0.4, 5.0, 3.0]], cmap="Spectral")
    assert ax.fills[0]["levels"] == [-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]  # matplotlib's, for this Z
    # matplotlib 3.11's band colours, [c52c4b f57547 feca79 ffffbe cdeb9d 6ec5a5 3f77b5], for the bands used:
    assert [cell["fill"] for cell in ax.fills[0]["cells"]] == ["#feca79", "#cdeb9d", "#c52c4b", "#feca79",
                                                                "#3f77b5", "#cdeb9d"]  # 3.0: in (2, 3]
    _, ax = plot.subplots()
    ax.contourf([[0.1, 2.3, -1.7], [0.4, 5.0, 3.0]], levels=3)
    assert ax.fills[0]["levels"] == [-2.0, 0.0, 2.0, 4.0, 6.0]


def test_a_decision_boundary_on_an_84_by_54_meshgrid_is_about_a_hundred_rectangles():
    np = pytest.importorskip("numpy")
    xx, yy = np.meshgrid(np.arange(-1.6, 2.6, 0.05), np.arange(-1.1, 1.6, 0.05))
    inside = (xx - 0.5) ** 2 + (yy - 0.25) ** 2 < 0.8  # a circle: 2 or 3 runs a row
    fig, ax = plot.subplots()
    ax.contourf(xx, yy, inside, cmap=plot.cm.Spectral, alpha=0.8)
    cells = shown(fig.spec()["layer"])
    assert xx.shape == (54, 84)
    runs = sum(1 + int(np.count_nonzero(row[1:] != row[:-1])) for row in inside)
    assert len(cells) == runs == 124
    assert {cell["fill"] for cell in cells} == {"#faa575", "#9ed9b7"}  # Spectral's, at alpha 0.8 on white
    assert cells[0]["x"] == pytest.approx(-1.625) and cells[0]["y"] == pytest.approx(-1.125)


def test_ticks_can_be_hidden_or_placed_and_the_grid_turned_off():
    fig, ax = plot.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_xticks([])
    ax.set_yticks([0, 0.5, 1])
    ax.grid(False)
    (layer,) = fig.spec()["layer"]
    assert layer["encoding"]["x"]["axis"] == {"ticks": False, "labels": False, "grid": False}
    assert layer["encoding"]["y"]["axis"] == {"values": [0.0, 0.5, 1.0], "grid": False}


BLOCK_NUMPY_AND_MATPLOTLIB = """
import sys
class Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("numpy", "matplotlib"):
            raise ModuleNotFoundError("not here", name=name)
sys.meta_path.insert(0, Blocked())
from pathgrad.viz import plot as plt
fig, ax = plt.subplots()
ax.contourf([0, 1], [0, 1], [[True, False], [False, False]], cmap=plt.cm.Spectral)
ax.scatter([0, 1], [0, 1], c=[0, 1], cmap="RdBu")
print(len(fig.spec()["layer"]), fig.svg().count("<circle"), "numpy" in sys.modules, "matplotlib" in sys.modules)
"""


def test_plot_draws_without_numpy_or_matplotlib():
    done = subprocess.run([sys.executable, "-c", BLOCK_NUMPY_AND_MATPLOTLIB], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["4", "2", "False", "False"]  # a layer per colour: 2 bands, 2 classes


# The static SVG beside the Vega-Lite: the same record, drawn in pure Python.

SVG = "{http://www.w3.org/2000/svg}"


def drawn(fig):
    return ElementTree.fromstring(fig.svg())


def frame(root):
    rect = root.find(f".//{SVG}rect[@class='frame']")
    return [float(rect.get(key)) for key in ("x", "y", "width", "height")]


def tick_labels(root, axis):
    return ["".join(text.itertext()) for text in root.iter(f"{SVG}text") if text.get("class") == f"{axis}tick"]


def test_the_svg_puts_each_point_where_the_axis_mapping_says():
    fig, ax = plot.subplots(figsize=(5, 4))
    ax.plot([0, 2], [0, 1])  # with matplotlib's 5% margins: x over -0.1..2.1, y over -0.05..1.05
    ax.scatter([1.5], [0.25], s=16)
    root = drawn(fig)
    assert (root.get("width"), root.get("height")) == ("360", "288")  # 72 px an inch
    x0, y0, width, height = frame(root)
    (circle,) = root.iter(f"{SVG}circle")
    assert float(circle.get("cx")) == pytest.approx(x0 + 1.6 / 2.2 * width, abs=0.01)
    assert float(circle.get("cy")) == pytest.approx(y0 + height - 0.3 / 1.1 * height, abs=0.01)
    assert float(circle.get("r")) == 2.0  # s = 16 px² is the area: a diameter of 4
    (line,) = root.iter(f"{SVG}polyline")
    start, end = ([float(v) for v in point.split(",")] for point in line.get("points").split())
    assert start == pytest.approx([x0 + 0.1 / 2.2 * width, y0 + height - 0.05 / 1.1 * height], abs=0.01)
    assert end == pytest.approx([x0 + 2.1 / 2.2 * width, y0 + 0.05 / 1.1 * height], abs=0.01)


def test_the_svg_ticks_are_nice_numbers_with_matplotlibs_decimals():
    fig, ax = plot.subplots(figsize=(6, 4))
    ax.plot([0, 1], [-3, 7])
    root = drawn(fig)
    assert tick_labels(root, "x") == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
    assert tick_labels(root, "y") == ["\u22122", "0", "2", "4", "6"]  # -3.5..7.5 shown; matplotlib's minus sign


def test_the_svg_log_axes_tick_at_decades_evenly_spaced():
    fig, ax = plot.subplots(figsize=(6, 4))
    ax.loglog([1e-3, 1e2], [1.0, 1e4])
    root = drawn(fig)
    labels = [(text.text, text.find(f"{SVG}tspan").text) for text in root.iter(f"{SVG}text")
              if text.get("class") == "xtick"]
    assert labels == [("10", "\u22123"), ("10", "\u22122"), ("10", "\u22121"), ("10", "0"), ("10", "1"), ("10", "2")]
    xs = [float(text.get("x")) for text in root.iter(f"{SVG}text") if text.get("class") == "xtick"]
    assert max(b - a for a, b in zip(xs, xs[1:])) - min(b - a for a, b in zip(xs, xs[1:])) < 0.02
    assert [label for label in tick_labels(root, "y")] == ["100", "101", "102", "103", "104"]  # 10 and its raised exponent


def test_the_svg_hides_ticks_as_asked_and_draws_a_legend_only_when_asked():
    fig, ax = plot.subplots()
    ax.plot([0, 1], [0, 1], label="shown")
    ax.set_xticks([])
    root = drawn(fig)
    assert tick_labels(root, "x") == [] and tick_labels(root, "y") != []
    assert not [t for t in root.iter(f"{SVG}text") if t.get("class") == "legend"]
    ax.legend()
    assert [t.text for t in drawn(fig).iter(f"{SVG}text") if t.get("class") == "legend"] == ["shown"]


def test_the_svg_fills_a_contourf_with_the_cells_of_the_spec_in_their_colours():
    fig, ax = plot.subplots(figsize=(4, 3))
    ax.contourf([0, 1, 2, 3], [0, 10, 20], [[False, False, True, True], [True] * 4, [False, True, False, True]],
                cmap=plot.cm.Spectral, alpha=0.8)
    ax.scatter([0, 3], [0, 20], c=[0, 1], cmap=plot.cm.Spectral, edgecolors="k")
    root = drawn(fig)
    cells = [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") in ("#f98e52", "#86cfa5")]
    assert [rect.get("fill") for rect in cells] == ["#f98e52", "#86cfa5", "#86cfa5", "#f98e52", "#86cfa5", "#f98e52",
                                                    "#86cfa5"]
    x0, y0, width, height = frame(root)
    first = cells[0]  # x from -0.5 (clipped at the frame: the axes end at the grid's 0) to 1.5
    assert float(first.get("x")) + float(first.get("width")) == pytest.approx(x0 + 1.5 / 3 * width, abs=0.02)
    assert [c.get("fill") for c in root.iter(f"{SVG}circle")] == ["#9e0142", "#5e4fa2"]
    assert {c.get("stroke") for c in root.iter(f"{SVG}circle")} == {"#000000"}


def test_no_text_can_change_the_svgs_structure():
    hostile = '</text><script>alert("x")</script><text a=\'1\'>'
    fig, ax = plot.subplots()
    ax.plot([0, 1], [0, 1], label=hostile, color='red" onload="alert(1)')
    ax.set_title(hostile)
    ax.set_xlabel(hostile)
    ax.legend()
    fig.suptitle(hostile)
    svg = fig.svg()
    root = ElementTree.fromstring(svg)
    assert "<script" not in svg and not list(root.iter(f"{SVG}script"))
    texts = {t.get("class"): t.text for t in root.iter(f"{SVG}text")}
    assert texts["title"] == texts["xlabel"] == texts["suptitle"] == texts["legend"] == hostile
    assert [line.get("stroke") for line in root.iter(f"{SVG}polyline")] == ['red" onload="alert(1)']  # a value, not an attribute


def test_the_bundle_carries_vega_lite_and_the_svg_and_savefig_writes_either_format(tmp_path):
    fig, ax = plot.subplots(figsize=(3, 2))
    ax.semilogy([1, 2, 3], [10.0, 1.0, 0.1], "o-")
    bundle = fig._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"}
    assert ElementTree.fromstring(bundle["image/svg+xml"]).tag == f"{SVG}svg"
    fig.savefig(tmp_path / "chart.svg")
    assert (tmp_path / "chart.svg").read_text() == fig.svg()
    with pytest.raises(ValueError, match=r"^savefig: '.*chart\.jpg' must end in \.svg or \.png$"):
        fig.savefig(str(tmp_path / "chart.jpg"))
    pytest.importorskip("resvg_py")
    fig.savefig(tmp_path / "chart.png")
    png = (tmp_path / "chart.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 216  # 3 inches at 72 px


def test_the_svg_places_a_half_width_chart_beside_four_small_ones():
    fig = plot.figure(figsize=(13, 6.5))
    fig.add_subplot(1, 2, 1).plot([0, 1], [0, 1])
    for index in (3, 4, 7, 8):
        fig.add_subplot(2, 4, index).scatter([0, 1], [0, 1])
    frames = [[float(rect.get(key)) for key in ("x", "y", "width", "height")]
              for rect in drawn(fig).iter(f"{SVG}rect") if rect.get("class") == "frame"]
    width, height = plot.MAX_WIDTH, 6.5 * 72  # 13 inches, narrowed to a notebook's column
    big, *small = frames
    assert big[0] < big[0] + big[2] < width / 2 and big[3] > height * 0.8
    cells = [(int(x // (width / 4)), int(y // (height / 2))) for x, y, _, _ in small]  # (column, row) of each
    assert cells == [(2, 0), (3, 0), (2, 1), (3, 1)]
    assert all(w < width / 4 and h < height / 2 for _, _, w, h in small)


def test_an_equal_aspect_draws_a_unit_as_long_on_both_axes_in_both_renderers():
    fig, ax = plot.subplots(figsize=(6, 4))
    ax.scatter([0, 2], [0, 1])
    ax.set_aspect("equal")  # x over -0.1..2.1 and y over -0.05..1.05: twice as wide as high
    chart = fig.spec()
    assert chart["width"] == 6 * 72 - 60 and chart["height"] == pytest.approx((6 * 72 - 60) / 2)
    assert chart["layer"][0]["encoding"]["x"]["scale"] == {"zero": False, "domain": [-0.1, 2.1], "nice": False}
    _, _, width, height = frame(drawn(fig))
    assert width == pytest.approx(2 * height, abs=0.02)


def test_a_legend_lists_only_the_labelled_lines_as_matplotlibs():
    fig, ax = plot.subplots()
    ax.plot([1, 2], [1, 2])
    ax.plot([1, 2], [2, 1], label="named")
    ax.axvline(1.5, label="rule")
    ax.legend()
    line = fig.spec()["layer"][0]
    assert line["encoding"]["color"]["scale"]["domain"] == ["line 1", "named", "rule"]
    assert line["encoding"]["color"]["legend"] == {"title": "", "values": ["named", "rule"]}
    assert [t.text for t in drawn(fig).iter(f"{SVG}text") if t.get("class") == "legend"] == ["named", "rule"]


def test_mathtext_labels_read_as_plain_unicode_in_both_renderers():
    """Notebook 05's labels: matplotlib typesets $...$; Vega-Lite and the SVG get the same maths in Unicode."""
    fig, ax = plot.subplots()
    ax.plot([0.5, 0.9], [0.69, 0.11], label=r"BCE $-\log p$")
    ax.plot([0.5, 0.9], [0.25, 0.01], label="MSE $(p-1)^2$")
    ax.set_title(r"softmax $p_0$ of $(z, 1, -1)$, $\alpha \cdot x^{n+1}$; file_name stays")
    ax.legend()
    spec = fig.spec()
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["BCE -log p", "MSE (p-1)²"]
    assert spec["title"] == "softmax p₀ of (z, 1, -1), α · xⁿ⁺¹; file_name stays"
    assert "BCE -log p" in fig.svg() and "\\log" not in fig.svg()


def test_a_narrow_chart_still_has_two_ticks_on_each_axis():
    """Notebook 05's five panels in 880 px: each x axis over -4..4 had the one tick "0" (matplotlib's
    MaxNLocator keeps at least two)."""
    fig, axes = plot.subplots(1, 5, figsize=(16, 3.2))
    for ax in axes:
        ax.plot([-4 + k / 20 for k in range(161)], [0.0] * 161)
    labels = [text.text for text in drawn(fig).iter(f"{SVG}text") if text.text and text.text[-1:] in "024"]
    assert labels.count("\u22124") == labels.count("\u22122") == labels.count("2") == labels.count("4") == 5
