"""save: the format from the extension, written atomically."""

import os

import pytest

from pathgrad import Value
from pathgrad.viz import draw, draw_paths, save

MAGIC = {".svg": b"<?xml", ".png": b"\x89PNG", ".pdf": b"%PDF", ".dot": b"digraph pathgrad"}


@pytest.mark.parametrize("extension", sorted(MAGIC))
def test_save_writes_the_format_its_extension_names(tmp_path, colah, extension):
    path = tmp_path / f"colah{extension}"
    assert save(colah["e"], path) == path
    assert path.read_bytes().startswith(MAGIC[extension])


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
