"""pathgrad.viz.plot: pyplot's line-chart calls become the Vega-Lite spec JupyterLab and the browser site render."""

import math

import pytest

from pathgrad.viz import plot


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
    assert line["data"]["values"] == [{"x": 1.0, "y": 1.0, "series": "x^2"}, {"x": 2.0, "y": 4.0, "series": "x^2"},
                                      {"x": 3.0, "y": 9.0, "series": "x^2"}]  # matplotlib's $ marks dropped
    assert line["mark"] == {"type": "line", "point": True, "clip": True}
    assert line["encoding"]["x"]["title"] == "x"
    assert line["encoding"]["color"]["scale"] == {"domain": ["x^2"], "range": ["#ff7f0e"]}
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
    assert sorted(fig.cells) == [(0, 0), (1, 3)]


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
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "text/plain"}
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
    with pytest.raises(AttributeError, match=r"^plot: Axes\.contourf is not drawn in the browser \(line charts only"):
        ax.contourf([0], [0], [[0]])
    with pytest.raises(AttributeError, match=r"^plot: pyplot\.contourf is not drawn in the browser"):
        plot.contourf([0], [0], [[0]])
