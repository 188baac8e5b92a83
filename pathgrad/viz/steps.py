"""The frames of a stepper: one Scene and one caption per step of the chain rule.

Reverse mode replays `backward_trace`: frame 0 is the graph after the
forward pass with every grad blank (unknown, not 0), then one frame per
backward step, in which the node being processed passes
local x upstream = contribution down each of its edges, then a last frame
with every grad known. Forward mode replays `forward_mode` the same way from
the inputs up: tangent(node) = sum of local x tangent(child). Every number
comes from the engine's recorded local grads, so the frames cannot disagree
with backward().
"""

from functools import partial

from ..engine import Value, backward_trace, derivative_name, forward_mode, node_name, number_text, topological_order
from .picture import FrameState
from .scene import SceneMaker
from .text import plain

_SHOWN_GRADS = 8  # the closing caption lists at most this many leaves


def reverse_frames(root, *, rankdir, show_local_grads, max_nodes, max_frames, precision, **view):
    """(SceneMaker, frames) for the backward pass of root, each frame a (FrameState, caption) pair:
    forward done, one per step, backward done.

    A step of a node that is not drawn as itself (outside `around`, inside a
    collapsed scope) makes no frame of its own; its grads show in the next.
    """
    scene, names, derivative, shows = _scene_maker(
        root, "grad", rankdir, show_local_grads, max_nodes, precision, view
    )
    num = partial(number_text, digits=precision)
    edge_name = partial(derivative_name, names=names, local=True)  # ∂p/∂c, an edge's own number
    first = scene({})
    r = names[root]
    frames = [
        (
            first,
            f"Forward pass done: {r} = {num(root.data)}. No grad is known yet (blank, not 0); "
            f"backward starts at the root with d{r}/d{r} = 1.",
        )
    ]
    trace = backward_trace(root)
    shown = sum(1 for step in trace if shows(step.node))
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
        if not shows(node):
            for edge in step.edges:
                grads[edge.child] = grads.get(edge.child, 0.0) + edge.contribution
                pending[edge.child] -= 1
            continue
        k += 1
        p = names[node]
        edge_attrs = {(node, None): _focus_edge(scene.focus_edge)}
        parts = []
        for i, edge in enumerate(step.edges):
            child = edge.child
            grads[child] = grads.get(child, 0.0) + edge.contribution
            pending[child] -= 1
            arithmetic = f"{num(edge.local_grad)} × {num(upstream)} = {num(edge.contribution)}"
            edge_attrs[(node, i)] = _focus_edge(scene.focus_edge, arithmetic)
            so_far = " so far" if pending[child] else ""
            parts.append(
                f"{edge_name(node, child)} × {derivative(root, node)} = {arithmetic}, "
                f"so {names[child]}.grad = {num(grads[child])}{so_far}"
            )
        root_note = ", the root," if node is root else ""
        frames.append(
            (
                scene(grads, (node,), edge_attrs),
                f"Step {k} of {shown}: {p}{root_note} has its full grad "
                f"d{r}/d{p} = {num(upstream)} and passes local × upstream down each edge: "
                + "; ".join(parts)
                + ".",
            )
        )
    final = grads if trace else {root: 1.0}  # a lone leaf is its own root
    leaves = [node for node in topological_order(root) if not node.children and node.label]
    listed = ", ".join(
        f"{names[node]}.grad = {num(final[node])}" for node in leaves[:_SHOWN_GRADS]
    )
    more = f", and {len(leaves) - _SHOWN_GRADS} more" if len(leaves) > _SHOWN_GRADS else ""
    frames.append(
        (
            scene(final),
            f"Backward done: every grad is known, the same numbers as after {r}.backward()"
            + (f": {listed}{more}." if leaves else "."),
        )
    )
    return scene.maker, frames


def forward_frames(root, wrt, *, rankdir, show_local_grads, max_nodes, max_frames, precision, **view):
    """(SceneMaker, frames) for forward mode with respect to wrt: forward done, seed, one per node, done."""
    if not isinstance(wrt, Value):
        raise TypeError(
            f"step_through: wrt must be a Value of root's graph, got {type(wrt).__name__} {wrt!r}"
        )
    field = f"d/d{node_name(wrt)}"

    scene, names, derivative, shows = _scene_maker(
        root, field, rankdir, show_local_grads, max_nodes, precision, view
    )
    num = partial(number_text, digits=precision)
    edge_name = partial(derivative_name, names=names, local=True)
    first = scene({})  # the options and root are checked before wrt is looked for
    order = topological_order(root)
    if wrt not in set(order):
        raise ValueError(
            f"step_through: wrt={wrt!r} is not a node of root's graph; "
            f"pass the input (a Value root depends on) to differentiate by"
        )
    r, w = names[root], names[wrt]
    tangents = forward_mode(root, wrt)
    seeds = [node for node in order if not node.children or node is wrt]
    steps = [node for node in order if node.children and node is not wrt and shows(node)]
    _check_frames(len(steps) + 3, max_frames)
    known = {node: tangents[node] for node in seeds}
    frames = [
        (
            first,
            f"Forward pass done: {r} = {num(root.data)}. Forward mode now carries {field}, "
            f"each node's derivative with respect to {w}, from the inputs up to {r}.",
        ),
        (
            scene(known, (wrt,)),
            f"Seed: d{w}/d{w} = 1; every other input starts at 0, "
            f"as it does not change when {w} does.",
        ),
    ]
    for k, node in enumerate(steps, 1):
        edge_attrs = {(node, None): _focus_edge(scene.focus_edge)}
        symbols, products = [], []
        for i, (child, local) in enumerate(zip(node.children, node.local_grads)):
            product = f"{num(local)} × {num(tangents[child])}"
            edge_attrs[(node, i)] = _focus_edge(scene.focus_edge, f"{product} = {num(local * tangents[child])}")
            symbols.append(f"{edge_name(node, child)} × {derivative(child, wrt)}")
            products.append(product)
        known[node] = tangents[node]
        frames.append(
            (
                scene(known, (node,), edge_attrs),
                f"Step {k} of {len(steps)}: {derivative(node, wrt)} = sum of local × tangent = "
                f"{' + '.join(symbols)} = {' + '.join(products)} = {num(tangents[node])}.",
            )
        )
    frames.append(
        (
            scene(known),
            f"Forward mode done: d{r}/d{w} = {num(tangents[root])}, "
            f"the number {w}.grad holds after {r}.backward().",
        )
    )
    return scene.maker, frames


def _check_frames(count, max_frames):
    """Refuse, before any frame is built, a stepper of more than max_frames frames."""
    if not isinstance(max_frames, int) or isinstance(max_frames, bool) or max_frames < 1:
        raise ValueError(f"step_through: got max_frames={max_frames!r}; use a positive whole number")
    if count > max_frames:
        raise ValueError(
            f"step_through: this graph makes {count} frames, more than max_frames={max_frames}; "
            f"step through part of it with around=node (and depth=k), or draw scopes as one box "
            f"each with collapse=[scope names], or pass a larger max_frames="
        )


def _scene_maker(root, field, rankdir, show_local_grads, max_nodes, precision, view):
    """(scene, names, derivative, shows): scene(numbers, focus, edge_attrs) is the FrameState
    of root drawn with `field` filled from {node: number} (scene.maker draws it); names and
    derivative write nodes and derivatives as drawn; shows(node) says whether node is drawn
    as itself."""
    maker = SceneMaker(root, caller="step_through", rankdir=rankdir, precision=precision,
                       max_nodes=max_nodes, field=field, local_grads=show_local_grads, **view)

    def scene(numbers, focus=(), edge_attrs=None):
        # A copy of the numbers: later steps must not change this frame.
        return FrameState(dict(numbers), tuple(focus), edge_attrs or {})

    scene.maker = maker
    scene.focus_edge = maker.styles["focus_edge"]
    return scene, maker.names, maker.derivative, maker.view.shows


def _focus_edge(style, label=None):
    """Attributes of an edge the current step's derivative runs along, in the drawing's style."""
    attrs = dict(style)
    if label is not None:
        attrs["label"] = plain(label)
    return attrs
