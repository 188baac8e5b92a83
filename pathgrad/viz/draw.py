"""draw, to_svg and save: one computational graph as a picture."""

import copy
import os
import sys
import time
import warnings
from operator import attrgetter

import graphviz

from pathgrad.engine.validation import RefusedType, RefusedValue
from pathgrad.files import write_atomically

from .digraph import to_digraph
from .dot import GraphvizNotFound, check_strings
from .estimate import Oversized, refusal, too_big
from .folded import check_opened, folded, opened_folds, sample_root, wants_folding
from .options import CELL_WIDTH, TIMEOUT, Look
from .plan import (PX_PER_PT, SLIDE_LINES, SLIDE_TEXT, TRIES, SmallSlideText, estimated_excess, excess, is_slide,
                   plans, slide_text, svg_size, text_px)
from .scene import SceneMaker
from .text import caption_label

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": None}  # None: the DOT source itself


def draw(
    root,
    *,
    rankdir=None,
    show_grads=True,
    show_local_grads=False,
    highlight=(),
    max_nodes=2000,
    precision=4,
    collapse=None,
    expand=(),
    around=None,
    depth=1,
    theme="light",
    fontsize=12,
    scale=1.0,
    width=CELL_WIDTH,
    dpi=None,
    size=None,
    timeout=TIMEOUT,
    fold=None,
    sample=None,
):
    """root's computational graph as a graphviz.Digraph, which Jupyter shows inline.

    Each value is a record `label | data | grad`; each operation is an op node
    between its operands and its result; a constant is its number alone. With show_local_grads, the edge from
    operand a into c's operation is labelled with the local derivative
    dc/da recorded in the forward pass, the factor backward multiplies by.
    show_grads="blank" keeps the grad field but leaves it empty: a worksheet
    to fill in by hand. Numbers show `precision` significant digits. `highlight` nodes (Values of
    this graph) are filled in amber. Past max_nodes nodes it raises ValueError.

    A graph too big to read even with its scopes collapsed is drawn folded
    (`fold=None`; True always folds, False never): one instance of each
    repeated computation (micrograd's moons loss: one sample, the model
    inside) feeding the sum that adds them, its edge saying `× 100 samples`
    (see fold.py, folded.py). Where even that is too big, decided before any
    layout, the drawing is shown as one line that says what is too big and
    what to draw instead, and to_svg and save raise it (see estimate.py).
    `sample=k` draws the fold's sample k alone (its own graph, `losses[k]`).

    The picture fits `width` CSS px (952, a notebook cell; None: no limit)
    with no text under 8 px, in the direction that gives the larger text
    (left to right where both show it at full size); where the graph is too
    big either way, scopes are collapsed, deepest first (see plan.py), and a
    line under it says what is collapsed and how to open it. `collapse=`
    and `expand=` (scope names, full or short: 'layers.0' or 'L0') and
    `rankdir=` choose yourself. A collapsed scope (see pathgrad.scope; nn
    opens `layers.0`, `layers.0.neurons.3`, ...) is one box holding all it
    made and its parameters; `around=node, depth=k` draws only the nodes
    within k edges of node. For slides: `theme="dark"`, `fontsize=`
    (points, 12 by default), `scale=`, which makes everything bigger, and
    the PNG's `dpi=` (192 by default, twice the screen's) or `size=(1920, 1080)`
    pixels to fit inside: the direction and collapse are then chosen for the
    slide, the first keeping text at 20 px or more on 1080 lines, else the one
    with the largest text, with a SmallSlideText warning saying what to do. Graphviz stops after `timeout` seconds (30; None:
    no limit), for the layouts fitting tries together and for each rendering
    after, raising GraphvizTimeout, which names the graph's size.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> e = (a + b) * (b + 1); e.backward()
    >>> "{ a | data 2 | grad 2 }" in draw(e).source
    True
    >>> "{ a | data 2 | grad }" in draw(e, show_grads="blank").source
    True
    """
    options = dict(locals())  # every keyword above is an option of the Look
    return drawing_of(options.pop("root"), Look("draw", **options))


def drawing_of(root, look):
    """draw(root) with the options of `look`: the best of a few laid-out plans, or the only one;
    folded where the whole graph is too big to read (folded.py); refused, before any layout, where
    even that is too big (estimate.py)."""
    started = time.monotonic()  # the layouts fitting tries share one time limit
    if look.sample is not None:  # one sample's own graph
        return drawing_of(sample_root(look.caller, root, look.sample), look.but(sample=None))
    tried = []  # (how far from fitting, attempt, drawing, plan, size) of each layout made
    opened, look = opened_folds(look)  # a folded drawing draws a fold open: sample 0 standing for all
    candidates = list(plans(root, look))[:TRIES]
    folding = None
    if opened:
        check_opened(look.caller, opened, folded(root))
    if wants_folding(look, candidates[0]):
        folding = folded(root)  # one instance of each repeated computation, standing for all
        if folding is not None:
            folded_candidates = list(plans(root, look, folding))[:TRIES]
            if look.fold or _helps(folded_candidates[0], candidates[0]):
                candidates = folded_candidates
            else:
                folding = None
    if too_big(candidates[0]):  # decided before any layout: see estimate.py
        return Oversized.of(refusal(look.caller, root, candidates[0], folded=" even folded" if folding else ""))
    number_of = _blank if look.show_grads == "blank" else attrgetter("grad")
    for attempt, plan in enumerate(candidates):
        planned = look.but(rankdir=plan.rankdir, collapse=plan.collapse)
        scene = SceneMaker(root, planned, "grad" if look.show_grads else None, folding).scene(number_of,
                                                                                               look.highlight)
        caption = "; ".join(filter(None, [folding and folding.caption(look.caller, look.fold is True),
                                          folding.in_one_sample(plan.caption) if folding else plan.caption]))
        if caption:
            scene.attrs.update(label=caption_label(caption, _caption_chars(plan, look.text)),
                               labelloc="b", labeljust="l")
        drawing = to_digraph(scene, look)
        # A lone candidate estimated to fit is taken whatever its layout says: it is not laid out to choose.
        alone = not tried and len(candidates) == 1 and estimated_excess(plan) <= 0
        if look.fit_width is None and look.height is None or not _needs_layout(plan) or alone:
            return drawing
        drawing.started = started
        try:
            svg = drawing.layout()
        except GraphvizNotFound:
            return drawing  # the estimate is all there is; the source still works
        finally:
            drawing.started = None  # renderings after fitting each have the whole time limit
        tried.append((excess(svg, plan), attempt, drawing, plan, svg_size(svg)))
        if tried[-1][0] <= 1e-9 and not _other_direction_may_be_larger(plan, svg_size(svg), candidates[attempt + 1:]):
            break
    shortfall, _, drawing, plan, size = min(tried)  # the least shortfall: the largest text
    if shortfall > 1e-9 and is_slide(plan):  # a file, written all the same: the teacher is told
        warn_small_slide(look.caller, look.size, plan, slide_text(plan, size))
    elif shortfall > 1e-9:  # dot's picture has text under 8 px: a notebook shows one line instead
        drawing.unreadable = refusal("draw", root, plan, size)
    return drawing


def _other_direction_may_be_larger(plan, size, rest):
    """Whether the next candidate is the same scopes in the other direction, worth laying out too:
    this picture's text is below its full size (shrunk to a cell, or any slide), and the estimate
    of which direction gives the larger text is rough."""
    return (bool(rest) and rest[0].collapse == plan.collapse and rest[0].rankdir != plan.rankdir
            and (is_slide(plan) or text_px(plan, size) < plan.least_font * PX_PER_PT - 1e-9))


def warn_small_slide(caller, size, plan, text):
    """Warn that a slide of `size` pixels drawn with `plan` has its smallest text `text` px at SLIDE_LINES
    lines, under SLIDE_TEXT, and what to do."""
    width, height = size
    boxes = f"{len(plan.collapse)} scopes as boxes, " if plan.collapse else ""
    warnings.warn(
        f"{caller}: on a {width}\u00d7{height} slide the smallest text is {text:.0f} px "
        f"at {SLIDE_LINES} lines ({boxes}{_DIRECTIONS[plan.rankdir]}; readable from the back of a room: "
        f"{SLIDE_TEXT} px or more). Draw less: scopes as boxes (collapse=['L0', 'L1']), one sample's loss "
        f"instead of the batch's, or part of it (around=node, depth=2)", SmallSlideText, stacklevel=_callers_level())


def _callers_level():
    """The stacklevel of the first frame outside pathgrad: the user's call to draw or save."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("pathgrad."):
        frame, level = frame.f_back, level + 1
    return level


_DIRECTIONS = {"LR": "left to right", "TB": "top to bottom", "RL": "right to left", "BT": "bottom to top"}


def _helps(folded_plan, plan):
    """Whether folding helps: the folded drawing is estimated to fit, or, on a slide (drawn whatever
    its size), to have larger text."""
    return estimated_excess(folded_plan) <= 0 or is_slide(plan) and text_px(folded_plan) > text_px(plan)


def _needs_layout(plan):
    """Whether the estimate is too close to the limit to trust without dot's layout: on a slide, always."""
    return plan.width is not None and (is_slide(plan) or plan.estimate[0] * PX_PER_PT > plan.width * 0.5)


def _caption_chars(plan, font):
    """Characters a caption line may take to stay within the picture's place."""
    if plan.width is None:
        return 100
    return max(40, int(plan.width / (font * PX_PER_PT * 0.6)))


def _blank(node):
    return None


def to_svg(root, *, timeout=TIMEOUT, **options):
    """The drawing as an SVG document (a str), rendered by Graphviz's dot.

    `root` is a Value, drawn with draw(root, **options), or a drawing already
    made by draw or draw_paths. Without dot, Graphviz's WebAssembly build renders it.
    Raises GraphvizTimeout when Graphviz takes over `timeout` seconds (None: no limit).

    >>> from pathgrad import Value
    >>> to_svg(Value(2.0, "a") * 3).startswith("<?xml")
    True
    """
    return _rendered("to_svg", root, options, "svg", timeout).decode("utf-8")


def save(root, path, *, timeout=TIMEOUT, **options):
    """Write the drawing to path, in the format its extension names; return path.

    .svg, .png and .pdf are rendered by dot (without it, by its WebAssembly
    build, the PDF drawn from its SVG by fpdf2); .dot is the DOT source and needs no Graphviz. A PNG has twice the pixels of its CSS size (dpi=192), unless
    `dpi=` or `size=(1920, 1080)` (pixels to fit inside, for a slide) says otherwise; a PDF with `size=` is
    one page of that PNG's size printed at 96 dpi (1440 × 810 pt), the drawing fitted to it. `root` is a Value, drawn with draw(root, **options), or a
    drawing made by draw or draw_paths. Graphviz stops after `timeout`
    seconds in all (30; None: no limit), raising GraphvizTimeout, which names
    the graph's size, and nothing is written. The file is written to a
    temporary name and renamed, so it is never seen half written.

    >>> from pathgrad import Value
    >>> import os, tempfile
    >>> path = save(Value(2.0, "a") * 3, os.path.join(tempfile.mkdtemp(), "graph.svg"))
    >>> open(path).read().startswith("<?xml")
    True
    """
    extension = os.path.splitext(os.fspath(path))[1].lower()
    if extension not in FORMATS:
        raise RefusedValue(
            f"save: cannot tell the format of {os.fspath(path)!r} from its extension "
            f"{extension or '(none)'!r}; use one of {', '.join(FORMATS)}"
        )
    write_atomically(path, _rendered("save", root, options, FORMATS[extension], timeout))
    return path


def _rendered(caller, root, options, format, timeout):
    """The drawing of root in format (None: its DOT source), as bytes, Graphviz stopped after
    `timeout` seconds in all, drawing included."""
    started = time.monotonic()
    if isinstance(root, graphviz.Digraph):  # a drawing already made, rendered as it is within this limit
        if options:
            raise RefusedType(
                f"{caller}: got options {sorted(options)} with a drawing that is already made; "
                f"pass the Value itself to draw it with options, or the drawing alone"
            )
        drawing = copy.copy(root)  # the caller's drawing keeps its own limit
        drawing.look = drawing.look.but(caller=caller, timeout=timeout)
    else:
        drawing = copy.copy(draw(root, timeout=timeout, **options))
    if isinstance(drawing, Oversized):
        drawing.check(caller)
    if format is None:
        check_strings(drawing.source)  # a file Graphviz could not read later
        return drawing.source.encode("utf-8")
    drawing.started = started
    if format == "svg":
        return drawing.svg().encode("utf-8")
    return drawing.png() if format == "png" else drawing.pdf()
