"""Showing never fails: a drawing too big to read is one line, decided before any layout."""

import xml.etree.ElementTree as ElementTree

import pytest

import pathgrad.viz.digraph as digraph
import pathgrad.viz.dot as dot
from pathgrad import Value
from pathgrad.engine.validation import Refused
from pathgrad.nn.lecture import moons_loss, sample_loss
from pathgrad.viz import draw, save, to_svg
from pathgrad.viz.estimate import LAID_OUT, Oversized, too_big
from pathgrad.viz.options import Look
from pathgrad.viz.plan import Plan, plans, readable_px, slide_text, text_px

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def moons():
    total, _ = moons_loss()
    return total


def smallest_text(svg):
    """The smallest text of an SVG document in CSS px, as displayed at its width attribute."""
    root = ElementTree.fromstring(svg)
    width = float(root.get("width").removesuffix("px"))
    view_width = float(root.get("viewBox").split()[2])
    return min(float(t.get("font-size")) for t in root.iter(f"{SVG}text")) * width / view_width


def test_moons_loss_display_never_raises_and_is_a_readable_picture_or_one_line(moons):
    bundle, metadata = draw(moons)._repr_mimebundle_()
    if "image/svg+xml" in bundle:
        assert smallest_text(bundle["image/svg+xml"]) >= 8
        assert float(ElementTree.fromstring(bundle["image/svg+xml"]).get("width").removesuffix("px")) <= 952
    else:
        line = bundle["text/plain"]
        assert list(bundle) == ["text/plain"] and "\n" not in line
        assert line.startswith("draw: too big to read: this graph of 8318 values")
        assert "around=" in line and "collapse=" in line and "width=None" in line and "one sample" in line


def test_moons_loss_is_judged_without_running_graphviz(moons, monkeypatch):
    def no_graphviz(*args, **kwargs):
        raise AssertionError("Graphviz ran")

    monkeypatch.setattr(dot.subprocess, "Popen", no_graphviz)
    best = next(iter(plans(moons, Look())))
    assert too_big(best) and best.units > LAID_OUT  # 2561 nodes, with each layer a box
    assert text_px(best, best.estimate) < 1.0
    assert isinstance(draw(moons, fold=False), Oversized)


def test_saving_or_rendering_the_moons_loss_is_one_refused_line_and_writes_nothing(moons, tmp_path):
    for make in (lambda: to_svg(moons, fold=False), lambda: save(moons, tmp_path / "moons.png", fold=False),
                 lambda: save(moons, tmp_path / "moons.dot", fold=False)):
        with pytest.raises(Refused) as refused:
            make()
        assert isinstance(refused.value, ValueError) and "\n" not in str(refused.value)
        assert "too big to read: this graph of 8318 values draws" in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_least_text_is_the_font_shrunk_to_the_cell():
    plan = Plan("LR", [], "", 952, None, 12, (0, 0))
    assert text_px(plan, (1428, 100)) == 8.0  # 1904 CSS px shown at 952: 16 px text at half
    assert text_px(plan, (714, 100)) == 16.0  # fits: 12 pt is 16 px
    assert text_px(plan._replace(width=None), (14280, 100)) == 16.0


def test_a_slides_text_is_the_font_grown_or_shrunk_to_fill_its_box():
    slide = Plan("LR", [], "", 960, 540, 12, (0, 0))  # size=(1920, 1080): 960 x 540 CSS px
    assert text_px(slide, (360, 100)) == 32.0  # 480 CSS px wide, grown to fill 960: 64 px of output
    assert text_px(slide, (720, 100)) == 16.0  # 960 CSS px: as it is
    assert text_px(slide, (100, 810)) == 8.0  # 1080 CSS px tall, shown 540: the height decides
    assert readable_px(slide) == 10.0 and readable_px(slide._replace(width=640, height=360)) == 20 / 3
    assert slide_text(slide._replace(width=640, height=360), (960, 100)) == 24.0  # 16 px on 720 lines


def test_a_small_graph_laid_out_too_small_shows_one_line_but_is_still_saved(tmp_path):
    x, y = Value(0.1, "x"), Value(0.2, "y")
    s = x * y
    for k in range(40):
        s = s * (x if k % 2 else y) + 1
    drawing = draw(s, rankdir="LR")  # 123 values left to right: text far under 8 px at 952
    assert not isinstance(drawing, Oversized)
    bundle, _ = drawing._repr_mimebundle_()
    assert list(bundle) == ["text/plain"] and bundle["text/plain"].startswith("draw: too big to read: this graph of 123 values")
    assert save(s, tmp_path / "s.svg", rankdir="LR").read_text().startswith("<?xml")


def test_a_timeout_while_showing_is_one_line_not_a_traceback(monkeypatch):
    def slow(self, source, format):
        raise dot.GraphvizTimeout("Graphviz's dot took more than 30 s to lay out this graph")

    y = Value(2.0, "a") * 3
    drawing = draw(y, width=None)
    monkeypatch.setattr(digraph.Drawing, "_run", slow)
    bundle, metadata = drawing._repr_mimebundle_()
    assert list(bundle) == ["text/plain"] and metadata == {}
    assert "took more than" in bundle["text/plain"] and "\n" not in bundle["text/plain"]


@pytest.fixture(scope="module")
def one_sample():
    """One moons sample through micrograd's MLP(2, [16, 16, 1]), hinge loss, after backward."""
    return sample_loss()[0]


def test_one_samples_stepper_page_is_under_1_mb(one_sample, tmp_path):
    from pathgrad.viz import step_through

    stepper = step_through(one_sample)
    stepper.save_html(tmp_path / "one.html")
    assert (tmp_path / "one.html").stat().st_size <= 1_000_000
    assert len(stepper._repr_html_()) <= 1_000_000


# estimate.page_bytes for it: 100 KB, and 135 B for each of its 355 nodes and edges in each of 38 pictures.
PAGE_ESTIMATE = 100_000 + 135 * 355 * 38  # 1.92 MB


def test_a_stepper_allowed_by_the_estimate_is_built_at_about_its_estimate(one_sample, monkeypatch):
    import pathgrad.viz.estimate as estimate
    from pathgrad.viz import step_through

    estimates, page_bytes = [], estimate.page_bytes
    monkeypatch.setattr(estimate, "page_bytes", lambda *args: estimates.append(page_bytes(*args)) or estimates[-1])
    neurons = [f"L{layer}.n{i}" for layer in (0, 1) for i in range(16)] + ["L2.n0"]
    stepper = step_through(one_sample, collapse=neurons)  # 38 frames, 355 nodes and edges
    assert len(stepper) == 38
    # Allowed: what the code decides, from the counts of nodes and edges alone.
    assert estimates == [PAGE_ESTIMATE] and PAGE_ESTIMATE <= 2_000_000
    # Built: its size follows dot's layout, so the fonts dot measures with (1.94 MB in DejaVu Sans,
    # 1.97 in Noto Sans, 2.07 in Liberation Sans: 1 to 8% over the estimate).
    built = len(step_through(one_sample, collapse=neurons, max_bytes=10**8)._repr_html_().encode())
    assert abs(built / PAGE_ESTIMATE - 1) <= 0.1


def test_a_page_built_over_max_bytes_is_refused_whole_though_the_estimate_allowed_it(one_sample, tmp_path):
    from pathgrad.viz import step_through

    neurons = [f"L{layer}.n{i}" for layer in (0, 1) for i in range(16)] + ["L2.n0"]
    built = len(step_through(one_sample, collapse=neurons, max_bytes=10**8)._repr_html_().encode())
    assert built > PAGE_ESTIMATE  # the estimate is a little under it, whatever dot's fonts
    # the estimate passes both; a saved page is the fragment in a short HTML document
    allowed = step_through(one_sample, collapse=neurons, max_bytes=built + 1_000)
    over = step_through(one_sample, collapse=neurons, max_bytes=built - 1)
    assert len(allowed._repr_html_().encode()) == built
    # shown as its one line (display never raises), and saved never: nothing is written
    line = over._repr_html_()
    assert line.startswith("<pre>step_through: its page came out at ") and line.count("\n") == 0
    assert f"(38 frames), more than max_bytes={built - 1}; step through one sample" in line
    with pytest.raises(Refused, match="came out at .* MB .*max_bytes") as refused:
        over.save_html(tmp_path / "s.html")
    assert refused.value.option == "max_bytes" and list(tmp_path.iterdir()) == []
    allowed.save_html(tmp_path / "s.html")
    assert built < (tmp_path / "s.html").stat().st_size <= built + 1_000


def test_a_stepper_whose_page_would_pass_2_mb_is_refused_before_any_frame(one_sample, monkeypatch):
    import pathgrad.viz.stepper.stepper as stepper_module
    from pathgrad.viz import step_through

    def no_frames(*args, **kwargs):
        raise AssertionError("a frame was built")

    monkeypatch.setattr(stepper_module, "Film", no_frames)
    monkeypatch.setattr(stepper_module, "picture", no_frames)
    with pytest.raises(Refused) as refused:
        step_through(one_sample, collapse=["L0", "L1.n0", "L1.n1", "L2"])  # 5.0 MB when built
    line = str(refused.value)
    assert isinstance(refused.value, ValueError) and "\n" not in line
    assert line.startswith("step_through: its page would take about 4 MB (37 frames), more than "
                           "max_bytes=2000000")
    assert "one sample" in line and "around=" in line and "collapse=" in line
    assert len(step_through(one_sample, collapse=["L0", "L1.n0", "L1.n1", "L2"], max_bytes=20_000_000)) == 37
    with pytest.raises(Refused, match="max_bytes"):
        step_through(one_sample, max_bytes=0)
