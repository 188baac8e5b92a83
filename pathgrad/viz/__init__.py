"""pathgrad.viz: computation graphs as pictures, and the chain rule step by step.

- `draw(root)` gives a graphviz.Digraph, shown inline by Jupyter: each value
  a record `label | data | grad`, each operation an op node between its
  operands and its result, optionally each edge labelled with its local grad.
- `to_svg(root)` and `save(root, "graph.svg")` (.svg .png .pdf .dot) render it.
- `draw_paths(root, wrt)` colours every path from wrt to root and tabulates
  the path sum: d root/d wrt = sum over paths of the product of local grads.
- `step_through(root)` replays backward() one node at a time, and
  `step_through(root, mode="forward", wrt=x)` replays forward mode. The
  Stepper shows in every Jupyter client (a storyboard where scripts do not
  run, the interactive stepper where they do), as `stepper.widget()` in a
  live kernel, and saves as one self-contained HTML page or a PDF.
- Big graphs: `collapse=[scope names]`, `around=node, depth=k`; slides:
  `theme="dark"`, `fontsize=`, `scale=`.

Rendering uses Graphviz's `dot`; without it, SVG and PNG come from Graphviz
compiled to WebAssembly (viz/wasm.py), and PDF raises `GraphvizNotFound`
with the commands that install dot (`install_hint()`). Graphviz stopped
past its time limit (`timeout=`, 30 s) raises `GraphvizTimeout`. A slide
(`size=`) whose text is under 20 px at 1080 lines warns `SmallSlideText`.

The modules, from the bottom up: theme (colours, fonts), options (the
`Look`: every drawing option, checked once), text (names and labels), dot
and wasm (running Graphviz), view (which part is drawn), plan (fitting the
drawing to its place), scene (the drawing as plain data), digraph (a Scene
made the Drawing Jupyter shows), then draw, paths and the stepper package.
Each imports only those below it.

>>> from pathgrad import Value
>>> from pathgrad.viz import draw
>>> a, b = Value(2.0, "a"), Value(1.0, "b")
>>> e = (a + b) * (b + 1); e.label = "e"; e.backward()
>>> "{ e | data 6 | grad 1 }" in draw(e).source
True
"""

from .dot import GraphvizNotFound, GraphvizTimeout, install_hint
from .draw import FORMATS, draw, save, to_svg
from .options import Wording
from .paths import draw_paths
from .plan import SmallSlideText
from .stepper import Frame, Stepper, step_through

__all__ = [
    "FORMATS",
    "Frame",
    "GraphvizNotFound",
    "GraphvizTimeout",
    "SmallSlideText",
    "Stepper",
    "Wording",
    "draw",
    "draw_paths",
    "install_hint",
    "save",
    "step_through",
    "to_svg",
]
