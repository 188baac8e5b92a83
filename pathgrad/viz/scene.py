"""A drawing as plain data, before Graphviz sees it.

A value node is a record `label | data | grad`. Each operation gets its own
op node between its operands and its result, so c = a + b draws
a -> (+) -> c and b -> (+) -> c, and a + a draws two edges from a. Nodes are
named by their place in `topological_order` (v0, v1, ... for values, op2, ...
for the operation that made v2), never by id(), so the same graph always
gives the same DOT source, byte for byte.

`draw`, `draw_paths` and the stepper all make a `Scene` here, with a
`SceneMaker`; they differ only in the numbers of the third field, the
highlighted nodes and the attributes of some edges. digraph.py makes a
Scene the `graphviz.Digraph` dot lays out.

>>> from pathgrad import Value
>>> from pathgrad.viz.options import Look
>>> a = Value(2.0, "a"); y = a * 3; y.label = "y"
>>> scene = SceneMaker(y, Look(rankdir="LR")).scene(lambda node: None)
>>> [name for name, _ in scene.nodes], scene.edges[0][:2]
(['v0', 'v1', 'v2', 'op2'], ('v0', 'op2'))
"""

import re
from collections import Counter
from typing import NamedTuple

import graphviz

from pathgrad.engine import Value, derivative_name, number_text, topological_order
from pathgrad.engine.validation import RefusedValue

from .options import Wording
from .plan import check_root
from .text import display_names, plain, record_field, renamed, rewriting, short_name, shown_number
from .theme import styles
from .view import View

_STRAIGHT = "8"  # dot's weight of the edges along a chain, drawn top to bottom

class Scene(NamedTuple):
    """Graph attributes, nodes as (name, attrs), edges as (tail, head, attrs), and one line about it."""

    attrs: dict
    nodes: list
    edges: list
    description: str
    defaults: tuple  # (node attributes, edge attributes) every node and edge starts from


class SceneMaker:
    """Scenes of root's graph, drawn with a Look, that differ only in their numbers, highlights
    and edge attributes.

    The Look's rankdir and collapse are the plan's (see plan.py); its
    show_local_grads labels each operand edge with its local grad; its
    collapse, around and depth choose the part drawn (see view.py); its
    theme, fontsize and scale how it looks (see theme.styles). `field` names
    the third record field ("grad", "d/dx", or None to leave it out).
    `folded` (a folded.Folded) draws one instance of each fold (see folded.py).

    What every scene shares (the order, the op nodes, the edge labels) is
    worked out once, so a stepper's many frames cost little each.
    """

    def __init__(self, root, look, field="grad", folded=None):
        check_root(look.caller, root)
        self.look = look
        caller, rankdir, precision, max_nodes = look.caller, look.rankdir or "LR", look.precision, look.max_nodes
        self.styles = styles(look)
        order = topological_order(root)
        self.index = {node: i for i, node in enumerate(order)}
        hidden = folded.hidden if folded else frozenset()
        self.folded = folded
        self.view = View(look, order, self.index, hidden, folded.box_of if folded else None)
        # Where each node is drawn: its record v3, its box s0, or nowhere (None): left out by folding.
        where = {node: f"v{i}" if self.view.shows(node) else None if node in hidden else self.view.box(node)
                 for i, node in enumerate(order)}
        drawn = sum(1 for place in where.values() if place and place[0] == "v") + len(self.view.boxes)
        if drawn > max_nodes:
            raise RefusedValue(Wording(lambda say: (
                f"{caller}: the graph has {drawn} nodes to draw, more than {say('max_nodes', max_nodes)}; "
                f"a drawing that big is unreadable and slow to lay out. Draw part of it "
                f"({say('around')}), draw scopes as boxes ({say('collapse')}), "
                f"build neurons fused (weighted_sum makes one node per neuron instead of 2n+1), "
                f"or pass a larger {say('max_nodes')}"
            )), option="max_nodes")
        self.caller, self.rankdir, self.precision, self.field = caller, rankdir, precision, field
        # Top to bottom, a chain of wide records drifts sideways unless its first operands pull straight.
        self._straight = rankdir in ("TB", "BT")
        self.order = order
        self.names = display_names(root)
        self._records = {}  # (node index, its number) -> record label
        self._edges = {}  # node -> [(k, tail, base attrs)] for its drawn operand edges
        self._ops = {node: plain(folded.op(node, node.op) if folded else node.op)
                     for node in order if node.children and where[node]}
        self.members = {}  # box id -> the nodes inside it
        self._box_edges = []  # edges into boxes, one per outside input
        self._outputs = {}  # box id -> its nodes used outside it (or the root)
        into = set()
        for i, node in enumerate(order):
            place = where[node]
            if place is None:
                continue
            boxed = place[0] == "s"
            if boxed:
                self.members.setdefault(place, []).append(node)
            edges, tails = [], set()
            for k, child in enumerate(node.children):
                tail, shown = where[child], child
                if tail is None and folded:  # left out by folding: drawn from its stand-in, once
                    shown = folded.stand_in(child)
                    tail = where[shown]
                    if tail in tails:
                        continue
                if tail is None or tail == place:
                    continue  # not drawn, or inside one box
                tails.add(tail)
                if tail[0] == "s":
                    self._outputs.setdefault(tail, {})[shown] = None
                if boxed:
                    if (tail, place) not in into:
                        into.add((tail, place))
                        self._box_edges.append((tail, place, {"id": f"e{i}_{k}"}))
                    continue
                # The edge's derivative in full in its tooltip; its label, when asked for, the number.
                local = number_text(node.local_grads[k], precision)
                attrs = {"id": f"e{i}_{k}", "tooltip": plain(f"{self.derivative(node, shown, local=True)} = {local}")}
                if k == 0 and self._straight:
                    attrs["weight"] = _STRAIGHT
                if look.show_local_grads:
                    attrs["label"] = plain(local)
                if folded and folded.label(node, child):
                    attrs["label"] = plain(folded.label(node, child))
                edges.append((k, tail, attrs))
            self._edges[node] = edges
        if where[root] and where[root][0] == "s":
            self._outputs.setdefault(where[root], {})[root] = None
        self._fan_in = Counter(head for _, head, _ in self._box_edges)
        # A box's unlabelled outputs are drawn as the box: they are called by its name (L2.n0, L0[3])
        called = _box_names(self.view.boxes, self._outputs)
        if called:
            rewrite = rewriting(self.names, called)
            self.names = renamed(self.names, called)
            for edges in self._edges.values():
                for _, _, attrs in edges:
                    attrs["tooltip"] = rewrite(attrs["tooltip"])
        operations = sum(1 for node in order if node.children)
        self.description = (
            f"pathgrad drawing of {self.names[root]}: {len(order)} value{'s' * (len(order) != 1)}, "
            f"{operations} operation{'s' * (operations != 1)}"
        )

    def elements(self, node, number_of, focus, edge_attrs):
        """(nodes, edges) that node draws: its record and op node, its operand edges, its out edge."""
        if not self.view.shows(node):
            return [], []
        i = self.index[node]
        style = self.styles["focus"] if node in focus else {}
        known = shown_number(number_of(node)) if self.field is not None else None
        label = self._records.get((i, known))
        if label is None:
            label = self._records[(i, known)] = _record(
                self.names[node], node, self.rankdir, self.field, known, self.precision
            )
        nodes = [(f"v{i}", {"label": label, "id": f"v{i}", **style})]
        if not node.children:
            return nodes, []
        op = f"op{i}"
        symbol = self.styles["symbol"] if _SYMBOLS.fullmatch(node.op) else {}
        nodes.append((op, {"label": self._ops[node], **self.styles["op"], **symbol, "id": op, **style}))
        edges = []
        for k, tail, attrs in self._edges[node]:
            edges += _parallel(tail, op, attrs, edge_attrs.get((node, k)))
        out = {"id": f"e{i}", "weight": _STRAIGHT} if self._straight else {"id": f"e{i}"}
        edges += _parallel(op, f"v{i}", out, edge_attrs.get((node, None)))
        return nodes, edges

    def box_node(self, box, focus, number_of=None):
        """A collapsed scope's box, highlighted when it holds a focus node.

        A record: the scope's short name, its output's data and grad (from
        number_of, as the value records) when it has one output, and its
        parameter count: `L0.n3 | data 0.5 | grad 1 | 3 params`.
        """
        name = self.view.boxes[int(box[1:])]
        members = self.members[box]
        focused = any(node in focus for node in members)
        focus_style = self.styles["focus"] if focused else {}
        fields = [record_field(short_name(name))]
        outputs = self.outputs(box)
        if len(outputs) == 1:
            fields.append(f"data {number_text(outputs[0].data, self.precision)}")
            if self.field is not None:
                known = shown_number(number_of(outputs[0])) if number_of else None
                fields.append(self.field if known is None else f"{self.field} {number_text(known, self.precision)}")
        else:
            fields.append(f"{len(outputs)} outputs")
        params = sum(1 for node in members if node.label and not node.children)
        if params:
            fields.append(f"{params} param{'s' * (params != 1)}")
        text = " | ".join(fields)
        # Unlike a value's, a box's fields stack across the rank direction: a card, narrow along it.
        label = graphviz.nohtml(text if self.rankdir in ("LR", "RL") else f"{{ {text} }}")
        # dot keeps a box's inputs in the order of its edges: L0.n0, L0.n1, ..., L0.n15, not n10 first
        ordering = {"ordering": "in"} if self._fan_in[box] > 1 else {}
        return box, {"label": label, **self.styles["box"], "id": box, **ordering, **focus_style}

    def outputs(self, box):
        """The nodes of a box (s0) used outside it, or the root: what its frames and fields speak of."""
        return list(self._outputs.get(box, ()))

    def element_id(self, node):
        """The id an edge out of node starts from: its record, its box, or None if not drawn."""
        return f"v{self.index[node]}" if self.view.shows(node) else self.view.box(node)

    def derivative(self, top, bottom, local=False):
        """d top / d bottom (∂top/∂bottom if local), written with this graph's node names."""
        return derivative_name(top, bottom, self.names, local=local)

    def scene(self, number_of, focus=(), edge_attrs=None):
        """The Scene with the third field from number_of, `focus` highlighted, edge_attrs added."""
        focus = _members(self.caller, focus, self.index)
        edge_attrs = edge_attrs or {}
        nodes, edges = [], []
        for node in self.order:
            drawn_nodes, drawn_edges = self.elements(node, number_of, focus, edge_attrs)
            nodes += drawn_nodes
            edges += drawn_edges
        nodes += [self.box_node(box, focus, number_of) for box in self.members]
        edges += self._box_edges
        attrs = {"rankdir": self.rankdir, **self.styles["graph"], "pad": "0.15"}
        if self.rankdir in ("TB", "BT"):
            attrs.update(self.styles["tb"])
        return Scene(attrs, nodes, edges, self.description, (self.styles["node"], self.styles["edge"]))


def _box_names(boxes, outputs):
    """{output: its name}: a box's one output is called by the box's name, its k-th of several `box[k]`."""
    called = {}
    for box, nodes in outputs.items():
        name = short_name(boxes[int(box[1:])])
        unlabelled = [node for node in nodes if not node.label]
        for k, node in enumerate(unlabelled):
            called[node] = name if len(nodes) == 1 else f"{name}[{k}]"
    return called


def _parallel(tail, head, attrs, extra):
    """The edge tail -> head with `extra` attributes; a list of them draws parallel edges, one each."""
    if not extra:
        return [(tail, head, attrs)]
    if isinstance(extra, dict):
        return [(tail, head, {**attrs, **extra})]
    return [(tail, head, {**attrs, **more, "id": f"{attrs['id']}p{j}"}) for j, more in enumerate(extra)]


_SYMBOLS = re.compile(r"[^\w\s]+\d*")  # *, +, /, **2: an operator written without words


def _record(name, node, rankdir, field, known, precision):
    """name | data 2 | grad 5, with the grad blank where `known` is None.

    An unlabelled leaf, a constant, is a number and nothing more: its name
    is its number, and no grad flows anywhere from it.
    """
    fields = [record_field(name)]
    if node.label or node.children:
        fields.append(f"data {number_text(node.data, precision)}")
    if field is not None and (node.label or node.children):
        shown = field if known is None else f"{field} {number_text(known, precision)}"
        fields.append(record_field(shown))
    text = " | ".join(fields)
    # A record's fields run across the rank direction; braces turn them to read left to right.
    return graphviz.nohtml(f"{{ {text} }}" if rankdir in ("LR", "RL") else text)


def _members(caller, nodes, index):
    """`nodes` as a set, each checked to be a node of the graph being drawn."""
    members = set()
    for node in nodes:
        if not isinstance(node, Value) or node not in index:
            raise RefusedValue(
                f"{caller}: cannot highlight {node!r}; it is not a node of root's graph. "
                f"Pass Values from this graph"
            )
        members.add(node)
    return members
