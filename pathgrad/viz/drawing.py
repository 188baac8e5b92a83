"""draw, to_svg and save: one computational graph as a picture."""

import os
from operator import attrgetter

import graphviz

from pathgrad.files import write_atomically

from .render import pipe
from .scene import build, to_digraph

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": None}  # None: the DOT source itself


def draw(
    root,
    *,
    rankdir="LR",
    show_grads=True,
    show_local_grads=False,
    highlight=(),
    max_nodes=2000,
    precision=4,
    collapse=(),
    around=None,
    depth=1,
    theme="light",
    fontsize=12,
    scale=1.0,
):
    """root's computational graph as a graphviz.Digraph, which Jupyter shows inline.

    Each value is a record `label | data | grad`; each operation is an op node
    between its operands and its result. With show_local_grads, the edge from
    operand a into c's operation is labelled with the local derivative
    dc/da recorded in the forward pass, the factor backward multiplies by.
    show_grads="blank" keeps the grad field but leaves it empty: a worksheet
    to fill in by hand. Numbers show `precision` significant digits. `highlight` nodes (Values of
    this graph) are filled in amber. Past max_nodes nodes it raises ValueError.

    For big graphs: `collapse=["layers.0", ...]` draws each named scope (see
    pathgrad.scope; nn opens `layers.0`, `layers.0.neurons.3`, ...) as one
    box with its inputs and outputs, and `around=node, depth=k` draws only
    the nodes within k edges of node. For slides: `theme="dark"`, `fontsize=`
    (points, 12 by default) and `scale=`, which makes everything bigger.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> e = (a + b) * (b + 1); e.backward()
    >>> "{ a | data 2 | grad 2 }" in draw(e).source
    True
    >>> "{ a | data 2 | grad }" in draw(e, show_grads="blank").source
    True
    """
    scene = build(
        root,
        caller="draw",
        rankdir=rankdir,
        precision=precision,
        max_nodes=max_nodes,
        field="grad" if show_grads else None,
        number_of=_blank if show_grads == "blank" else attrgetter("grad"),
        local_grads=show_local_grads,
        focus=highlight,
        collapse=collapse,
        around=around,
        depth=depth,
        theme=theme,
        fontsize=fontsize,
        scale=scale,
    )
    return to_digraph(scene)


def _blank(node):
    return None


def to_svg(root, **options):
    """The drawing as an SVG document (a str), rendered by Graphviz's dot.

    `root` is a Value, drawn with draw(root, **options), or a drawing already
    made by draw or draw_paths. Raises GraphvizNotFound without dot.

    >>> from pathgrad import Value
    >>> to_svg(Value(2.0, "a") * 3).startswith("<?xml")
    True
    """
    return pipe(_drawing("to_svg", root, options).source, "svg").decode("utf-8")


def save(root, path, **options):
    """Write the drawing to path, in the format its extension names; return path.

    .svg, .png and .pdf are rendered by dot; .dot is the DOT source and needs
    no Graphviz. `root` is a Value, drawn with draw(root, **options), or a
    drawing made by draw or draw_paths. The file is written to a temporary
    name and renamed, so it is never seen half written.

    >>> from pathgrad import Value
    >>> import os, tempfile
    >>> path = save(Value(2.0, "a") * 3, os.path.join(tempfile.mkdtemp(), "graph.svg"))
    >>> open(path).read().startswith("<?xml")
    True
    """
    extension = os.path.splitext(os.fspath(path))[1].lower()
    if extension not in FORMATS:
        raise ValueError(
            f"save: cannot tell the format of {os.fspath(path)!r} from its extension "
            f"{extension or '(none)'!r}; use one of {', '.join(FORMATS)}"
        )
    source = _drawing("save", root, options).source
    format = FORMATS[extension]
    write_atomically(path, source.encode("utf-8") if format is None else pipe(source, format))
    return path


def _drawing(caller, root, options):
    """A Value drawn with options, or a drawing passed as it is."""
    if not isinstance(root, graphviz.Digraph):
        return draw(root, **options)
    if options:
        raise TypeError(
            f"{caller}: got options {sorted(options)} with a drawing that is already made; "
            f"pass the Value itself to draw it with options, or the drawing alone"
        )
    return root
