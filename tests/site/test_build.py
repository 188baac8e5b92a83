"""The site's copies of the notebooks (notebooks/site/build.py, no browser needed): matplotlib's line charts
through pathgrad.viz.plot, numpy through a stand-in, and a note naming the cells that need numpy."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Loaded from its file: a module named `build` may already be PyPI's (the `build` package).
_spec = importlib.util.spec_from_file_location("pathgrad_site_build", ROOT / "notebooks" / "site" / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)


def code(notebook):
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


def test_a_matplotlib_notebook_plots_through_pathgrad_viz_plot_and_needs_no_note():
    copy = build.for_the_browser(ROOT / "notebooks" / "09_second_derivatives.ipynb")
    first = code(copy)[0]
    assert "%matplotlib inline" not in first
    assert ("try:\n    import matplotlib.pyplot as plt\nexcept ImportError:  # in the browser site: no matplotlib.pyplot here\n"
            "    from pathgrad.viz import plot as plt  # line charts as Vega-Lite\n") in first
    assert all(cell.get("id") != "pathgrad-browser-note" for cell in copy["cells"])  # every cell runs there
    original = json.loads((ROOT / "notebooks" / "09_second_derivatives.ipynb").read_text())
    assert code(copy)[1:] == code(original)[1:]  # only the imports differ


def test_a_numpy_notebook_gets_the_stand_in_and_a_note_naming_its_cells():
    copy = build.for_the_browser(ROOT / "notebooks" / "05_activations_and_losses.ipynb")
    assert ("except ImportError:  # in the browser site: no numpy here\n"
            "    from pathgrad.viz.browser import Missing\n    np = Missing('numpy')") in code(copy)[0]
    note = copy["cells"][0]
    assert note["id"] == "pathgrad-browser-note"
    listed = [line for line in note["source"].splitlines() if line.startswith("- code cell")]
    assert [line.split(":")[0] for line in listed] == ["- code cell 2", "- code cell 3", "- code cell 4", "- code cell 8"]
    assert listed[0] == "- code cell 2: `xs = np.linspace(-4, 4, 161)`"


def test_a_data_set_cell_is_named_too():
    copy = build.for_the_browser(ROOT / "notebooks" / "11_micrograds_lecture_at_real_size.ipynb")
    assert "- code cell 2: `X, y = data.make_moons(100, noise=0.1, seed=1337)`" in copy["cells"][0]["source"]
