"""Which part of a big graph a drawing shows: scopes collapsed to boxes, or a neighbourhood.

- `collapse=["layers.0", ...]` draws every node made inside a named scope
  (`pathgrad.scope`, and nn's `layers.0`, `layers.0.neurons.3`: a name
  matches itself and the scopes nested in it) as one box, with the edges
  that come into it from outside and go out of it.
- `around=node, depth=k` draws only the nodes within k edges of node,
  following edges either way.

>>> from pathgrad import Value, scope
>>> from pathgrad.viz import draw
>>> a = Value(1.0, "a")
>>> with scope("double"):
...     b = a * 2
>>> c = b + 1; c.label = "c"
>>> "double (collapsed)" in draw(c, collapse=["double"]).source
True
"""

from collections import deque

from ..engine import Value


class View:
    """The part of `order` (a topological order) drawn: nodes shown as themselves, and boxes."""

    def __init__(self, caller, order, index, collapse=(), around=None, depth=1):
        if isinstance(collapse, str) or not all(isinstance(name, str) for name in collapse):
            raise TypeError(
                f"{caller}: got collapse={collapse!r}; give a list of scope names, "
                f"e.g. collapse=['layers.0']"
            )
        if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
            raise ValueError(f"{caller}: got depth={depth!r}; use a whole number of edges, 0 or more")
        if around is not None and (not isinstance(around, Value) or around not in index):
            raise ValueError(
                f"{caller}: got around={around!r}, which is not a node of root's graph; "
                f"pass a Value of this graph to draw the nodes near it"
            )
        self.boxes = list(dict.fromkeys(collapse))
        self.box_of = {}
        for node in order:
            for b, name in enumerate(self.boxes):
                if node.scope == name or node.scope.startswith(name + "."):
                    self.box_of[node] = b
                    break
        unused = [name for b, name in enumerate(self.boxes) if b not in self.box_of.values()]
        if unused:
            scopes = sorted({node.scope for node in order if node.scope})
            raise ValueError(
                f"{caller}: collapse names {', '.join(map(repr, unused))}, a scope no node of the "
                f"graph was made in; its scopes are {', '.join(scopes) or '(none: make nodes inside pathgrad.scope(name))'}"
            )
        self.near = _within(order, around, depth) if around is not None else set(order)

    def shows(self, node):
        """Whether node is drawn as its own record."""
        return node in self.near and node not in self.box_of

    def box(self, node):
        """The id of the box node is drawn in (s0, s1, ...), or None."""
        box = self.box_of.get(node)
        return None if box is None or node not in self.near else f"s{box}"


def _within(order, centre, depth):
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
