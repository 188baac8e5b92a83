"""save: the format from the extension, written atomically."""

import os

import pytest

from pathgrad import Value
from pathgrad.viz import draw, draw_paths, save
from tests.content import pdf_ink, pdf_pages, pdf_words, png_size, svg_texts
from tests.viz.test_missing_dot import needs_wasm, run_without_dot

MAGIC = {".svg": b"<?xml", ".png": b"\x89PNG", ".pdf": b"%PDF", ".dot": b"digraph pathgrad"}


@pytest.mark.parametrize("extension", sorted(MAGIC))
def test_save_writes_the_format_its_extension_names(tmp_path, colah, extension):
    path = tmp_path / f"colah{extension}"
    assert save(colah["e"], path) == path
    assert path.read_bytes().startswith(MAGIC[extension])


# colah's graph after backward: every node's name, data and grad, as the drawing writes them.
COLAH_TEXTS = ["a", "data 2", "grad 2", "b", "data 1", "grad 5", "c", "data 3", "grad 2",
               "d", "data 2", "grad 3", "e", "data 6", "grad 1"]


def test_a_saved_svg_and_pdf_hold_every_nodes_texts_and_the_png_a_picture(tmp_path, colah):
    colah["e"].backward()
    for extension in (".svg", ".pdf", ".png"):
        save(colah["e"], tmp_path / f"colah{extension}")
    texts = svg_texts(tmp_path / "colah.svg")
    assert [t for t in texts if t not in ("+", "*", "1")] == COLAH_TEXTS
    assert texts.count("+") == 2 and texts.count("*") == 1
    [(size, text)] = pdf_pages(tmp_path / "colah.pdf")  # one page
    assert size[0] > 200 and size[1] > 50
    for node in ("a data 2 grad 2", "b data 1 grad 5", "c data 3 grad 2", "d data 2 grad 3", "e data 6 grad 1"):
        assert node in text
    width, height = png_size(tmp_path / "colah.png")
    assert width > 200 and height > 50 and width / height == pytest.approx(size[0] / size[1], rel=0.1)


def test_the_extension_is_read_case_insensitively(tmp_path, colah):
    path = tmp_path / "colah.SVG"
    save(colah["e"], path)
    assert path.read_bytes().startswith(b"<?xml")


def test_save_passes_drawing_options_on(tmp_path, colah):
    path = tmp_path / "colah.dot"
    save(colah["e"], path, rankdir="TB", show_local_grads=True)
    assert path.read_text() == draw(colah["e"], rankdir="TB", show_local_grads=True).source


def test_a_drawing_already_made_is_saved_as_it_is(tmp_path, colah):
    drawing = draw_paths(colah["e"], colah["b"])
    save(drawing, tmp_path / "paths.dot")
    assert (tmp_path / "paths.dot").read_text() == drawing.source


def test_options_with_a_drawing_already_made_are_refused(tmp_path, colah):
    with pytest.raises(TypeError, match=r"save: got options \['rankdir'\] with a drawing that is already made"):
        save(draw(colah["e"]), tmp_path / "x.svg", rankdir="TB")


def test_an_unknown_extension_is_refused_naming_the_accepted_ones(tmp_path, colah):
    with pytest.raises(ValueError, match=r"save: .*'\.jpeg'; use one of \.svg, \.png, \.pdf, \.dot"):
        save(colah["e"], tmp_path / "colah.jpeg")
    assert list(tmp_path.iterdir()) == []


def test_saving_replaces_the_old_file_and_leaves_no_temporary_file(tmp_path, colah):
    path = tmp_path / "graph.svg"
    path.write_text("old")
    save(colah["e"], path)
    assert path.read_text().startswith("<?xml")
    assert os.listdir(tmp_path) == ["graph.svg"]


def test_a_failed_render_leaves_the_old_file_untouched(tmp_path):
    path = tmp_path / "graph.svg"
    path.write_text("old")
    with pytest.raises(ValueError, match="max_nodes"):
        save(Value(1.0) * 2, path, max_nodes=1)
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["graph.svg"]


def test_a_pdf_with_size_is_a_page_of_that_many_pixels_at_96_dpi_with_the_drawing_fitted(tmp_path, colah):
    colah["e"].backward()
    save(colah["e"], tmp_path / "slide.pdf", size=(1920, 1080))
    [(size, text)] = pdf_pages(tmp_path / "slide.pdf")
    assert size == (1440, 810) and "b data 1 grad 5" in " ".join(text.split())  # 16:9, like the PNG of that size
    words = pdf_words(tmp_path / "slide.pdf")
    assert max(x + w for _, x, _, w, _ in words) - min(x for _, x, _, _, _ in words) > 0.8 * 1440  # fitted across


@needs_wasm
def test_without_dot_a_drawing_and_a_stepper_save_as_pdf_with_their_text_and_slide_pages_are_16_by_9(tmp_path):
    # pip alone: no dot on PATH, so Graphviz's WebAssembly build lays out and fpdf2 writes the PDF.
    run_without_dot(
        f"""
        from pathgrad import Value
        from pathgrad.viz import save, step_through
        a, b = Value(2.0, "a"), Value(1.0, "b")
        c = a + b; c.label = "c"; d = b + 1; d.label = "d"
        e = c * d; e.label = "e"
        stepper = step_through(e)
        e.backward()
        folder = {str(tmp_path)!r}
        save(e, folder + "/colah.pdf")
        save(e, folder + "/slide.pdf", size=(1920, 1080), theme="dark")
        stepper.save(folder + "/steps.pdf")
        stepper.save(folder + "/slides.pdf", size=(1920, 1080))
        """
    )
    [(size, text)] = pdf_pages(tmp_path / "colah.pdf")  # the page is the picture's size
    assert size[0] > 3 * size[1] > 150, size  # colah's graph, left to right
    for node in ("a data 2 grad 2", "b data 1 grad 5", "c data 3 grad 2", "d data 2 grad 3", "e data 6 grad 1"):
        assert node in " ".join(text.split())
    [(size, text)] = pdf_pages(tmp_path / "slide.pdf")
    assert size == (1440, 810) and "b data 1 grad 5" in " ".join(text.split())  # 1920 × 1080 px at 96 dpi
    for name, pages in (("steps.pdf", 5), ("slides.pdf", 5)):
        read = pdf_pages(tmp_path / name)
        assert len(read) == pages and len({size for size, _ in read}) == 1
        # frame 3's caption, its ∂ in the shipped font, and the picture's own texts
        assert "Frame 3 of 5. d has its full grad de/dd = 3" in " ".join(read[2][1].split())
        assert "∂d/∂b × de/dd = 1 × 3 = 3" in read[2][1] and "grad 3" in read[2][1]
        assert all(0.01 < pdf_ink(tmp_path / name, page) < 0.5 for page in (1, 5))  # drawn, not blank
    assert pdf_pages(tmp_path / "slides.pdf")[0][0] == (1440, 810)
    assert 0.01 < pdf_ink(tmp_path / "slide.pdf") < 0.5
