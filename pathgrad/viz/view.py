"""Which part of a big graph a drawing shows: scopes collapsed to boxes, or a neighbourhood.

- `collapse=["layers.0", ...]` draws every node made inside a named scope
  (`pathgrad.scope`, and nn's `layers.0`, `layers.0.neurons.3`: a name
  matches itself and the scopes nested in it, written in full or short as
  drawn, `L0.n3`) as one box, with the edges that come into it from outside
  and go out of it.
- A scope holds everything made in it, and also the parameters it uses:
  a leaf labelled `layers.0.neurons.3.w.1` (nn labels parameters with their
  named_parameters names, made in __init__, outside any forward scope)
  belongs to the scope of its consumer whose name ends its label's prefix.
- `around=node, depth=k` draws only the nodes within k edges of node,
  following edges either way.

>>> from pathgrad import Value, scope
>>> from pathgrad.viz import draw
>>> a = Value(1.0, "a")
>>> with scope("double"):
...     b = a * 2
>>> c = b + 1; c.label = "c"
>>> 'label="double | data 2 | grad 0"' in draw(c, collapse=["double"]).source
True
"""

from collections import deque

from pathgrad.engine import Value
from pathgrad.engine.validation import RefusedValue

from .options import Wording
from .text import short_name


def scopes_of(order):
    """{node: the scope it belongs to}: its own, or for a parameter the scope its label names.

    >>> from pathgrad import Value, scope
    >>> w = Value(2.0, "layer.w")
    >>> with scope("layer"):
    ...     y = w * 3
    >>> scopes_of([w, y.children[1], y])[w]
    'layer'
    """
    scopes = {}
    for node in order:
        scopes[node] = node.scope
        for child in node.children:
            label = child.label
            if child.children or not label or "." not in label or scopes.get(child, child.scope) != child.scope:
                continue
            parts = node.scope.split(".")
            for i in range(len(parts)):
                if label.startswith(".".join(parts[i:]) + "."):
                    scopes[child] = node.scope
                    break
    return scopes


def scope_names(scopes):
    """Every scope of the graph, those nodes were made in and the ones around them, sorted."""
    names = set()
    for name in set(scopes.values()):
        while name:
            names.add(name)
            name = name.rpartition(".")[0]
    return sorted(names)


def resolve(caller, option, names, known):
    """The scopes `names` (strs: full or short) mean, in order; an unknown name is refused."""
    short = {short_name(name): name for name in known}
    full = set(known)
    unknown = [name for name in names if name not in full and name not in short]
    if unknown:
        raise RefusedValue(Wording(lambda say: (
            f"{caller}: {say(option, alone=True)} names {', '.join(map(repr, unknown))}, a scope no node of the "
            f"graph was made in; its scopes are "
            f"{', '.join(known) or '(none: make nodes inside pathgrad.scope(name))'}"
        )), option=option)
    return list(dict.fromkeys(name if name in full else short[name] for name in names))


def box_of_scope(scopes, boxes):
    """{scope: index of the box it is drawn in} for every scope inside one of `boxes`."""
    index = {name: b for b, name in enumerate(boxes)}
    inside = {}
    for name in set(scopes.values()):
        part = name
        while part and part not in index:
            part = part.rpartition(".")[0]
        if part:
            inside[name] = index[part]
    return inside


class View:
    """The part of `order` (a topological order) that a Look draws: nodes shown as themselves, and boxes."""

    def __init__(self, look, order, index, hidden=frozenset(), fold_boxes=None):
        around = look.around
        if around is not None and (not isinstance(around, Value) or around not in index):
            raise RefusedValue(
                f"{look.caller}: got around={around!r}, which is not a node of root's graph; "
                f"pass a Value of this graph to draw the nodes near it", option="around"
            )
        self.scopes = scopes_of(order)
        self.boxes = resolve(look.caller, "collapse", look.collapse or (), scope_names(self.scopes))
        inside = box_of_scope(self.scopes, self.boxes)
        self.box_of = {}
        if inside:
            for node in order:
                b = inside.get(self.scopes[node])
                if b is not None and node not in hidden:
                    self.box_of[node] = b
        self.near = nodes_within(order, around, look.depth) if around is not None else None
        self.hidden = hidden  # nodes a folded drawing leaves out (fold.py)
        # A fold drawn as one box (folded.py: {node: fold name}, every instance's nodes) holds them
        # whatever scope they were made in: boxes after the scopes', s3 after s0-s2.
        for name in dict.fromkeys((fold_boxes or {}).values()):
            self.boxes.append(name)
        self.box_of.update((node, self.boxes.index(name)) for node, name in (fold_boxes or {}).items())

    def shows(self, node):
        """Whether node is drawn as its own record."""
        return (self.near is None or node in self.near) and node not in self.box_of and node not in self.hidden

    def box(self, node):
        """The id of the box node is drawn in (s0, s1, ...), or None."""
        box = self.box_of.get(node)
        return None if box is None or (self.near is not None and node not in self.near) else f"s{box}"


def nodes_within(order, centre, depth):
    """The nodes at most `depth` edges from centre, following edges either way."""
    neighbours = {node: set(node.children) for node in order}
    for node in order:
        for child in node.children:
            neighbours[child].add(node)
    distance = {centre: 0}
    queue = deque([centre])
    while queue:
        node = queue.popleft()
        if distance[node] == depth:
            continue
        for other in neighbours[node]:
            if other not in distance:
                distance[other] = distance[node] + 1
                queue.append(other)
    return set(distance)
