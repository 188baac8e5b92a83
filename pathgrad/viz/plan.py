"""Fitting a drawing to its place: the layout direction and the scopes collapsed.

A picture shown `width` CSS px wide (952: a notebook cell) must keep every
text at 8 CSS px or more and never scroll sideways. dot's points are 4/3 CSS
px, so a drawing of natural width W px with its smallest text f pt fits when
W * min(1, width / W) leaves f * 4/3 at 8 px or more. Where the whole graph
cannot fit, the options are tried in this order, as TensorBoard's graph
dashboard and torchview's `depth` do:

1. the whole graph, in the direction that gives the larger text (left to
   right where the two tie: a graph small enough to show at full size);
2. scopes collapsed, deepest first (every neuron, then every layer), each
   in the direction that gives the larger text;

A slide (`size=(w, h)` output pixels, shown at half that in CSS px, the PNG
scaled to fill the box) has text grown or shrunk to the box, so it wants
more: SLIDE_TEXT (20) px on a slide of 1080 lines. Its options are tried in
the same order, and where none reaches it the plan with the largest text is
taken (draw warns, see draw.py).

and the picture says what is collapsed and how to open it. A `collapse=` or
`expand=` from the user wins. Each option's size is first estimated from the
graph alone (ranks and label lengths, no layout), so only options that may
fit are laid out by dot, and at most a few times.

The API the stepper shares with draw:
- `plans(root, look)` yields Plans, best first, each estimated to fit;
- `Plan.rankdir`, `Plan.collapse` (scope names, for SceneMaker), `Plan.caption`;
- `excess(svg, plan)` tells from dot's SVG how far the picture is from fitting (<= 0: it fits).

>>> from pathgrad import Value
>>> a = Value(2.0, "a"); e = a * 3; e.label = "e"
>>> plan = fit(e)
>>> plan.rankdir, plan.collapse, plan.caption
('LR', [], '')
"""

import math
import re
from typing import NamedTuple

from pathgrad.engine import Value, number_text, topological_order
from pathgrad.engine.validation import RefusedType

from .options import Look
from .text import short_name
from .view import box_of_scope, nodes_within, resolve, scope_names, scopes_of

LEAST_TEXT = 8  # CSS px: the smallest readable text
SLIDE_TEXT = 20  # px of a slide 1080 lines high: the smallest text readable from the back of a room
SLIDE_LINES = 1080
PX_PER_PT = 4 / 3
_CHAR = 0.58  # Helvetica's mean advance, in units of the font size
_NUMBER = 7  # characters a number usually takes at 4 significant digits: a box's data and grad
UNLAID = 1e9  # points: the size of a plan with too many nodes to lay out (past max_nodes)
TRIES = 3  # dot layouts to try at most before taking the best estimated plan


class SmallSlideText(UserWarning):
    """A slide (size=) whose smallest text is under SLIDE_TEXT px at SLIDE_LINES lines, even in its best plan."""


class Plan(NamedTuple):
    """How to draw a graph in its place: direction, scopes drawn as boxes, and what to say about them."""

    rankdir: str
    collapse: list  # full scope names, drawn as boxes
    caption: str  # what the fitter collapsed and how to open it, or ""
    width: float  # CSS px the picture may take, or None for no limit
    height: float  # CSS px, or None
    least_font: float  # pt: the smallest text in the picture
    estimate: tuple  # (width, height) in points, estimated before layout
    units: int = 0  # nodes the drawing will have: records, op nodes and boxes


def fit(root, look=Look()):
    """The best Plan for drawing root's graph with `look` (see `plans`).

    >>> from pathgrad import Value
    >>> fit(Value(1.0, "a") + 1, Look(width=None)).rankdir
    'LR'
    """
    return next(plans(root, look))


def plans(root, look, folded=None):
    """Plans for root's drawing, best first: each estimated to fit, then the least bad as the last
    (on a slide where none fits, every plan, the largest estimated text first).

    The Look's `rankdir` and `collapse`, if given, are kept as they are;
    `expand` names scopes (full, or short as drawn: 'L0') never collapsed,
    nor their enclosing scopes. The place is `look.fit_width` by
    `look.height` CSS px, None meaning no limit. `folded` (a
    folded.Folded) leaves out the instances a folded drawing does not draw,
    and `look.around` the nodes farther than `look.depth` edges from it.

    >>> from pathgrad import Value, scope
    >>> with scope("inner"):
    ...     y = Value(1.0, "a") * 2
    >>> [(plan.rankdir, plan.collapse) for plan in plans(y, Look(width=None))]
    [('LR', []), ('TB', [])]
    """
    check_root(look.caller, root)
    width, height, rankdir, collapse = look.fit_width, look.height, look.rankdir, look.collapse
    order = topological_order(root)
    children_of = _children
    if folded is not None:
        order = [node for node in order if node not in folded.hidden]
        children_of = folded.drawn_children
    if look.around is not None and look.around in set(order):  # only what is drawn near it (View refuses others)
        near, all_children = nodes_within(order, look.around, look.depth), children_of
        order = [node for node in order if node in near]

        def children_of(node):
            return [child for child in all_children(node) if child in near]
    scopes = scopes_of(order)
    known = scope_names(scopes)
    opened = resolve(look.caller, "expand", look.expand, known)
    least_font = look.text  # values, operator symbols and edge labels alike (theme.styles)
    directions = [rankdir] if rankdir else ["LR", "TB"]
    if collapse is not None:
        levels = [(resolve(look.caller, "collapse", collapse, known), False)]
    else:
        levels = [([], False)] + [(boxes, True) for boxes in _levels(known, set(scopes.values()), opened)]
        if width is None and height is None:
            levels = levels[:1]
    unfit, yielded, past = [], False, None
    for boxes, chosen in levels:
        inside = box_of_scope(scopes, boxes)
        units = _units(order, scopes, inside)
        caption = _caption(boxes) if chosen else ""
        if units > look.max_nodes and len(levels) > 1:
            # past max_nodes while collapsing can still help: too many to lay out, so no size
            past = Plan(rankdir or "LR", boxes, caption, width, height, least_font, (UNLAID, UNLAID), units)
            continue
        sizes = _estimate(order, scopes, inside, look.text, look.show_local_grads, caption, look.precision,
                          children_of)
        level = [Plan(direction, boxes, caption, width, height, least_font, sizes[direction in ("TB", "BT")],
                      units) for direction in directions]
        for plan in sorted(level, key=lambda plan: -round(text_px(plan), 6)):  # the larger text first; ties as listed
            if _fits(plan.estimate, plan):
                yielded = True
                yield plan
            else:
                unfit.append(plan)
    unfit.sort(key=lambda plan: _excess(plan.estimate, plan))  # the largest text first
    if unfit and not yielded and is_slide(unfit[0]):
        yield from unfit  # a slide is drawn all the same: the largest text dot's layouts find among them
    elif unfit:
        yield unfit[0]
    elif not yielded:
        yield past  # every level past max_nodes: the fewest nodes, estimated unreadable


def check_root(caller, root):
    """Refuse a root that is not a Value."""
    if not isinstance(root, Value):
        raise RefusedType(f"{caller}: root must be a pathgrad Value, got {type(root).__name__} {root!r}")


def excess(svg, plan):
    """How far dot's picture (SVG text) is from fitting the plan's place: the smallest text's
    shortfall below the readable size (`readable_px`); 0 or less fits.

    >>> from pathgrad import Value
    >>> from pathgrad.viz.dot import run_graphviz
    >>> plan = fit(Value(1.0, "a") * 2)
    >>> excess(run_graphviz("digraph { a }", "svg").decode(), plan) <= 0
    True
    """
    return _excess(svg_size(svg), plan)


def estimated_excess(plan, size=None):
    """How far the plan's estimated size (or `size`, in points) is from fitting, before any layout:
    as `excess`."""
    return _excess(plan.estimate if size is None else size, plan)


def svg_size(svg):
    """(width, height) in points of dot's SVG, from its viewBox.

    >>> svg_size('<svg width="62pt" height="44pt" viewBox="0.00 0.00 62.00 44.00">')
    (62.0, 44.0)
    """
    box = re.search(r'viewBox="([-\d. ]+)"', svg)
    return tuple(float(v) for v in box[1].split()[2:4])


def shown_size(points, width, height=None):
    """(width, height) in CSS px a picture `points` big is shown at: natural, or shrunk to the limits.

    A point is 4/3 CSS px; None is no limit.

    >>> shown_size((1440, 720), 960)
    (960.0, 480.0)
    """
    natural_w, natural_h = points[0] * PX_PER_PT, points[1] * PX_PER_PT
    shrink = min([1.0] + [limit / natural for limit, natural in ((width, natural_w), (height, natural_h))
                          if limit is not None and natural > 0])
    return natural_w * shrink, natural_h * shrink


def text_px(plan, size=None):
    """The smallest text, in CSS px, of a picture `size` points big (the plan's estimate if None)
    drawn in the plan's place.

    In a cell the picture is shown at its natural size or shrunk to the
    width; on a slide (a plan with a height: size=, in output pixels twice
    the CSS px) it is scaled up or down to fill the box.

    >>> text_px(Plan("LR", [], "", 952, None, 12, (1428, 100)))  # 1904 px shown at 952: half of 16
    8.0
    >>> text_px(Plan("LR", [], "", 960, 540, 12, (360, 100)))  # on a 1920x1080 slide: grown to fill it
    32.0
    """
    size = plan.estimate if size is None else size
    if is_slide(plan):
        grow = min(plan.width / (size[0] * PX_PER_PT) if size[0] else math.inf,
                   plan.height / (size[1] * PX_PER_PT) if size[1] else math.inf)
        return plan.least_font * PX_PER_PT * grow
    shown_w, _ = shown_size(size, plan.width, plan.height)
    shrink = shown_w / (size[0] * PX_PER_PT) if size[0] else 1.0
    return plan.least_font * PX_PER_PT * shrink


def readable_px(plan):
    """The smallest readable text, in CSS px, in the plan's place: LEAST_TEXT in a cell; on a slide,
    SLIDE_TEXT output pixels at SLIDE_LINES lines (a slide `2 * height` pixels high is shown
    SLIDE_LINES / (2 * height) times as big), in CSS px (half the output's).

    >>> readable_px(Plan("LR", [], "", 960, 540, 12, (0, 0)))  # 1920x1080: 20 px of output, 10 CSS px
    10.0
    """
    return SLIDE_TEXT * plan.height / SLIDE_LINES if is_slide(plan) else LEAST_TEXT


def is_slide(plan):
    """Whether the plan's place is a slide (size=): a box both ways, the picture scaled to fill it."""
    return plan.width is not None and plan.height is not None


def slide_text(plan, size):
    """The smallest text of a slide picture `size` points big, in pixels of a slide SLIDE_LINES high.

    >>> slide_text(Plan("LR", [], "", 640, 360, 12, (0, 0)), (960, 100))  # 1280x720: 16 px, 24 at 1080
    24.0
    """
    return text_px(plan, size) * SLIDE_LINES / plan.height  # CSS px are half the output's, as height is


def _fits(size, plan):
    return _excess(size, plan) <= 1e-9


def _excess(size, plan):
    """How far a size is from fitting: the smallest text's shortfall below the readable size, in CSS px."""
    return readable_px(plan) - text_px(plan, size)


def _levels(known, recorded, opened):
    """The scopes to collapse at each depth, deepest first.

    A dotted name followed only by an index (`layers` in `layers.0`) is a
    list's name, not a scope of its own. At depth d the boxes are the
    scopes d deep and the shallower scopes with none inside them; an opened
    scope (or one around an opened scope) gives way to the scopes inside it.
    """
    extensions = {}
    for name in known:
        parent, _, part = name.rpartition(".")
        if parent:
            extensions.setdefault(parent, []).append(part)
    candidates = [name for name in known
                  if name in recorded or not all(part.isdigit() for part in extensions.get(name, ["x"]))]
    candidate_set = set(candidates)

    def depth(name):
        return sum(1 for i, c in enumerate(name) if c == "." and name[:i] in candidate_set) + 1

    def inner(name):
        return [c for c in candidates if c.startswith(name + ".")]

    deepest = max(map(depth, candidates), default=0)
    levels = []
    for d in range(deepest, 0, -1):
        boxes = [c for c in candidates if depth(c) == d or (depth(c) < d and not inner(c))]
        while True:
            open_now = [b for b in boxes if any(o == b or o.startswith(b + ".") for o in opened)]
            if not open_now:
                break
            for b in open_now:
                boxes.remove(b)
                boxes += [c for c in inner(b) if depth(c) == depth(b) + 1]
        boxes = sorted(set(boxes), key=_natural)
        if boxes and boxes not in levels:
            levels.append(boxes)
    return levels


def _units(order, scopes, inside):
    """How many nodes the drawing has: records, op nodes and boxes."""
    boxes, count = set(), 0
    for node in order:
        b = inside.get(scopes[node])
        if b is None:
            count += 2 if node.children else 1
        else:
            boxes.add(b)
    return count + len(boxes)


def _fields(node, precision):
    """A value record's texts, roughly: its name (a label, or a short stand-in), data, grad."""
    grad = node.grad.data if isinstance(node.grad, Value) else node.grad
    return [node.label or "t00", f"data {number_text(node.data, precision)}", f"grad {number_text(grad, precision)}"]


def _children(node):
    return node.children


def _estimate(order, scopes, inside, font, local_grads, caption, precision, children_of=_children):
    """(width, height) in points the drawing will roughly take left to right, then top to bottom,
    from ranks and label lengths.

    Ranks by longest path; a leaf sits a rank before its first consumer, as
    dot puts it. A rank across the layout is as wide as its widest node
    (left to right) or as its nodes side by side (top to bottom).
    """
    char = _CHAR * font
    record_h = max(36.0, font * 1.5 + 8)
    rank, leaf_rank, size = {}, {}, {}
    for node in order:
        b = inside.get(scopes[node])
        unit = node if b is None else ("box", b)
        if not node.children:
            if b is None:
                fields = _fields(node, precision) if node.label else [number_text(node.data, precision)]
                size[unit] = (sum(len(f) * char + 16 for f in fields), record_h)
                rank.setdefault(unit, 0)
            continue
        children = children_of(node)
        top = max((rank.get(_unit(child, scopes, inside), 0) for child in children
                   if _unit(child, scopes, inside) != unit), default=-1)
        for child in children:
            if not child.children and inside.get(scopes[child]) is None and b is None:
                leaf_rank[child] = min(leaf_rank.get(child, top + 1), top + 1)
        if b is None:
            rank[("op", node)] = top + 1
            size[("op", node)] = (max(36.0, len(node.op) * char + 16), 26.0)
            rank[node] = top + 2
            size[node] = (sum(len(f) * char + 16 for f in _fields(node, precision)), record_h)
        else:
            rank[unit] = max(rank.get(unit, 0), top + 1)
            size[unit] = ((_NUMBER + 5) * char + 16, 4 * (font * 1.2 + 8))
    for leaf, r in leaf_rank.items():
        rank[leaf] = max(r - 1, 0)
    per_rank = {}
    for unit, r in rank.items():
        per_rank.setdefault(r, []).append(size[unit])
    gap = 1.3 if local_grads else 1.0
    ranks = per_rank.values()
    across_lr = max(sum(h for _, h in units) + 18 * (len(units) - 1) for units in ranks)
    along_lr = sum(max(w for w, _ in units) for units in ranks) + 36 * gap * (len(ranks) - 1)
    across_tb = max(sum(w for w, _ in units) + 43 * (len(units) - 1) for units in ranks)
    along_tb = sum(max(h for _, h in units) for units in ranks) + 43 * gap * (len(ranks) - 1)
    below = 2 * font * 1.3 if caption else 0.0
    # dot's pad of 0.15 in on each side
    return (along_lr + 22.0, across_lr + below + 22.0), (across_tb + 22.0, along_tb + below + 22.0)


def _natural(name):
    """A sort key that puts layers.0.neurons.2 before layers.0.neurons.10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _unit(node, scopes, inside):
    b = inside.get(scopes[node])
    return node if b is None else ("box", b)


def _caption(boxes):
    """One line: what is collapsed, and the call that opens the first of it."""
    names = [short_name(name) for name in boxes]
    runs = _ranges(names)
    listed = ", ".join(runs[:8]) + (f" and {len(runs) - 8} more" if len(runs) > 8 else "")
    return f"collapsed: {listed} \u2014 draw(..., expand=[{names[0]!r}]) to open" if names else ""


def _ranges(names):
    """L0.n0, L0.n1, L0.n2 -> L0.n0\u20132: runs of names that differ in a last index, written once."""
    runs = []
    for name in names:
        head, number = re.match(r"(.*?)(\d*)$", name).groups()
        if runs and number and runs[-1][0] == head and runs[-1][2] == int(number) - 1:
            runs[-1][2] = int(number)
        else:
            runs.append([head, int(number) if number else None, int(number) if number else None])
    return [head if first is None else f"{head}{first}" if first == last else f"{head}{first}\u2013{last}"
            for head, first, last in runs]
