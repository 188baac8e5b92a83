"""step_through: frames, captions and the page, checked against the engine's own numbers."""

import html
import json
import math
import random
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ElementTree

import pytest

from pathgrad import Value, backward_trace, forward_mode, topological_order
from pathgrad.viz import draw, step_through
from tests.content import pdf_pages, pdf_words

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
        assert re.match(rf"[^:]+? has its full grad .+? = {re.escape(n(step.grad))} and passes", caption)
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
    assert "so b.grad = 3 + 2 = 5." in stepper[3].caption


def test_the_caption_shows_the_accumulation_of_a_second_contribution(colah):
    # Backward runs e, then d (b gets 3 = 1 × 3), then c (a gets 2, and b's second 2 adds to its 3).
    captions = [frame.caption for frame in step_through(colah["e"])]
    assert captions[2].endswith("∂d/∂b × de/dd = 1 × 3 = 3, so b.grad = 3 so far.")
    assert captions[3].endswith(
        "∂c/∂a × de/dc = 1 × 2 = 2, so a.grad = 2; ∂c/∂b × de/dc = 1 × 2 = 2, so b.grad = 3 + 2 = 5."
    )
    assert not any("b.grad = 5" in caption for caption in captions[:3])


def test_a_negative_second_contribution_is_bracketed():
    x = Value(3.0, "x")
    y = x - x * x  # dy/dx = 1 - 2x = -5: backward adds 1, then -3 and -3
    y.label = "y"
    captions = [frame.caption for frame in step_through(y)]
    assert "so x.grad = 1 so far;" in captions[1]
    assert captions[2].endswith("so x.grad = 1 + (-3) = -2 so far; "
                                "∂(x * x)/∂x × dy/d(x * x) = 3 × -1 = -3, so x.grad = -2 + (-3) = -5.")


def test_an_edge_into_a_constant_gets_no_contribution_and_no_highlight(colah):
    frame = step_through(colah["e"])[2]  # d = b + 1 passes its grad 3 down to b, and nothing to the 1
    d = colah["d"]
    assert set(frame._state.edge_attrs) == {(d, None), (d, 0)}
    assert "1 × 3 = 3" in frame.caption and frame.caption.count("× 3 = 3") == 1
    labelled = re.findall(r'(\w+) -> (\w+) \[label="([^"]*)"', frame.source)
    assert [label for *_, label in labelled] == ["1 × 3 = 3"]
    edges = {line.split("[")[0].strip(): line for line in frame.source.splitlines() if " -> " in line}
    assert "penwidth=2" in edges["v1 -> op4"]  # b's edge is drawn in the focus style
    assert edges["v3 -> op4"] == '\tv3 -> op4 [id=e4_1 tooltip="∂d/∂1 = 1"]'  # the constant's edge is plain
    forward = step_through(colah["e"], mode="forward", wrt=colah["b"])
    d_step = next(f for f in forward if "dd/db = sum" in f.caption)
    assert set(d_step._state.edge_attrs) == {(d, None), (d, 0)}


def test_each_frame_carries_one_counter(colah, tanh_neuron):
    counter = re.compile(r"\b(?:Frame|Step) \d+ of \d+")
    for stepper in (step_through(colah["e"]), step_through(colah["e"], mode="forward", wrt=colah["b"]),
                    step_through(tanh_neuron["o"])):
        count = len(stepper)
        for frame in stepper:
            assert not counter.search(frame.caption)
            assert counter.findall(repr(frame)) == [f"Frame {frame.index + 1} of {count}"]
        figcaptions = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", stepper._repr_html_())
        assert [counter.findall(text) for text in figcaptions] == [[f"Frame {i} of {count}"] for i in range(1, count + 1)]


def test_the_last_frame_is_the_drawing_after_backward(tanh_neuron):
    o = tanh_neuron["o"]
    stepper = step_through(o, show_local_grads=True, precision=6, rankdir="LR")
    o.backward()
    assert stepper[-1].source == draw(o, show_local_grads=True, precision=6, rankdir="LR").source
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
    assert stepper[4].caption.endswith("∂e/∂c × dc/db + ∂e/∂d × dd/db = 2 × 1 + 3 × 1 = 5.")
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
    names = re.sub(r'xmlns(:xlink)?=\\?"http://www\.w3\.org/[^"\\]+', "", page)  # names, never fetched
    assert re.findall(r"https?://|<link|@import|@font-face", names) == []  # nothing to fetch
    assert page.count("<img src='data:image/svg+xml,") == len(stepper)  # the storyboard
    data = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S)[1])
    assert data["captions"] == [frame.caption for frame in stepper]
    assert len(data["changes"]) == len(stepper) and data["svg"].startswith("<svg")


def storyboard(stepper):
    """[(caption, [(svg root, shown width px, shown height px)])] for each frame the storyboard shows."""
    page = stepper._repr_html_()
    frames = []
    for figure in re.findall(r"<figure.*?</figure>", page, re.S):
        caption = html.unescape(re.search(r"<figcaption[^>]*>(.*?)</figcaption>", figure, re.S)[1])
        images = [
            (ElementTree.fromstring(urllib.parse.unquote(uri)), int(w), int(h))
            for uri, w, h in re.findall(r"<img src='data:image/svg\+xml,([^']+)' width=\"(\d+)\" height=\"(\d+)\"", figure)
        ]
        frames.append((caption, images))
    return frames


def drawn_records(svg):
    """{name: (left, top, right, bottom) in the SVG's own coordinates} of each record drawn whole or in part."""
    tx, ty = map(float, re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", svg.find(f"{SVG}g").get("transform")).groups())
    records = {}
    for group in svg.iter(f"{SVG}g"):
        texts = [t.text for t in group.iter(f"{SVG}text")]
        polygon = group.find(f"{SVG}polygon")
        if group.get("class") != "node" or polygon is None or not texts:
            continue
        points = [float(v) for v in re.findall(r"-?[\d.]+", polygon.get("points"))]
        xs, ys = points[0::2], points[1::2]
        records[texts[0]] = (min(xs) + tx, min(ys) + ty, max(xs) + tx, max(ys) + ty)
    return records


def shown_whole(images):
    """The names of the records some image shows whole, at a readable size (text of 8 CSS px or more)."""
    names = set()
    for svg, width, _ in images:
        left, top, w, h = map(float, svg.get("viewBox").split())
        sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', ElementTree.tostring(svg, encoding="unicode"))]
        assert min(sizes) * 4 / 3 * width / (w * 4 / 3) >= 8  # the smallest text, in CSS px as shown
        names |= {
            name for name, (x0, y0, x1, y1) in drawn_records(svg).items()
            if x0 >= left and y0 >= top and x1 <= left + w and y1 <= top + h
        }
    return names


def named_in(caption):
    """The nodes a caption names as the step's node or as holding a grad."""
    name = r"(\(.*?\)|[^\s(]+?)"  # a label, or an expression in brackets
    step = re.search(rf"^{name},? (?:the root, )?has", caption)
    return set(re.findall(rf"(?:so |: |, ){name}\.grad = ", caption)) | ({step[1]} if step else set())


def test_the_storyboard_shows_every_frame_with_its_caption_and_how_to_step_through(colah):
    stepper = step_through(colah["e"])
    page = stepper._repr_html_()
    for i, frame in enumerate(stepper):
        assert f"Frame {i + 1} of 5. {html.escape(frame.caption)}</figcaption>" in page
    assert "run the notebook from the top" in page
    # colah's six nodes fit a cell at full size: every frame is the whole graph, in one picture.
    frames = storyboard(stepper)
    assert len(frames) == 5
    for _, images in frames:
        assert len(images) == 1 and shown_whole(images) == {"a", "b", "c", "d", "e", "1"}
        assert images[0][1] <= 960


def test_storyboard_frames_show_whole_every_node_their_captions_name(tanh_neuron):
    # Too wide for a cell at readable size: frames are windows, which must still hold what the caption says.
    o = tanh_neuron["o"]
    stepper = step_through(o, show_local_grads=True, width=500)
    frames = storyboard(stepper)
    assert any(svg.get("viewBox") != stepper._picture().svg.split('viewBox="')[1].split('"')[0]
               for _, images in frames for svg, _, _ in images)  # some frame is cropped
    for caption, images in frames:
        assert all(width <= 500 for _, width, _ in images)
        assert named_in(caption) <= shown_whole(images), caption
    products = named_in(frames[4][0]) | named_in(frames[5][0])  # the steps at x1 * w1 and x2 * w2
    assert products >= {"x1", "w1", "x2", "w2"}


def test_the_storyboards_last_frame_shows_every_leafs_grad(tanh_neuron):
    stepper = step_through(tanh_neuron["o"], width=500)
    caption, images = storyboard(stepper)[-1]
    assert shown_whole(images) >= {"x1", "x2", "w1", "w2", "b", "o"}
    texts = {t.text for svg, _, _ in images for t in svg.iter(f"{SVG}text")}
    assert {"grad -1.5", "grad 1", "grad 0.5", "grad 0"} <= texts  # x1 -1.5, w1 1, w2 and b 0.5, x2 0


def test_a_big_storyboard_shows_evenly_spaced_frames_from_the_first_to_the_last():
    from pathgrad.viz.stepper.page import STORYBOARD_FRAMES

    x = Value(0.5, "x")
    for _ in range(100):
        x = x * 0.99  # 100 steps: 102 frames
    stepper = step_through(x, max_bytes=20_000_000)  # a 13.5 MB page: over the default 2 MB
    page = stepper._repr_html_()
    shown = [int(n) for n in re.findall(r"<figcaption[^>]*>Frame (\d+) of 102\.", page)]
    assert len(shown) == STORYBOARD_FRAMES and shown[0] == 1 and shown[-1] == 102
    assert f"102 frames ({STORYBOARD_FRAMES} of them shown here)" in page
    gaps = {b - a for a, b in zip(shown, shown[1:])}
    assert gaps <= {1, 2}  # evenly spaced


def test_past_max_frames_the_stepper_is_refused_naming_around_and_collapse():
    x = Value(0.5, "x")
    for _ in range(10):
        x = x * 2  # 10 backward steps: 12 frames
    with pytest.raises(ValueError, match=r"12 frames, more than max_frames=11; .*around=.*collapse=.*max_frames="):
        step_through(x, max_frames=11)
    assert len(step_through(x, max_frames=12)) == 12
    with pytest.raises(ValueError, match="max_frames=0"):
        step_through(x, max_frames=0)


def test_each_frame_changes_only_what_differs_from_the_frame_before(colah):
    shown = step_through(colah["e"])._picture()
    # Step 1: e (v5) is processed and c (v2), d (v4) get their grads; a, b, 1 are untouched.
    assert set(shown.changes[1]) == {"v2", "v4", "v5", "op5", "e5_0", "e5_1", "e5"}
    assert shown.changes[1]["v2"] == {"texts": [[-1, "grad 2"]]}
    assert shown.focus[1] == ["v5", "op5", "e5_0", "e5_1", "e5"]


def test_each_displayed_stepper_gets_its_own_element_ids(colah):
    stepper = step_through(colah["e"])
    # The ids of the page's own elements, not those inside its pictures.
    first, second = (re.sub(r"src='[^']*'", "", stepper._repr_html_()) for _ in range(2))
    ids_first, ids_second = re.findall(r'id="([^"]+)"', first), re.findall(r'id="([^"]+)"', second)
    assert len(ids_first) == len(set(ids_first)) == 4  # the stepper, its storyboard, its live part, its data
    assert set(ids_first).isdisjoint(ids_second)


def test_widget_without_anywidget_says_how_to_install_it(colah, monkeypatch):
    monkeypatch.setitem(sys.modules, "anywidget", None)  # import now fails, as if not installed
    monkeypatch.delitem(sys.modules, "pathgrad.viz.stepper.widget", raising=False)
    with pytest.raises(ImportError, match="pip install anywidget"):
        step_through(colah["e"]).widget()


def test_widget_carries_the_pages_data_and_controller(colah):
    pytest.importorskip("anywidget", reason="anywidget is optional and not installed")
    stepper = step_through(colah["e"])
    widget = stepper.widget()
    data = json.loads(widget.data)
    assert data["captions"] == [frame.caption for frame in stepper]
    assert data["changes"] == stepper._picture().changes
    assert "function mountStepper" in widget._esm and "export default" in widget._esm


def test_save_pdf_writes_one_page_per_frame_with_its_caption_all_one_size(tmp_path, colah):
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF back (pip install -e '.[test]')")
    stepper = step_through(colah["e"])
    path = stepper.save(tmp_path / "steps.pdf")
    pages = pypdf.PdfReader(path).pages
    assert len(pages) == len(stepper) == 5
    for i, page in enumerate(pages):
        text = " ".join(page.extract_text().split())
        assert text.startswith(f"Frame {i + 1} of 5. {stepper[i].caption[:40]}")
    assert "grad 3" in pages[2].extract_text()  # frame 3: b.grad = 3 so far
    assert len({tuple(map(float, page.mediabox)) for page in pages}) == 1
    assert stepper.save(tmp_path / "steps.html").read_text().startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError, match=r"Stepper.save: .*'\.png'; use \.html .* or \.pdf"):
        stepper.save(tmp_path / "steps.png")


def test_a_steppers_pdf_with_size_has_16_by_9_pages_the_picture_scaled_to_fit_under_the_caption(tmp_path, colah):
    stepper = step_through(colah["e"])
    path = stepper.save(tmp_path / "slides.pdf", size=(1920, 1080))
    pages = pdf_pages(path)
    assert [size for size, _ in pages] == [(1440, 810)] * 5  # 1920 × 1080 px printed at 96 dpi: 16:9
    positions = []
    for page in range(1, 6):
        words = pdf_words(path, page)
        caption = [w for w in words if w[2] < 60]  # the caption's band, at the top
        assert " ".join(w[0] for w in caption).startswith(f"Frame {page} of 5.")
        assert min(w[4] for w in caption) >= 20 * 1.1  # a 20 pt caption (27 px on the 1080-line slide)
        picture = [w for w in words if w[2] >= 60]
        assert all(w[1] >= 0 and w[1] + w[3] <= 1440 and w[2] + w[4] <= 810 for w in picture)
        positions.append({(w[0], round(w[1]), round(w[2])) for w in picture if w[0] in "abcde"})
        # colah's picture is wide: scaled to the page's width, its texts span most of it
        assert max(w[1] + w[3] for w in picture) - min(w[1] for w in picture) > 0.8 * 1440
    assert positions[0] and all(p == positions[0] for p in positions)  # the nodes never move
    with pytest.raises(ValueError, match=r"Stepper.save: got size=\(0, 1080\); use \(width, height\) in pixels"):
        stepper.save(tmp_path / "bad.pdf", size=(0, 1080))
    with pytest.raises(ValueError, match=r"Stepper.save: got size=\(1920, 1080\) for .*steps.html'; size= sizes a .pdf's"):
        stepper.save(tmp_path / "steps.html", size=(1920, 1080))
    assert not (tmp_path / "bad.pdf").exists() and not (tmp_path / "steps.html").exists()


def test_an_mlp_steppers_pdf_has_one_page_size_and_its_nodes_stay_put(tmp_path):
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF back (pip install -e '.[test]')")
    from pathgrad.nn import MLP

    random.seed(0)
    model = MLP(2, [3, 1], fused=False)
    loss = model([Value(0.5, "x0"), Value(-1.0, "x1")])
    loss.label = "y"
    stepper = step_through(loss, width=None)  # every neuron spelled out, as the 46-page PDF
    pages = pypdf.PdfReader(stepper.save(tmp_path / "mlp.pdf")).pages
    assert len(pages) == len(stepper) > 10
    assert len({tuple(map(float, page.mediabox)) for page in pages}) == 1
    # The same picture on every page: each page draws every node's name at the same place.
    def names(page):
        found = []
        page.extract_text(visitor_text=lambda text, cm, tm, *_: found.append((text.strip(), round(tm[4]), round(tm[5]))))
        return {item for item in found if re.fullmatch(r"L\d\.n\d\.\w+", item[0])}
    # (>=: a caption's text can split into runs of which one is just a name, such as L0.n1.b)
    assert names(pages[0]) and all(names(page) >= names(pages[0]) for page in pages)


def test_a_collapsed_neuron_gets_a_frame_naming_its_output_grad_and_its_parameters_grads():
    from pathgrad.engine import number_text
    from pathgrad.nn import MLP

    random.seed(0)
    model = MLP(2, [3, 1])
    y = model([1.0, -2.0])
    y.label = "y"
    stepper = step_through(y, collapse=["L0.n0", "L0.n1", "L0.n2", "L1"])
    y.backward()
    # forward done, one frame per box (the output neuron L1.n0 inside L1 first), backward done
    assert len(stepper) == 2 + 4
    boxes = [frame.caption.split(" (collapsed)")[0] for frame in stepper[1:-1]]
    assert boxes == ["L1", "L0.n2", "L0.n1", "L0.n0"]
    hidden = model.layers[0].neurons[1]
    caption = stepper[3].caption
    # The output is drawn as the box, so the caption calls it L0.n1; the neuron is active (relu' = 1),
    # so its output's grad is its bias's grad.
    assert hidden([1.0, -2.0]).data > 0
    assert caption.startswith(f"L0.n1 (collapsed): its output has its full grad dy/dL0.n1 = {number_text(hidden.b.grad, 4)};")
    for k, w in enumerate(hidden.w):  # the very numbers backward() gives the neuron's parameters
        assert f"L0.n1.w{k}.grad = {number_text(w.grad, 4)}" in caption
    assert f"L0.n1.b.grad = {number_text(hidden.b.grad, 4)}" in caption
    assert "step_through(..., expand=['L0.n1'])" in caption
    # the box is the frame's highlight: outlined in the focus colour, and only it
    source = stepper[3].source
    highlighted = re.findall(r'(\w+) \[[^\]]*color="#c2410c"', source)
    assert highlighted and all(name.startswith("s") for name in highlighted)
    assert re.search(r'label="L0\.n1 \| data [^|]+ \| grad ', source.replace("{ ", "").replace(" }", ""))


def test_an_auto_collapsed_stepper_steps_through_every_box():
    from pathgrad.nn import MLP

    random.seed(0)
    y = MLP(2, [3, 1])([1.0, -2.0])
    stepper = step_through(y, width=300)  # too narrow for the neurons spelled out: the fitter collapses them
    assert stepper.title.endswith("collapsed: L0.n0–2, L1.n0 — step_through(..., expand=['L0.n0']) to open")
    assert [frame.caption.split(" (collapsed)")[0] for frame in stepper[1:-1]] == \
        ["L1.n0", "L0.n2", "L0.n1", "L0.n0"]


def test_expanding_a_collapsed_layer_opens_it_one_level_and_collapsing_closes_it_again():
    from pathgrad.nn import MLP

    random.seed(0)
    y = MLP(2, [3, 1])([1.0, -2.0])
    closed = step_through(y, collapse=["L0"])
    assert len(closed) == 2 + 2  # L1's neuron spelled out (one step, y), the box L0
    opened = closed.expanded("L0")  # its three neurons become boxes of their own
    assert opened._collapsed == ("layers.0.neurons.0", "layers.0.neurons.1", "layers.0.neurons.2")
    assert len(opened) == 2 + 1 + 3
    spelled = opened.expanded("layers.0.neurons.1")  # its relu and its weighted sum: two steps for one box
    assert len(spelled) == len(opened) - 1 + 2
    assert [frame.caption for frame in spelled.collapsed("L0.n1")] == [frame.caption for frame in opened]
    assert [frame.caption for frame in opened.collapsed("L0")] == [frame.caption for frame in closed]
    with pytest.raises(ValueError, match=r"Stepper.expanded: 'L1' is not a collapsed box of this stepper; its boxes are L0"):
        closed.expanded("L1")
    with pytest.raises(ValueError, match="Stepper.collapsed: scope names 'L7'"):
        closed.collapsed("L7")


def test_the_page_data_names_each_box_and_each_open_scopes_nodes_for_a_click():
    from pathgrad.nn import MLP

    random.seed(0)
    stepper = step_through(MLP(2, [3, 1])([1.0, -2.0]), collapse=["L0"])
    data = stepper.page_data()
    assert data["boxes"] == {"s0": ["layers.0", "L0"]}
    assert set(map(tuple, data["scopes"].values())) == {("layers.1.neurons.0", "L1.n0")}
    svg = ElementTree.fromstring(data["svg"])
    ids = {g.get("id") for g in svg.iter(f"{SVG}g")}
    assert set(data["boxes"]) | set(data["scopes"]) <= ids  # each one an element the click lands on


def test_a_widget_click_on_a_box_sends_back_the_expanded_stepper():
    pytest.importorskip("anywidget")
    from pathgrad.nn import MLP

    random.seed(0)
    stepper = step_through(MLP(2, [3, 1])([1.0, -2.0]), collapse=["L0"])
    widget = stepper.widget()
    widget._reshape(widget, {"expand": "layers.0"}, [])
    data = json.loads(widget.data)
    assert len(data["captions"]) == 6 and set(data["boxes"]) == {"s0", "s1", "s2"}
    widget._reshape(widget, {"collapse": "layers.0.neurons.2"}, [])  # still collapsed: nothing changes
    widget._reshape(widget, {"collapse": "layers.0"}, [])
    assert json.loads(widget.data)["captions"] == stepper._captions()
    widget._reshape(widget, {"expand": 3}, [])  # not a scope name: ignored, nothing sent
    assert json.loads(widget.data)["captions"] == stepper._captions()


def test_a_hostile_scope_name_stays_data_in_the_page():
    from pathgrad import scope

    hostile = "</script><script>document.title='owned'</script>"
    a = Value(1.0, "a")
    with scope(hostile):
        b = a * 2
    c = b + 1
    c.label = "c"
    page = step_through(c, collapse=[hostile])._repr_html_()
    assert hostile not in page and page.count("<script") == 2


def test_a_collapsed_boxs_grad_field_changes_frame_by_frame_like_a_records():
    from pathgrad.engine import number_text
    from pathgrad.nn import MLP

    random.seed(0)
    model = MLP(2, [3, 1])
    y = model([1.0, -2.0])
    stepper = step_through(y, collapse=["L0.n0", "L0.n1", "L0.n2", "L1"])
    y.backward()
    changes = stepper.page_data()["changes"]
    box = next(key for key, name in stepper.page_data()["boxes"].items() if name[1] == "L0.n0")
    # frame 0 blanks the box's grad field (the third of its four lines), never the whole label into one line
    assert changes[0][box]["texts"] == [[-2, "grad"]]
    (output,) = stepper._scenes.outputs(box)  # the box's one output: its grad is the box's grad field
    later = [change[box]["texts"] for change in changes[1:] if "texts" in change.get(box, {})]
    assert later == [[[-2, f"grad {number_text(output.grad, 4)}"]]] and output.grad != 0


def test_a_forward_stepper_gives_a_collapsed_neuron_a_frame_with_its_output_tangent():
    from pathgrad.engine import number_text
    from pathgrad.nn import MLP

    random.seed(0)
    model = MLP(2, [3, 1])
    x = [Value(1.0, "x0"), Value(-2.0, "x1")]
    y = model(x)
    stepper = step_through(y, mode="forward", wrt=x[1], collapse=["L0.n0", "L0.n1", "L0.n2", "L1"])
    tangents = forward_mode(y, x[1])
    assert len(stepper) == 3 + 4  # forward done, seed, a frame per box, done
    neuron = [frame.caption for frame in stepper if "L0.n1 (collapsed)" in frame.caption]
    (output,) = [node for node in tangents if node.scope == "layers.0.neurons.1" and node.op == "relu"]
    assert len(neuron) == 1 and f"= {number_text(tangents[output], 4)}." in neuron[0]
    assert stepper[-2].caption.startswith("L1 (collapsed)")
    assert stepper[-1].caption.startswith("Forward mode done: ")
    assert f" = {number_text(tangents[y], 4)}, the number x1.grad holds" in stepper[-1].caption


def chain(steps):
    """x * 0.99 * 0.99 ...: a stepper of steps + 2 frames."""
    x = Value(0.5, "x")
    for _ in range(steps):
        x = x * 0.99
    return x


def test_a_stepper_too_big_raises_its_one_line_refusal_in_a_script():
    with pytest.raises(ValueError) as refused:
        step_through(chain(100))  # a page of about 5 MB, over max_bytes
    assert str(refused.value).startswith("step_through: its page would take about 5 MB (102 frames)")
    assert "\n" not in str(refused.value) and "around=" in str(refused.value)
    with pytest.raises(ValueError) as refused:
        step_through(chain(10), max_frames=5)
    assert "\n" not in str(refused.value) and "12 frames, more than max_frames=5" in str(refused.value)


def test_in_ipython_a_stepper_too_big_is_shown_as_its_one_line_and_refused_on_any_other_use(monkeypatch):
    from pathgrad.viz.stepper import stepper as module

    monkeypatch.setattr(module, "_in_ipython", lambda: True)
    big = step_through(chain(100))  # no exception: Run All goes on
    line = big._repr_mimebundle_()["text/plain"]
    assert line.startswith("step_through: its page would take about 5 MB (102 frames)") and "\n" not in line
    assert repr(big) == line
    for name in ("_repr_html_", "_ipython_display_", "_repr_png_"):  # IPython finds only the one line
        assert not hasattr(big, name)
    for use in (len, list, lambda s: s[0], lambda s: s.save("x.html"), lambda s: s.widget(), lambda s: s.title):
        with pytest.raises(ValueError, match=r"^step_through: its page would take about 5 MB") as refused:
            use(big)
        assert refused.value.option == "max_bytes"
    assert step_through(chain(10), max_frames=5)._repr_mimebundle_()["text/plain"].startswith(
        "step_through: this graph makes 12 frames, more than max_frames=5")
    with pytest.raises(ValueError, match="mode='sideways'"):  # a mistake, not a size: still raised
        step_through(chain(100), mode="sideways")
    assert len(step_through(chain(3))) == 5  # a stepper of a fitting size is made as ever


def test_run_all_goes_on_past_a_stepper_too_big_in_a_real_kernel(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    write_kernel_spec(str(tmp_path / "kernels" / "python3"))  # this interpreter's kernel, as tests/notebooks does
    manager = KernelManager(kernel_name="python3",
                            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")]))
    cells = [
        "from pathgrad import Value\nfrom pathgrad.viz import step_through\n"
        "x = Value(0.5, 'x')\nfor _ in range(100):\n    x = x * 0.99",
        "step_through(x)",
        "after = 'ran'\nafter",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    nbclient.NotebookClient(notebook, km=manager, kernel_name="python3", timeout=120).execute()
    (shown,) = notebook.cells[1].outputs
    assert shown.output_type == "execute_result" and set(shown.data) == {"text/plain"}
    assert shown.data["text/plain"].startswith("step_through: its page would take about 5 MB (102 frames)")
    assert "\n" not in shown.data["text/plain"]
    assert notebook.cells[2].outputs[0].data["text/plain"] == "'ran'"


def notebook_04_neuron():
    """Notebook 04's neuron: o = tanh(x1 w1 + x2 w2 + b), its products and sums labelled p1, p2, s, n."""
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    p1 = x1 * w1; p1.label = "p1"
    p2 = x2 * w2; p2.label = "p2"
    s = p1 + p2; s.label = "s"
    n = s + b; n.label = "n"
    o = n.tanh(); o.label = "o"
    o.backward()
    return o


def caption_px(caption, width):
    """A generous height in CSS px for a caption of 14 px text wrapped at `width` px: 20 px a line
    (14 px text's normal line height is 16 to 19 px), 9 px a character (its average is about 7)."""
    return math.ceil(len(caption) * 9 / width) * 20


def element_box(svg, key):
    """(left, top, right, bottom) of the element with id `key` in an SVG, in the viewBox's coordinates."""
    tx, ty = map(float, re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", svg.find(f"{SVG}g").get("transform")).groups())
    group = next(g for g in svg.iter(f"{SVG}g") if g.get("id") == key)
    shape = next(e for e in group.iter() if e.get("points"))
    points = [float(v) for v in re.findall(r"-?[\d.]+", shape.get("points"))]
    return min(points[0::2]) + tx, min(points[1::2]) + ty, max(points[0::2]) + tx, max(points[1::2]) + ty


@pytest.mark.parametrize("which", ["notebook 04's neuron", "the lecture's MLP(3, [4, 4, 1]) loss"])
def test_every_storyboard_frame_is_at_most_640_px_tall_and_shows_its_highlighted_node(which):
    from pathgrad.nn.lecture import lecture_loss

    root = notebook_04_neuron() if which.startswith("notebook") else lecture_loss()[0]
    stepper = step_through(root, show_local_grads=which.startswith("notebook"))
    shared = stepper._picture()
    frames = storyboard(stepper)
    assert len(frames) == len(stepper)
    for (caption, images), focus in zip(frames, shared.focus):
        # the pictures, the gaps between them and under the caption, and the caption
        tall = sum(h for _, _, h in images) + 4 * len(images) + caption_px(caption, 952 - 24)
        assert tall <= 640, caption
        for key in (key for key in focus if key[0] in "vs"):  # each highlighted node or box, whole in a window
            assert any(
                left <= x0 and top <= y0 and x1 <= left + w and y1 <= top + h
                for svg, _, _ in images if any(g.get("id") == key for g in svg.iter(f"{SVG}g"))
                for left, top, w, h in [map(float, svg.get("viewBox").split())]
                for x0, y0, x1, y1 in [element_box(svg, key)]
            ), (caption, key)


def test_a_tall_graphs_storyboard_frames_are_windows_that_still_show_what_their_captions_name(tanh_neuron):
    # At 500 px the neuron is drawn top to bottom, 967 px tall at a readable scale: every frame is windows.
    stepper = step_through(tanh_neuron["o"], width=500)
    for caption, images in storyboard(stepper):
        assert sum(h for _, _, h in images) + 4 * len(images) + caption_px(caption, 476) <= 640, caption
        assert named_in(caption) <= shown_whole(images), caption


def widget_at(widget):
    """(the frame the widget opens at, its caption, the scope of the node it highlights or None)."""
    stepper = widget.stepper
    frame = stepper[widget.frame]
    focus = frame._state.focus
    return widget.frame, frame.caption, stepper._scenes.view.scopes.get(focus[0]) if focus else None


def test_expanding_or_collapsing_in_the_widget_keeps_the_learner_at_the_same_backward_step():
    pytest.importorskip("anywidget")
    from pathgrad.nn import MLP

    random.seed(0)
    y = MLP(2, [3, 1])([1.0, -2.0])
    y.label = "y"
    widget = step_through(y, collapse=["L0"]).widget()  # forward done, y's step, the box L0, done
    assert widget.frame == 0
    widget._reshape(widget, {"expand": "L0", "frame": 2}, [])  # at L0's frame: its first neuron backward reaches
    assert len(widget.stepper) == 6
    frame, caption, _ = widget_at(widget)
    assert frame == 2 and caption.startswith("L0.n2 (collapsed)")
    widget._reshape(widget, {"expand": "L0.n1", "frame": 3}, [])  # at L0.n1's frame: its first step inside
    frame, caption, scope = widget_at(widget)
    assert frame == 3 and scope == "layers.0.neurons.1" and caption.startswith("relu(")
    second = widget.stepper[4].caption  # L0.n1's second step, its weighted sum
    widget._reshape(widget, {"expand": "L0.n2", "frame": 4}, [])  # L0.n2 opens before it: the same step, moved
    assert widget_at(widget) == (5, second, "layers.0.neurons.1")
    widget._reshape(widget, {"collapse": "L0.n1", "frame": 5}, [])  # back into L0.n1's box
    assert widget.frame == 4 and widget_at(widget)[1].startswith("L0.n1 (collapsed)")
    widget._reshape(widget, {"collapse": "L0", "frame": 1}, [])  # y's own step stays y's step
    assert widget_at(widget)[:2] == (1, step_through(y, collapse=["L0"])[1].caption)
    widget._reshape(widget, {"expand": "L0", "frame": 3}, [])  # the last frame stays the last
    assert widget.frame == len(widget.stepper) - 1 == 5
    data = json.loads(widget.data)
    assert len(data["captions"]) == 6 and '"frame"' not in widget.data  # the place is a trait of its own
