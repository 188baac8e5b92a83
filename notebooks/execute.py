"""Re-run every notebook here in place, so the committed outputs are those of a real run.

    make notebooks        (or: .venv/bin/python notebooks/execute.py [NAME-PREFIX ...], e.g. 04 07)

Cells run top to bottom on a "python3" kernel with notebooks/ as the working
directory. No timestamps are recorded, so a re-run only changes what changed.
"""

import sys
from pathlib import Path

import nbclient
import nbformat

HERE = Path(__file__).resolve().parent

chosen = sys.argv[1:]  # prefixes of the notebooks to run; none: all of them
for path in sorted(HERE.glob("*.ipynb")):
    if chosen and not path.name.startswith(tuple(chosen)):
        continue
    print(f"running {path.name}", flush=True)
    notebook = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        notebook,
        timeout=120,
        record_timing=False,
        resources={"metadata": {"path": str(HERE)}},
    ).execute()
    nbformat.write(notebook, path)
