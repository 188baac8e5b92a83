"""draw_paths: the path-sum form of the chain rule, drawn.

d root / d wrt is the sum, over every path from wrt up to root, of the
product of the local grads along the path. Each of up to 12 paths is drawn
in its own colour and line style (an edge shared by several paths is drawn
once per path, side by side),
and a table under the graph gives each path's product and their sum, which
is wrt.grad after root.backward().
"""

import html
import itertools
from operator import attrgetter

from pathgrad.engine import PathSum, Value, all_paths, derivative_name, number_text, topological_order
from pathgrad.engine.validation import RefusedType, RefusedValue

from . import theme
from .digraph import to_digraph
from .options import Look
from .scene import SceneMaker
from .text import plain


PARALLEL = 12  # paths drawn each with edges of its own; past that, a shared edge is one multi-colour line


def draw_paths(
    root, wrt, *, rankdir="LR", show_grads=True, max_nodes=2000, precision=4, limit=10_000
):
    """root's graph with every path from wrt to root in its own colour, and their sum.

    Each path's edges are labelled with their local grads; the table lists,
    per path, the product of those local grads, and their sum
    d root / d wrt. Past `limit` paths, all_paths raises PathLimitExceeded
    (a ValueError) with the path count.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> c = a + b; c.label = "c"
    >>> d = b + 1; d.label = "d"
    >>> e = c * d; e.label = "e"
    >>> "sum = de/db = 5" in draw_paths(e, b).source
    True
    """
    if not isinstance(root, Value):
        raise RefusedType(f"draw_paths: root must be a pathgrad Value, got {type(root).__name__}")
    look = Look("draw_paths", rankdir=rankdir, show_grads=show_grads, max_nodes=max_nodes, precision=precision)
    order = topological_order(root)
    if not isinstance(wrt, Value) or wrt not in set(order):
        raise RefusedValue(
            f"draw_paths: wrt={wrt!r} is not a node of root's graph; pass root (a Value) "
            f"and an input of it to draw the paths between them"
        )
    paths = all_paths(root, wrt, limit=limit)
    styles = [path_style(j) for j in range(len(paths))]
    on_paths = {}  # edge -> styles of the paths through it, in path order
    for style, edges in zip(styles, _edges_of(paths)):
        for parent, k in edges:
            for edge in ((parent, k), (parent, None)):
                if style not in on_paths.setdefault(edge, []):
                    on_paths[edge].append(style)
    edge_attrs = {}
    for parent in order:
        for k in [*range(len(parent.children)), None]:
            if (parent, k) not in on_paths:
                edge_attrs[(parent, k)] = {"color": theme.FADED}
                continue
            through = on_paths[(parent, k)]
            label = {"label": plain(number_text(parent.local_grads[k], precision))} if k is not None else {}
            if len(paths) <= PARALLEL:
                # One edge per path through it, each in its path's colour and line style.
                edge_attrs[(parent, k)] = [
                    {"color": colour, "style": dash, "penwidth": "2", **(label if j == 0 else {})}
                    for j, (colour, dash) in enumerate(through)
                ]
            else:  # too many to draw side by side: one edge in all their colours
                edge_attrs[(parent, k)] = {"color": ":".join(c for c, _ in through), "penwidth": "2", **label}
    maker = SceneMaker(root, look, "grad" if show_grads else None)
    scene = maker.scene(attrgetter("grad"), focus=(wrt,), edge_attrs=edge_attrs)
    legend = _table(PathSum(root, wrt), paths, styles, precision)
    scene.attrs.update(label=legend, labelloc="b", labeljust="l")
    return to_digraph(scene, look)  # shown no wider than a notebook cell, as draw()'s pictures are


def _edges_of(paths):
    """Each path's edges as (parent, k), where parent.children[k] is the node below.

    A path lists nodes, not edges, so paths through a repeated operand
    (a + a) share their nodes. all_paths lists paths depth first from the
    root with children in order, so such paths differ only in which copy of
    each repeated edge they take, in the order of itertools.product over
    those choices from the root down.
    """
    choices = {}
    edges_of = []
    for path in paths:
        # (parent, child) pairs from the root down
        steps = list(zip(path.nodes[:0:-1], path.nodes[-2::-1]))
        if path.nodes not in choices:
            copies = [
                [k for k, c in enumerate(parent.children) if c is child] for parent, child in steps
            ]
            choices[path.nodes] = itertools.product(*copies)
        edges_of.append([(parent, k) for (parent, _), k in zip(steps, next(choices[path.nodes]))])
    return edges_of


def path_style(j):
    """(colour, line style) of path j: seven colours, then the seven again dashed, then dotted, ...

    >>> path_style(0), path_style(8)
    (('#0072B2', 'solid'), ('#D55E00', 'dashed'))
    """
    colours = theme.PATH_COLOURS
    return colours[j % len(colours)], theme.PATH_DASHES[(j // len(colours)) % len(theme.PATH_DASHES)]


SWATCH_WIDTH = 56  # points: a swatch's own cell, wider than its squares in any font, so text never touches it


def _swatched(number, swatch, text):
    """A path's number, colour swatch and route, the swatch centred in a cell of its own.

    dot places text by its own font metrics; a browser's squares may be wider,
    so the swatch gets a cell of fixed width with room either side, and the
    route starts after it wherever the browser draws the squares.
    """
    return (
        '<table border="0" cellborder="0" cellspacing="0" cellpadding="0"><tr>'
        f'<td align="left">{number}</td>'
        f'<td width="{SWATCH_WIDTH}" fixedsize="true">{swatch}</td>'
        f'<td align="left">{text}</td></tr></table>'
    )


def _table(path_sum, paths, styles, precision):
    """The legend as a Graphviz HTML-like label: one numbered row per path, then the sum."""

    def cell(text, align="left"):
        return f'<td align="{align}">{text}</td>'

    names = path_sum.names
    heading = f"path{'s' if len(paths) != 1 else ''} from {names[path_sum.wrt]} to {names[path_sum.root]}"
    rows = [
        "<tr>"
        + cell(f"<b>{html.escape(heading)}</b>")
        + cell("<b>local grads along it</b>")
        + cell("<b>product</b>", "right")
        + "</tr>"
    ]
    for j, (path, (colour, dash)) in enumerate(zip(paths, styles), 1):
        names, symbols, factors = path_sum.row(path, precision, " × ")
        route = " → ".join(html.escape(name) for name in names)
        swatch = theme.DASH_SWATCHES[dash]
        rows.append(
            "<tr>"
            + cell(_swatched(f"{j}.", f'<font color="{colour}">{swatch}</font>', route))
            + cell(f"{html.escape(symbols)} = {factors}" if symbols else factors or "1")
            + cell(number_text(path.product, precision), "right")
            + "</tr>"
        )
    whole = html.escape(derivative_name(path_sum.root, path_sum.wrt, path_sum.names))
    total = number_text(path_sum.total, precision)
    rows.append(
        "<tr>"
        + cell(f"<b>sum = {whole} = {total}</b>")
        + cell(f"{len(paths)} path{'s' if len(paths) != 1 else ''}")
        + cell(f"<b>{total}</b>", "right")
        + "</tr>"
    )
    # Generous padding: dot measures text with its own font metrics, and a browser's may be wider.
    table = '<table border="0" cellborder="1" cellspacing="0" cellpadding="6" bgcolor="white">'
    return f"<{table}{''.join(rows)}</table>>"
