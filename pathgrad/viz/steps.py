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
Each frame also names the nodes its caption speaks of, so a storyboard's
picture of the frame can show them all.

colah's e = (a + b)(b + 1) at a = 2, b = 1, stepped backward, then forward from b:

>>> from pathgrad.engine import Value
>>> a, b = Value(2.0, "a"), Value(1.0, "b")
>>> c = a + b; c.label = "c"
>>> d = b + 1; d.label = "d"
>>> e = c * d; e.label = "e"
>>> options = dict(rankdir="LR", show_local_grads=False, max_nodes=100, max_frames=100, precision=4)
>>> _, frames = reverse_frames(e, **options)
>>> print(frames[1][1])
Step 1 of 3: e, the root, has its full grad de/de = 1 and passes local × upstream down each edge: ∂e/∂c × de/de = 2 × 1 = 2, so c.grad = 2; ∂e/∂d × de/de = 3 × 1 = 3, so d.grad = 3.
>>> print(frames[-1][1])
Backward done: every grad is known, the same numbers as after e.backward(): a.grad = 2, b.grad = 5.
>>> _, frames = forward_frames(e, b, **options)
>>> print(frames[-1][1])
Forward mode done: de/db = 5, the number b.grad holds after e.backward().
"""

from functools import partial

from ..engine import Value, backward_trace, derivative_name, forward_mode, node_name, number_text, topological_order
from ..engine.validation import RefusedType, RefusedValue
from .picture import FrameState
from .scene import SceneMaker
from .text import plain, short_name

_SHOWN_GRADS = 8  # the closing caption lists at most this many leaves


def reverse_frames(root, *, rankdir, show_local_grads, max_nodes, max_frames, precision, **view):
    """(SceneMaker, frames) for the backward pass of root, each frame a (FrameState, caption) pair:
    forward done, one per step, backward done.

    A collapsed scope's box gets one frame, when backward has passed through
    it (its last step inside): the box highlighted, its output's grad, and
    the grads its parameters got inside it. A step of a node outside
    `around` makes no frame of its own; its grads show in the next.
    """
    frame_state, names, shows = _frame_maker(root, "grad", rankdir, show_local_grads, max_nodes, precision, view)
    num = partial(number_text, digits=precision)
    derivative = partial(derivative_name, names=names)
    r = names[root]
    frames = [
        (
            frame_state({}, named=(root,)),
            f"Forward pass done: {r} = {num(root.data)}. No grad is known yet (blank, not 0); "
            f"backward starts at the root with {derivative(root, root)} = 1.",
        )
    ]
    trace = backward_trace(root)
    box_of = frame_state.maker.view.box
    inside = {}  # box id -> how many of its steps backward has still to take
    for step in trace:
        if not shows(step.node) and box_of(step.node):
            inside[box_of(step.node)] = inside.get(box_of(step.node), 0) + 1
    shown = sum(1 for step in trace if shows(step.node)) + len(inside)
    _check_frames(shown + 2, max_frames)
    pending = {}  # contributions each node is still waiting for
    for step in trace:
        for edge in step.edges:
            pending[edge.child] = pending.get(edge.child, 0) + 1
    grads = {}
    k = 0
    for step in trace:
        node, upstream = step.node, step.grad
        grads[node] = upstream
        edge_attrs = {(node, None): _focus_edge(frame_state.focus_edge)}
        passed = []  # (child, arithmetic, its grad so far, whether more is to come)
        for i, edge in enumerate(step.edges):
            child = edge.child
            grads[child] = grads.get(child, 0.0) + edge.contribution
            pending[child] -= 1
            arithmetic = f"{num(edge.local_grad)} × {num(upstream)} = {num(edge.contribution)}"
            edge_attrs[(node, i)] = _focus_edge(frame_state.focus_edge, arithmetic)
            if not _is_constant(child):
                passed.append((child, arithmetic, grads[child], bool(pending[child])))
        box = None if shows(node) else box_of(node)
        if box is not None:
            inside[box] -= 1
            if inside[box]:
                continue  # the box's frame comes when backward has passed through all of it
            k += 1
            members = frame_state.maker.members[box]
            outputs = list(frame_state.maker._outputs.get(box, ()))
            caption = _box_caption(k, shown, root, frame_state.maker.view.boxes[int(box[1:])], outputs, members,
                                   grads, names, num)
            frames.append((frame_state(grads, outputs[:1] or (node,), {}, (node,)), caption))
            continue
        if not shows(node):
            continue
        k += 1
        caption = _reverse_step_caption(k, shown, root, node, upstream, passed, names, num)
        named = (node, *(child for child, *_ in passed))
        frames.append((frame_state(grads, (node,), edge_attrs, named), caption))
    final = grads if trace else {root: 1.0}  # a lone leaf is its own root
    leaves = [node for node in topological_order(root) if not node.children and not _is_constant(node)]
    listed = ", ".join(f"{names[node]}.grad = {num(final[node])}" for node in leaves[:_SHOWN_GRADS])
    more = f", and {len(leaves) - _SHOWN_GRADS} more" if len(leaves) > _SHOWN_GRADS else ""
    frames.append(
        (
            frame_state(final, named=(root, *leaves)),
            f"Backward done: every grad is known, the same numbers as after {r}.backward()"
            + (f": {listed}{more}." if leaves else "."),
        )
    )
    return frame_state.maker, frames


def _reverse_step_caption(k, steps, root, node, upstream, passed, names, num):
    """The caption of backward step k of `steps`: node's full grad, then what each edge passes down.

    `passed` holds (child, "local × upstream = contribution", child's grad so
    far, whether more is still to come) for each edge into a child that is
    not a constant.
    """
    derivative = partial(derivative_name, names=names)
    edge_name = partial(derivative_name, names=names, local=True)  # ∂p/∂c, an edge's own number
    p = names[node]
    parts = [
        f"{edge_name(node, child)} × {derivative(root, node)} = {arithmetic}, "
        f"so {names[child]}.grad = {num(grad)}{' so far' if more else ''}"
        for child, arithmetic, grad, more in passed
    ]
    root_note = ", the root," if node is root else ""
    head = f"Step {k} of {steps}: {p}{root_note} has its full grad {derivative(root, node)} = {num(upstream)}"
    if not parts:
        return f"{head}; its operands are constants, which have no grad."
    return f"{head} and passes local × upstream down each edge: " + "; ".join(parts) + "."


def _box_caption(k, steps, root, scope, outputs, members, grads, names, num):
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
    listed = ", ".join(f"{names[node]}.grad = {num(grads.get(node, 0.0))}" for node in params[:_SHOWN_GRADS])
    more = f", and {len(params) - _SHOWN_GRADS} more" if len(params) > _SHOWN_GRADS else ""
    passed = f"; backward passed it through the box, so its parameters' grads are {listed}{more}" if params else \
        "; backward passed it through the box to what comes into it"
    return f"Step {k} of {steps}: {box} (collapsed): {got}{passed}. {_how_to_open(box)}"


def _how_to_open(box):
    """The sentence a collapsed box's caption ends with: how to step through it node by node."""
    return f"To step through it node by node: step_through(..., expand=[{box!r}])."


def forward_frames(root, wrt, *, rankdir, show_local_grads, max_nodes, max_frames, precision, **view):
    """(SceneMaker, frames) for forward mode with respect to wrt: forward done, seed, one per node, done.

    A collapsed scope's box gets one frame, once the tangent has come through it.
    """
    if not isinstance(wrt, Value):
        raise RefusedType(
            f"step_through: wrt must be a Value of root's graph, got {type(wrt).__name__} {wrt!r}"
        )
    field = f"d/d{short_name(node_name(wrt))}"
    frame_state, names, shows = _frame_maker(root, field, rankdir, show_local_grads, max_nodes, precision, view)
    order = topological_order(root)  # the options and root are checked before wrt is looked for
    if wrt not in set(order):
        raise RefusedValue(
            f"step_through: wrt={wrt!r} is not a node of root's graph; "
            f"pass the input (a Value root depends on) to differentiate by"
        )
    num = partial(number_text, digits=precision)
    derivative = partial(derivative_name, names=names)
    edge_name = partial(derivative_name, names=names, local=True)
    r, w = names[root], names[wrt]
    tangents = forward_mode(root, wrt)
    seeds = [node for node in order if not node.children or node is wrt]
    box_of, maker = frame_state.maker.view.box, frame_state.maker
    last_in_box = {}  # box id -> its last node to compute: the box's frame comes there
    for node in order:
        if node.children and node is not wrt and not shows(node) and box_of(node):
            last_in_box[box_of(node)] = node
    steps = [node for node in order if node.children and node is not wrt
             and (shows(node) or last_in_box.get(box_of(node)) is node)]
    _check_frames(len(steps) + 3, max_frames)
    known = {node: tangents[node] for node in seeds}
    frames = [
        (
            frame_state({}, named=(root, wrt)),
            f"Forward pass done: {r} = {num(root.data)}. Forward mode now carries {field}, "
            f"each node's derivative with respect to {w}, from the inputs up to {r}.",
        ),
        (
            frame_state(known, (wrt,), named=(wrt,)),
            f"Seed: {derivative(wrt, wrt)} = 1; every other input starts at 0, "
            f"as it does not change when {w} does.",
        ),
    ]
    for k, node in enumerate(steps, 1):
        if not shows(node):  # the last step inside a collapsed box: the tangent has come through it
            box = box_of(node)
            known.update((member, tangents[member]) for member in maker.members[box])
            outputs = list(maker._outputs.get(box, ())) or [node]
            carried = ", ".join(f"{derivative(out, wrt)} = {num(tangents[out])}" for out in outputs[:_SHOWN_GRADS])
            scope_name = short_name(maker.view.boxes[int(box[1:])])
            frames.append((
                frame_state(known, outputs[:1], {}, (node,)),
                f"Step {k} of {len(steps)}: {scope_name} (collapsed): forward mode carried the tangent through it, "
                f"so {carried}. {_how_to_open(scope_name)}",
            ))
            continue
        edge_attrs = {(node, None): _focus_edge(frame_state.focus_edge)}
        symbols, products, named = [], [], [node]
        for i, (child, local) in enumerate(zip(node.children, node.local_grads)):
            product = f"{num(local)} × {num(tangents[child])}"
            edge_attrs[(node, i)] = _focus_edge(frame_state.focus_edge, f"{product} = {num(local * tangents[child])}")
            if _is_constant(child):
                continue  # a constant's tangent is 0: it adds nothing
            symbols.append(f"{edge_name(node, child)} × {derivative(child, wrt)}")
            products.append(product)
            named.append(child)
        known[node] = tangents[node]
        sum_text = f"{' + '.join(symbols)} = {' + '.join(products)}" if symbols else "0, as its operands are constants,"
        frames.append(
            (
                frame_state(known, (node,), edge_attrs, named),
                f"Step {k} of {len(steps)}: {derivative(node, wrt)} = sum of local × tangent = "
                f"{sum_text} = {num(tangents[node])}.",
            )
        )
    frames.append(
        (
            frame_state(known, named=(root, wrt)),
            f"Forward mode done: {derivative(root, wrt)} = {num(tangents[root])}, "
            f"the number {w}.grad holds after {r}.backward().",
        )
    )
    return frame_state.maker, frames


def _check_frames(count, max_frames):
    """Refuse, before any frame is built, a stepper of more than max_frames frames."""
    if not isinstance(max_frames, int) or isinstance(max_frames, bool) or max_frames < 1:
        raise RefusedValue(f"step_through: got max_frames={max_frames!r}; use a positive whole number")
    if count > max_frames:
        raise RefusedValue(
            f"step_through: this graph makes {count} frames, more than max_frames={max_frames}; "
            f"step through part of it with around=node (and depth=k), or draw scopes as one box "
            f"each with collapse=[scope names], or pass a larger max_frames="
        )


def _frame_maker(root, field, rankdir, show_local_grads, max_nodes, precision, view):
    """(frame_state, names, shows): frame_state(numbers, focus, edge_attrs, named) is a
    FrameState of root drawn with `field` filled from {node: number} (frame_state.maker
    draws it); names are the nodes' names as drawn; shows(node) says whether node is drawn
    as itself."""
    maker = SceneMaker(root, caller="step_through", rankdir=rankdir, precision=precision,
                       max_nodes=max_nodes, field=field, local_grads=show_local_grads, **view)

    def frame_state(numbers, focus=(), edge_attrs=None, named=()):
        # A copy of the numbers: later steps must not change this frame.
        return FrameState(dict(numbers), tuple(focus), edge_attrs or {}, tuple(named))

    frame_state.maker = maker
    frame_state.focus_edge = maker.styles["focus_edge"]
    return frame_state, maker.names, maker.view.shows


def _is_constant(node):
    """Whether node is a constant: a number written into the graph (no label, no operands), not a variable."""
    return not node.children and not node.label


def _focus_edge(style, label=None):
    """Attributes of an edge the current step's derivative runs along, in the drawing's style."""
    attrs = dict(style)
    if label is not None:
        attrs["label"] = plain(label)
    return attrs
