"""The frames of a stepper: one FrameState and one caption per step of the chain rule.

Reverse mode replays `backward_trace`: frame 0 is the graph after the
forward pass with every grad blank (unknown, not 0), then one frame per
backward step, in which the node being processed passes
local x upstream = contribution down each of its edges, then a last frame
with every grad known. Forward mode replays `forward_mode` the same way from
the inputs up: tangent(node) = sum of local x tangent(child). Every number
comes from the engine's recorded local grads, so the frames cannot disagree
with backward().

Captions call nodes by the names the drawing shows (L1.n3.w1), and say
nothing of a constant's grad: a constant is a number, not a variable.
They carry no counter: every display (page, widget, storyboard, PDF, repr)
numbers the frames "Frame k of n" (page.frame_number), the one counter.
Each frame also names the nodes its caption speaks of, so a storyboard's
picture of the frame can show them all.

>>> from pathgrad import Value
>>> from pathgrad.viz.options import Look
>>> x = Value(3.0, "x"); y = x * 2; y.label = "y"
>>> scenes, frames = reverse_frames(y, Look("step_through", rankdir="LR"))
>>> [caption.split(":")[0] for _, caption in frames[::2]]
['Forward pass done', 'Backward done']
>>> frames[1][1].split(" and passes")[0]  # no counter of its own: the display numbers the frames
'y, the root, has its full grad dy/dy = 1'
>>> frames[1][0].numbers[x]  # x.grad once y's step is done: dy/dx = 2
2.0
"""

from functools import partial
from typing import NamedTuple

from pathgrad.engine import Value, backward_trace, derivative_name, forward_mode, node_name, number_text
from pathgrad.engine import topological_order
from pathgrad.engine.names import bracketed
from pathgrad.engine.validation import RefusedType, RefusedValue

from ..estimate import check_page
from ..options import Wording
from ..scene import SceneMaker
from ..text import plain, short_name
from .page import STORYBOARD_FRAMES

_SHOWN_GRADS = 8  # the closing caption lists at most this many leaves


class FrameState(NamedTuple):
    """What one frame shows: {node: its number}, the highlighted nodes, extra edge attributes,
    the nodes its caption names, and the nodes whose steps it shows (a collapsed box's frame
    shows the steps of every node inside it)."""

    numbers: dict
    focus: tuple
    edge_attrs: dict
    named: tuple = ()
    reached: tuple = ()


class FrameStates:
    """The FrameStates of root's graph drawn with a Look, its third field named `field`.

    `scenes` is the SceneMaker that draws them; `names` are the nodes' names
    as drawn; shows(node) says whether node is drawn as itself.
    """

    def __init__(self, root, look, field, folded=None):
        self.scenes = SceneMaker(root, look, field, folded)
        self.names = self.scenes.names
        self.shows = self.scenes.view.shows
        self.focus_edge = self.scenes.styles["focus_edge"]

    def frame(self, numbers, focus=(), edge_attrs=None, named=(), reached=()):
        """A FrameState with the field filled from {node: number}, focus highlighted, named, and
        the nodes whose steps it shows."""
        # A copy of the numbers: later steps must not change this frame.
        return FrameState(dict(numbers), tuple(focus), edge_attrs or {}, tuple(named), tuple(reached))


def same_place(before, after, index):
    """The frame of `after` (FrameStates of the same pass, drawn with other boxes) that is at the
    place of frame `index` of `before`: the same first and last frame, else the first frame that
    shows a step `before[index]` shows: the same node's, or, when the node has gone into a box,
    the box's, or, when a box has opened, its first node's.

    >>> from pathgrad import Value, scope
    >>> from pathgrad.viz.options import Look
    >>> a = Value(1.0, "a")
    >>> with scope("double"):
    ...     b = a * 2 + 0
    >>> c = b * b; c.label = "c"
    >>> _, opened = reverse_frames(c, Look("step_through"))
    >>> _, boxed = reverse_frames(c, Look("step_through", collapse=["double"]))
    >>> len(opened), len(boxed), same_place([s for s, _ in opened], [s for s, _ in boxed], 2)
    (5, 4, 2)
    >>> same_place([s for s, _ in boxed], [s for s, _ in opened], 2)  # the box opened: its first step
    2
    """
    if index <= 0 or not after:
        return 0
    if index >= len(before) - 1:
        return len(after) - 1
    steps = set(before[index].reached)
    return next((j for j, state in enumerate(after) if steps.intersection(state.reached)), 0)


def reverse_frames(root, look, folded=None):
    """(SceneMaker, frames) for the backward pass of root drawn with `look`, each frame a
    (FrameState, caption) pair: forward done, one per step, backward done.

    A collapsed scope's box gets one frame, when backward has passed through
    it (its last step inside): the box highlighted, its output's grad, and
    the grads its parameters got inside it. A step of a node outside
    `around` makes no frame of its own; its grads show in the next.
    `folded` (folded.Folded) draws the graph folded: a fold box's frame
    comes when backward has passed through every instance, and a sum that
    adds up a fold passes its grad to all of them in one frame.
    """
    states = FrameStates(root, look, "grad", folded)
    names, shows, scenes = states.names, states.shows, states.scenes
    num = partial(number_text, digits=look.precision)
    derivative = partial(derivative_name, names=names)
    r = names[root]
    frames = [
        (
            states.frame({}, named=(root,)),
            f"Forward pass done: {r} = {num(root.data)}. No grad is known yet (blank, not 0); "
            f"backward starts at the root with {derivative(root, root)} = 1.",
        )
    ]
    trace = backward_trace(root)
    box_of = scenes.view.box
    inside = {}  # box id -> how many of its steps backward has still to take
    for step in trace:
        if not shows(step.node) and box_of(step.node):
            inside[box_of(step.node)] = inside.get(box_of(step.node), 0) + 1
    steps = sum(1 for step in trace if shows(step.node)) + len(inside)
    _check_frames(steps + 2, look.max_frames)
    check_page(steps + 2, scenes, STORYBOARD_FRAMES, look.max_bytes)  # before any frame is built: estimate.py
    pending = {}  # contributions each node is still waiting for
    for step in trace:
        for edge in step.edges:
            pending[edge.child] = pending.get(edge.child, 0) + 1
    grads = {}
    unseen = []  # the steps taken since the last frame that no frame of their own shows
    for step in trace:
        node, upstream = step.node, step.grad
        grads[node] = upstream
        shown = shows(node)
        if shown or not box_of(node):  # a boxed node's step is its box's frame's
            unseen.append(node)
        edge_attrs = {(node, None): _focus_edge(states.focus_edge)} if shown else {}
        passed = []  # (child, arithmetic, its grad's sum written out, whether more is to come)
        beyond = 0  # edges into children the drawing leaves out (around=): the caption counts, not names, them
        for i, edge in enumerate(step.edges):
            child = edge.child
            pending[child] -= 1
            if _is_constant(child):
                continue  # no grad flows to a constant: its edge gets no contribution and no highlight
            before = grads.get(child)
            grads[child] = (before or 0.0) + edge.contribution
            if not shown:
                continue  # a step inside a box, or left out by folding: its edges are not drawn
            if scenes.element_id(child) is None:
                beyond += 1
                continue
            arithmetic = f"{num(edge.local_grad)} × {num(upstream)} = {num(edge.contribution)}"
            edge_attrs[(node, i)] = _focus_edge(states.focus_edge, arithmetic)
            total = num(grads[child]) if before is None else \
                f"{num(before)} + {_operand(num(edge.contribution))} = {num(grads[child])}"
            passed.append((child, arithmetic, total, bool(pending[child])))
        box = None if shown else box_of(node)
        if box is not None:
            inside[box] -= 1
            if inside[box]:
                continue  # the box's frame comes when backward has passed through all of it
            members = scenes.members[box]
            outputs = scenes.outputs(box)
            scope = scenes.view.boxes[int(box[1:])]
            if folded and scope in folded.boxes:  # a fold box: folded.py words it
                caption = folded.box_caption(scope, root, grads, names, num)
            else:
                caption = _box_caption(root, scope, outputs, members, grads, names, num)
            reached = [*members, *unseen]
            unseen = []
            frames.append((states.frame(grads, outputs[:1] or (node,), {}, (node,), reached), caption))
            continue
        if not shown:
            continue
        caption = (folded and folded.sum_caption(root, node, upstream, names, num, derivative)
                   or _reverse_step_caption(root, node, upstream, passed, names, num, beyond))
        named = (node, *(child for child, *_ in passed))
        frames.append((states.frame(grads, (node,), edge_attrs, named, unseen), caption))
        unseen = []
    final = grads if trace else {root: 1.0}  # a lone leaf is its own root
    leaves = [node for node in topological_order(root) if not node.children and not _is_constant(node)]
    shown = [node for node in leaves if scenes.element_id(node) is not None][:_SHOWN_GRADS]  # drawn or boxed
    listed = ", ".join(f"{_grad_of(names[node])} = {num(final[node])}" for node in shown)
    more = f", and {len(leaves) - len(shown)} more" if len(leaves) > len(shown) else ""
    frames.append(
        (
            states.frame(final, named=(root, *leaves)),
            f"Backward done: every grad is known, the same numbers as after {r}.backward()"
            + (f": {listed}{more}." if shown else "."),
        )
    )
    return scenes, frames


def _reverse_step_caption(root, node, upstream, passed, names, num, beyond=0):
    """The caption of a backward step: node's full grad, then what each edge passes down.

    `passed` holds (child, "local × upstream = contribution", child's grad so
    far with its sum written out when it adds to an earlier contribution
    ("3 + 2 = 5"), whether more is still to come) for each edge into a drawn
    child that is not a constant; `beyond` counts the edges into children
    the drawing leaves out, which the caption does not name.
    """
    derivative = partial(derivative_name, names=names)
    edge_name = partial(derivative_name, names=names, local=True)  # ∂p/∂c, an edge's own number
    p = names[node]
    parts = [
        f"{edge_name(node, child)} × {derivative(root, node)} = {arithmetic}, "
        f"so {_grad_of(names[child])} = {total}{' so far' if more else ''}"
        for child, arithmetic, total, more in passed
    ]
    root_note = ", the root," if node is root else ""
    head = f"{p}{root_note} has its full grad {derivative(root, node)} = {num(upstream)}"
    if beyond:
        parts.append(f"{beyond} edge{'s' * (beyond != 1)} lead{'s' * (beyond == 1)} to nodes this drawing "
                     f"leaves out (around=)")
    if not parts:
        return f"{head}; its operands are constants, which have no grad."
    return f"{head} and passes local × upstream down each edge: " + "; ".join(parts) + "."


def _grad_of(name):
    """name.grad, the name bracketed unless it is one atom: (t42**2).grad, never t42**2.grad."""
    return f"{bracketed(name)}.grad"


def _box_caption(root, scope, outputs, members, grads, names, num):
    """The caption of a collapsed scope's frame: what backward passed through the box.

    Its output's full grad, then the grads its parameters got inside it, and
    how to open the box to step through it node by node.
    """
    box = short_name(scope)
    if len(outputs) == 1:
        # The output is drawn as the box: unless the user named it, the caption calls it by the box's name.
        out = outputs[0]
        called = names[out] if out.label else box
        full = derivative_name(root, out, {root: names[root], out: called})
        got = f"its output{' ' + called if out.label else ''} has its full grad {full} = {num(grads.get(out, 0.0))}"
    else:
        got = f"its {len(outputs)} outputs have their full grads"
    params = [node for node in members if node.label and not node.children]
    listed = ", ".join(f"{_grad_of(names[node])} = {num(grads.get(node, 0.0))}" for node in params[:_SHOWN_GRADS])
    more = f", and {len(params) - _SHOWN_GRADS} more" if len(params) > _SHOWN_GRADS else ""
    passed = f"; backward passed it through the box, so its parameters' grads are {listed}{more}" if params else \
        "; backward passed it through the box to what comes into it"
    return f"{box} (collapsed): {got}{passed}. {_how_to_open(box)}"


def _how_to_open(box):
    """The sentence a collapsed box's caption ends with: how to step through it node by node."""
    return f"To step through it node by node: step_through(..., expand=[{box!r}])."


def forward_frames(root, wrt, look):
    """(SceneMaker, frames) for forward mode with respect to wrt, drawn with `look`: forward done,
    seed, one per node, done.

    A collapsed scope's box gets one frame, once the tangent has come through it.
    """
    if not isinstance(wrt, Value):
        raise RefusedType(
            f"step_through: wrt must be a Value of root's graph, got {type(wrt).__name__} {wrt!r}"
        )
    field = f"d/d{short_name(node_name(wrt))}"
    states = FrameStates(root, look, field)
    names, shows, scenes = states.names, states.shows, states.scenes
    order = topological_order(root)  # the options and root are checked before wrt is looked for
    if wrt not in set(order):
        raise RefusedValue(
            f"step_through: wrt={wrt!r} is not a node of root's graph; "
            f"pass the input (a Value root depends on) to differentiate by"
        )
    num = partial(number_text, digits=look.precision)
    derivative = partial(derivative_name, names=names)
    edge_name = partial(derivative_name, names=names, local=True)
    r, w = names[root], names[wrt]
    tangents = forward_mode(root, wrt)
    seeds = [node for node in order if not node.children or node is wrt]
    box_of = scenes.view.box
    last_in_box = {}  # box id -> its last node to compute: the box's frame comes there
    for node in order:
        if node.children and node is not wrt and not shows(node) and box_of(node):
            last_in_box[box_of(node)] = node
    steps = [node for node in order if node.children and node is not wrt
             and (shows(node) or last_in_box.get(box_of(node)) is node)]
    _check_frames(len(steps) + 3, look.max_frames)
    check_page(len(steps) + 3, scenes, STORYBOARD_FRAMES, look.max_bytes)
    known = {node: tangents[node] for node in seeds}
    frames = [
        (
            states.frame({}, named=(root, wrt)),
            f"Forward pass done: {r} = {num(root.data)}. Forward mode now carries {field}, "
            f"each node's derivative with respect to {w}, from the inputs up to {r}.",
        ),
        (
            states.frame(known, (wrt,), named=(wrt,)),
            f"Seed: {derivative(wrt, wrt)} = 1; every other input starts at 0, "
            f"as it does not change when {w} does.",
        ),
    ]
    for node in steps:
        if not shows(node):  # the last step inside a collapsed box: the tangent has come through it
            box = box_of(node)
            known.update((member, tangents[member]) for member in scenes.members[box])
            outputs = scenes.outputs(box) or [node]
            carried = ", ".join(f"{derivative(out, wrt)} = {num(tangents[out])}" for out in outputs[:_SHOWN_GRADS])
            scope_name = short_name(scenes.view.boxes[int(box[1:])])
            frames.append((
                states.frame(known, outputs[:1], {}, (node,), scenes.members[box]),
                f"{scope_name} (collapsed): forward mode carried the tangent through it, "
                f"so {carried}. {_how_to_open(scope_name)}",
            ))
            continue
        edge_attrs = {(node, None): _focus_edge(states.focus_edge)}
        symbols, products, named = [], [], [node]
        for i, (child, local) in enumerate(zip(node.children, node.local_grads)):
            if _is_constant(child):
                continue  # a constant's tangent is 0: it adds nothing, and its edge is not highlighted
            product = f"{num(local)} × {num(tangents[child])}"
            edge_attrs[(node, i)] = _focus_edge(states.focus_edge, f"{product} = {num(local * tangents[child])}")
            drawn = scenes.element_id(child) is not None  # a node around= leaves out is not named
            symbols.append(f"{edge_name(node, child)} × {derivative(child, wrt)}" if drawn else
                           "(a node this drawing leaves out)")
            products.append(product)
            named.append(child)
        known[node] = tangents[node]
        sum_text = f"{' + '.join(symbols)} = {' + '.join(products)}" if symbols else "0, as its operands are constants,"
        frames.append(
            (
                states.frame(known, (node,), edge_attrs, named, (node,)),
                f"{derivative(node, wrt)} = sum of local × tangent = "
                f"{sum_text} = {num(tangents[node])}.",
            )
        )
    frames.append(
        (
            states.frame(known, named=(root, wrt)),
            f"Forward mode done: {derivative(root, wrt)} = {num(tangents[root])}, "
            f"the number {w}.grad holds after {r}.backward().",
        )
    )
    return scenes, frames


def _check_frames(count, max_frames):
    """Refuse, before any frame is built, a stepper of more than max_frames frames."""
    if count > max_frames:
        raise RefusedValue(Wording(lambda say: (
            f"step_through: this graph makes {count} frames, more than {say('max_frames', max_frames)}; "
            f"step through part of it with {say('around')}, or draw scopes as one box "
            f"each with {say('collapse')}, or pass a larger {say('max_frames')}"
        )), option="max_frames")


def _is_constant(node):
    """Whether node is a constant: a number written into the graph (no label, no operands), not a variable."""
    return not node.children and not node.label


def _operand(text):
    """A number as the right operand of +: bracketed when negative, so 3 + (-2) cannot read as 3 + -2."""
    return f"({text})" if text.startswith("-") else text


def _focus_edge(style, label=None):
    """Attributes of an edge the current step's derivative runs along, in the drawing's style."""
    attrs = dict(style)
    if label is not None:
        attrs["label"] = plain(label)
    return attrs
