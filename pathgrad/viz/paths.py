"""draw_paths: the path-sum form of the chain rule, drawn.

d root / d wrt is the sum, over every path from wrt up to root, of the
product of the local grads along the path. Each path is drawn in its own
colour (an edge shared by several paths carries several parallel lines),
and a table under the graph gives each path's product and their sum, which
is wrt.grad after root.backward().
"""

import html
import itertools
from operator import attrgetter

from ..engine import Value, all_paths, derivative_name, factor_text, node_names, number_text, topological_order
from . import theme
from .scene import build, to_digraph
from .text import plain


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
        raise TypeError(f"draw_paths: root must be a pathgrad Value, got {type(root).__name__}")
    order = topological_order(root)
    if not isinstance(wrt, Value) or wrt not in set(order):
        raise ValueError(
            f"draw_paths: wrt={wrt!r} is not a node of root's graph; pass root (a Value) "
            f"and an input of it to draw the paths between them"
        )
    paths = all_paths(root, wrt, limit=limit)
    colours = [theme.PATH_COLOURS[j % len(theme.PATH_COLOURS)] for j in range(len(paths))]
    on_paths = {}  # edge -> colours of the paths through it, in path order
    for colour, edges in zip(colours, _edges_of(paths)):
        for parent, k in edges:
            for edge in ((parent, k), (parent, None)):
                if colour not in on_paths.setdefault(edge, []):
                    on_paths[edge].append(colour)
    edge_attrs = {}
    for parent in order:
        for k in [*range(len(parent.children)), None]:
            if (parent, k) not in on_paths:
                edge_attrs[(parent, k)] = {"color": theme.FADED}
                continue
            attrs = {"color": ":".join(on_paths[(parent, k)]), "penwidth": "2"}
            if k is not None:
                attrs["label"] = plain(number_text(parent.local_grads[k], precision))
            edge_attrs[(parent, k)] = attrs
    scene = build(
        root,
        caller="draw_paths",
        rankdir=rankdir,
        precision=precision,
        max_nodes=max_nodes,
        field="grad" if show_grads else None,
        number_of=attrgetter("grad"),
        focus=(wrt,),
        edge_attrs=edge_attrs,
    )
    legend = _table(root, wrt, paths, colours, precision, node_names(root))
    scene.attrs.update(label=legend, labelloc="b", labeljust="l")
    return to_digraph(scene)


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


def _table(root, wrt, paths, colours, precision, names):
    """The legend as a Graphviz HTML-like label: one row per path, then the sum."""

    def cell(text, align="left"):
        return f'<td align="{align}">{text}</td>'

    rows = [
        "<tr>"
        + cell("<b>path from wrt to root</b>")
        + cell("<b>local grads along it</b>")
        + cell("<b>product</b>", "right")
        + "</tr>"
    ]
    total = 0.0
    for path, colour in zip(paths, colours):
        total += path.product
        route = " → ".join(html.escape(names[node]) for node in path.nodes)
        symbols = " × ".join(
            html.escape(derivative_name(parent, child, names))
            for child, parent in zip(path.nodes, path.nodes[1:])
        )
        factors = " × ".join(factor_text(local, precision) for local in path.local_grads) or "1"
        rows.append(
            "<tr>"
            + cell(f'<font color="{colour}">■</font> {route}')
            + cell(f"{symbols} = {factors}" if symbols else factors)
            + cell(number_text(path.product, precision), "right")
            + "</tr>"
        )
    whole = html.escape(derivative_name(root, wrt, names))
    rows.append(
        "<tr>"
        + cell(f"<b>sum = {whole} = {number_text(total, precision)}</b>")
        + cell(f"{len(paths)} path{'s' if len(paths) != 1 else ''}")
        + cell(f"<b>{number_text(total, precision)}</b>", "right")
        + "</tr>"
    )
    table = '<table border="0" cellborder="1" cellspacing="0" cellpadding="4" bgcolor="white">'
    return f"<{table}{''.join(rows)}</table>>"
