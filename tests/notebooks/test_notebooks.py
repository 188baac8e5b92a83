"""The teaching notebooks run, check their own numbers, and are committed executed.

Each notebook is executed afresh by a Jupyter kernel running this very
interpreter (so it imports this checkout's pathgrad), with notebooks/ as its
working directory. An error or a failing assert in any cell fails the test;
no cell may hang (a generous per-cell guard, not a time budget: timings belong
in bench/, never in a unit test). The committed copies are checked too: they open by
saying what they teach, end with what to try next, and carry the outputs of
one run from top to bottom, so they read on GitHub with their drawings.
"""

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = [
    "01_chain_rule_on_a_graph",
    "02_forward_vs_reverse_mode",
    "03_paths_explode_factorization_does_not",
    "04_backprop_by_hand",
    "05_activations_and_losses",
    "06_gradient_checking",
    "07_training_an_mlp",
    "08_a_gpt_from_scalars",
    "09_second_derivatives",
    "10_check_your_backprop",
    "11_micrograds_lecture_at_real_size",
]
# What each committed notebook must show as pictures: graphviz drawings as SVG, and plots
# (pathgrad.viz.plot) as Vega-Lite with a static SVG beside, so that both render on GitHub.
VEGA = "application/vnd.vegalite.v5+json"
PICTURES = {
    "01_chain_rule_on_a_graph": {"image/svg+xml"},
    "02_forward_vs_reverse_mode": {"text/html", VEGA, "image/svg+xml"},  # its graphs are steppers
    "03_paths_explode_factorization_does_not": {"image/svg+xml", VEGA},
    "04_backprop_by_hand": {"image/svg+xml"},
    "05_activations_and_losses": {VEGA, "image/svg+xml"},
    "06_gradient_checking": {VEGA, "image/svg+xml"},
    "07_training_an_mlp": {VEGA, "image/svg+xml"},
    "08_a_gpt_from_scalars": {"image/svg+xml", VEGA, "text/html"},
    "09_second_derivatives": {"image/svg+xml", VEGA},
    "10_check_your_backprop": {"image/svg+xml"},
    "11_micrograds_lecture_at_real_size": {"image/svg+xml", "text/html", VEGA},  # drawings, a stepper, a plot
}
CELL_TIMEOUT_S = 900  # a hang guard only: a loaded machine may take minutes on notebook 08's GPT


def _read(name):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _kernel_manager(directory):
    """A manager for a "python3" kernel that runs sys.executable.

    A kernelspec written for this interpreter, in a directory of its own, so
    that a "python3" kernelspec of some other Python (in ~/.local/share/jupyter,
    say) cannot shadow it.
    """
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    write_kernel_spec(str(directory / "python3"))
    specs = KernelSpecManager(kernel_dirs=[str(directory)])
    return KernelManager(kernel_name="python3", kernel_spec_manager=specs)


def test_the_notebooks_of_the_issues_are_there_and_nothing_else():
    assert sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_and_its_asserts_hold(name, tmp_path):
    notebook = _read(name)
    client = nbclient.NotebookClient(
        notebook,
        km=_kernel_manager(tmp_path / "kernels"),
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error or failed assert
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))  # every cell ran, in order


@pytest.mark.parametrize("name", NAMES)
def test_notebook_opens_with_what_it_teaches_and_ends_with_what_to_try_next(name):
    cells = _read(name).cells
    assert cells[0].cell_type == "markdown"
    assert "What this notebook teaches" in cells[0].source
    assert cells[-1].cell_type == "markdown"
    assert "Try next" in cells[-1].source


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_carries_the_outputs_of_one_clean_run(name):
    notebook = _read(name)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    outputs = [output for cell in code for output in cell.outputs]
    assert outputs, f"{name} was committed without outputs"
    assert not [output for output in outputs if output.output_type == "error"]


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_shows_its_drawings_and_plots_as_images(name):
    shown = {
        mimetype
        for cell in _read(name).cells
        if cell.cell_type == "code"
        for output in cell.outputs
        for mimetype in output.get("data", {})
    }
    assert PICTURES[name] <= shown


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_uses_the_python3_kernel(name):
    assert _read(name).metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_opens_saying_what_it_needs_and_imports_neither_numpy_nor_matplotlib(name):
    """The browser site runs the notebooks as they are, and Pyodide from the registries has neither."""
    cells = _read(name).cells
    code = " ".join(cell.source for cell in cells if cell.cell_type == "code")
    first = cells[0].source
    assert "**What it needs.**" in first and "pip install -e '.[notebooks]'" in first and "make lab" in first
    assert "It imports pathgrad" in first
    for package in ("numpy", "matplotlib", "subprocess"):
        assert re.search(rf"^\s*(%|from\s+|import\s+){package}\b", code, re.M) is None, package
    assert "%matplotlib" not in code


@pytest.mark.parametrize("name", NAMES)
def test_every_plot_shows_as_vega_lite_with_its_static_svg(name):
    """Each figure's output carries both: JupyterLab and the site draw the chart, GitHub shows the SVG."""
    for cell in _read(name).cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data", {})
            if VEGA in data:
                assert "image/svg+xml" in data and data["image/svg+xml"].lstrip().startswith("<svg"), cell.source[:80]
