"""step_through: frames, captions and the page, checked against the engine's own numbers."""

import re
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from pathgrad import Value, backward_trace, forward_mode, topological_order
from pathgrad.viz import draw, step_through
from pathgrad.viz.page import svg_data_uri

SVG = "{http://www.w3.org/2000/svg}"


def n(x):
    return f"{x:.4g}"


def grad_fields(source):
    """{label: the grad field's text} for the labelled records of a frame's DOT source."""
    return dict(re.findall(r'label="\{ (\w+) \| data [^|]+ \| grad ?([^ ]*) \}"', source))


def test_a_reverse_stepper_has_forward_done_one_frame_per_backward_step_and_done(colah):
    trace = backward_trace(colah["e"])
    assert len(step_through(colah["e"])) == len(trace) + 2 == 5


def test_frame_zero_shows_every_grad_blank_not_zero(colah):
    first = step_through(colah["e"])[0]
    assert set(grad_fields(first.source).values()) == {""}
    assert "Forward pass done: e = 6" in first.caption


def test_each_step_caption_says_the_arithmetic_of_backward_trace(tanh_neuron):
    o = tanh_neuron["o"]
    trace = backward_trace(o)
    stepper = step_through(o)
    for k, step in enumerate(trace, 1):
        caption = stepper[k].caption
        assert caption.startswith(f"Step {k} of {len(trace)}:")
        for edge in step.edges:
            assert f"{n(edge.local_grad)} × {n(step.grad)} = {n(edge.contribution)}" in caption


def test_each_step_labels_the_processed_nodes_edges_local_times_upstream(colah):
    stepper = step_through(colah["e"])
    first_step = stepper[1].source  # e passes 1 down: de/dc = d = 2, de/dd = c = 3
    assert 'v2 -> op5 [label="2 × 1 = 2"' in first_step
    assert 'v4 -> op5 [label="3 × 1 = 3"' in first_step
    highlighted = [line.split()[0] for line in first_step.splitlines() if "#ffd166" in line]
    assert highlighted == ["v5", "op5"]


def test_grads_fill_in_step_by_step_with_running_sums(colah):
    fields = [grad_fields(frame.source) for frame in step_through(colah["e"])]
    assert [f["e"] for f in fields] == ["", "1", "1", "1", "1"]
    assert [f["b"] for f in fields] == ["", "", "3", "5", "5"]  # 3 from d, then + 2 from c
    assert [f["a"] for f in fields] == ["", "", "", "2", "2"]


def test_the_caption_says_when_a_grad_is_only_partly_summed(colah):
    stepper = step_through(colah["e"])
    assert "so b.grad = 3 so far" in stepper[2].caption
    assert "so b.grad = 5." in stepper[3].caption


def test_the_last_frame_is_the_drawing_after_backward(tanh_neuron):
    o = tanh_neuron["o"]
    stepper = step_through(o, show_local_grads=True, precision=6)
    o.backward()
    assert stepper[-1].source == draw(o, show_local_grads=True, precision=6).source
    assert "x1.grad = -1.5" in step_through(o)[-1].caption


def test_all_frames_share_one_layout_so_nodes_do_not_move(colah):
    stepper = step_through(colah["e"])

    def places(svg):
        """{node id: its outline}: a record's polygon points, an op's ellipse centre."""
        places = {}
        for group in ElementTree.fromstring(svg).iter(f"{SVG}g"):
            if group.get("class") == "node":
                shape = next(e for e in group if e.tag in (f"{SVG}polygon", f"{SVG}ellipse"))
                places[group.get("id")] = shape.get("points") or (shape.get("cx"), shape.get("cy"))
        return places

    first = places(stepper[0].svg)
    assert set(first) == {"v0", "v1", "v2", "v3", "v4", "v5", "op2", "op4", "op5"}
    for frame in stepper:
        assert places(frame.svg) == first


def test_frames_are_the_same_svg_each_time_the_same_graph_is_stepped():
    def svgs():
        a, b = Value(2.0, "a"), Value(-1.0, "b")
        return [frame.svg for frame in step_through((a * b + a).tanh())]

    assert svgs() == svgs()


def test_forward_mode_frames_fill_tangents_from_the_inputs_up(colah):
    e, b = colah["e"], colah["b"]
    stepper = step_through(e, mode="forward", wrt=b)
    tangents = forward_mode(e, b)
    interior = [node for node in topological_order(e) if node.children]
    assert len(stepper) == 1 + 1 + len(interior) + 1  # forward done, seed, one per op, done
    fields = [dict(re.findall(r'label="\{ (\w+) \| data [^|]+ \| d/db ?([^ ]*) \}"', f.source)) for f in stepper]
    assert [f["b"] for f in fields] == ["", "1", "1", "1", "1", "1"]
    assert [f["a"] for f in fields] == ["", "0", "0", "0", "0", "0"]
    assert [f["c"] for f in fields] == ["", "", "1", "1", "1", "1"]
    assert [f["e"] for f in fields] == ["", "", "", "", n(tangents[e]), "5"]
    assert stepper[4].caption.endswith("de/dc × dc/db + de/dd × dd/db = 2 × 1 + 3 × 1 = 5.")
    e.backward()
    assert "de/db = 5" in stepper[-1].caption and b.grad == 5.0


def test_forward_mode_needs_a_wrt_from_the_graph(colah):
    with pytest.raises(ValueError, match="mode='forward' needs wrt="):
        step_through(colah["e"], mode="forward")
    with pytest.raises(ValueError, match="wrt=.* is not a node of root's graph"):
        step_through(colah["e"], mode="forward", wrt=Value(1.0, "z"))
    with pytest.raises(TypeError, match="wrt must be a Value"):
        step_through(colah["e"], mode="forward", wrt="b")


def test_reverse_mode_refuses_a_wrt_and_unknown_modes_are_refused(colah):
    with pytest.raises(ValueError, match="wrt=.* with mode='reverse'"):
        step_through(colah["e"], wrt=colah["b"])
    with pytest.raises(ValueError, match="mode='sideways'; use one of 'reverse', 'forward'"):
        step_through(colah["e"], mode="sideways")


def test_an_index_past_the_end_says_how_many_frames_there_are(colah):
    stepper = step_through(colah["e"])
    assert stepper[-1].index == 4
    with pytest.raises(IndexError, match="this stepper has 5 frames"):
        stepper[5]


def test_save_frames_writes_one_svg_per_frame_and_the_captions(tmp_path, colah):
    stepper = step_through(colah["e"])
    paths = stepper.save_frames(tmp_path / "frames")
    assert [p.rsplit("/", 1)[1] for p in map(str, paths)] == [f"frame_00{i}.svg" for i in range(5)]
    assert open(paths[3]).read() == stepper[3].svg
    captions = (tmp_path / "frames" / "captions.txt").read_text().splitlines()
    assert captions[1] == f"frame_001: {stepper[1].caption}"


def test_the_page_is_self_contained_with_every_frame_and_caption(tmp_path, colah):
    stepper = step_through(colah["e"])
    page = stepper.save_html(tmp_path / "stepper.html").read_text()
    assert re.findall(r"https?://|<link|@import|@font-face", page) == []  # nothing to fetch
    assert page.count('src="data:image/svg+xml;base64,') == len(stepper)
    assert all(frame.caption.replace("×", "\\u00d7") in page for frame in stepper)


def test_each_displayed_stepper_gets_its_own_element_ids(colah):
    stepper = step_through(colah["e"])
    first, second = stepper._repr_html_(), stepper._repr_html_()
    ids_first, ids_second = re.findall(r'id="([^"]+)"', first), re.findall(r'id="([^"]+)"', second)
    assert len(ids_first) == len(set(ids_first)) == len(stepper) + 8  # frames, controls, captions
    assert set(ids_first).isdisjoint(ids_second)


def test_widget_without_ipywidgets_says_how_to_install_it(colah, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import now fails, as if not installed
    with pytest.raises(ImportError, match="pip install ipywidgets"):
        step_through(colah["e"]).widget()


def test_widget_shows_the_frames_when_ipywidgets_is_installed(colah):
    pytest.importorskip("ipywidgets", reason="ipywidgets is optional and not installed")
    stepper = step_through(colah["e"])
    widget = stepper.widget()
    controls, caption, picture = widget.children
    slider = controls.children[1]
    slider.value = 3
    assert stepper[3].caption.split(":")[0] in caption.value
    assert svg_data_uri(stepper[3].svg) in picture.value
