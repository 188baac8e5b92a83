"""The scalar `Value`: every operation records its local derivatives, and `backward()` multiplies them.

This file is the whole algorithm of reverse-mode automatic differentiation.

1. Forward. Each operation computes its result *and* the local derivative of
   that result with respect to each operand, d out / d child, and stores both
   on the new node: `children` in operand order, `local_grads` beside them.
   For y = a * b the node y holds children (a, b) and local_grads (b, a).
   Every operation ends in `make_node`.
2. Order. `topological_order(root)` (graph.py) lists every node once,
   children before parents, without recursion.
3. Backward. `root.backward()` seeds d root / d root = 1, then walks that
   order from the root down. Each node, once all its parents have passed it
   their share, passes `local * grad` to each child: the chain rule,
   d root/d child += (d node/d child) * (d root/d node), once per edge.

Every operation is one row of the table in `ops.py` (its forward and its
local derivatives, side by side); operators.py turns each row into Value's
operators and methods, and makes the node of an op of your own
(`operation()`). Forward mode, path sums, `explain`, the stepper and the
drawings read the very same recorded numbers, so they never disagree.

Nodes hold no closures and no references back to their parents, so a graph is
a tree of plain references that reference counting frees at once.

>>> a, b = Value(2.0, "a"), Value(1.0, "b")
>>> e = (a + b) * (b + 1)     # e = 6; de/da = b + 1 = 2, de/db = (b + 1) + (a + b) = 5
>>> e.backward(); (a.grad, b.grad)
(2.0, 5.0)
"""

import operator
import threading

from . import ops
from .graph import topological_order
from .mode import anomaly, context
from .ops import data_of
from .sweep import backward_with_graph
from .validation import RefusedType, RefusedValue, shown, value_data, value_label

_context_now = context.get  # (scope, grad mode): read once per node
_new_node = object.__new__


def make_node(data, rule, children, local_grads):
    """The node of one operation: its result, its row, its operands and d result / d operand for each.

    Every operation ends here. Under no_grad() the node is a leaf.

    >>> a = Value(2.0); y = make_node(6.0, ops.MUL, (a, Value(3.0)), (3.0, 2.0))
    >>> y.op, y.local_grads
    ('*', (3.0, 2.0))
    """
    if data - data:  # inf - inf is nan: the result overflowed a float
        raise ops.overflow_error(rule.op, [child.data for child in children], rule.symbol)
    scope, recording = _context_now()
    out = _new_node(Value)
    out._data = data
    out.grad = 0.0
    out._label = ""
    out.scope = scope
    if recording:
        out.rule = rule
        out.children = children
        out.local_grads = local_grads
    else:  # no_grad(): a leaf
        out.rule = None
        out.children = ()
        out.local_grads = ()
    return out


def _undeletable(name):
    raise AttributeError(f"Value: {name} cannot be deleted")


class Value:
    """A scalar in a computational graph, with its gradient.

    `data` is the number, `grad` is d root / d self after `root.backward()`,
    `children` are the operands that made it and `local_grads` the derivative
    d self / d child on each of those edges.

    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> e = (a + b) * (b + 1)
    >>> e.backward()
    >>> e.data, a.grad, b.grad
    (6.0, 2.0, 5.0)
    """

    __slots__ = ("_data", "grad", "_label", "rule", "children", "local_grads", "scope")
    __array_ufunc__ = None  # numpy scalars on the left defer to our reflected operators

    def __init__(self, data, label="", *micrograd_arguments):
        if micrograd_arguments or not isinstance(label, str):
            raise RefusedType(
                f"Value: got label {shown(label)}; pathgrad's constructor is Value(data, label=\"\") "
                f"with a str label (micrograd's Value(data, children, op) is not accepted: "
                f"make a new op with pathgrad.operation(op, data, children, local_grads))"
            )
        self._data = value_data(data)
        self.grad = 0.0
        self._label = label
        self.rule = None
        self.children = ()
        self.local_grads = ()
        self.scope = _context_now()[0]

    # data and label are checked when set, as in the constructor; read at slot speed.
    data = property(operator.attrgetter("_data"), lambda self, x: setattr(self, "_data", value_data(x)),
                    doc="The number this node holds: a finite float.")
    label = property(operator.attrgetter("_label"), lambda self, x: setattr(self, "_label", value_label(x)),
                     lambda self: _undeletable("label"), doc="The node's name in drawings and explanations: a str.")

    @property
    def op(self):
        """The name of the operation that made this node ("" for a leaf), as in drawings."""
        return "" if self.rule is None else self.rule.op

    # micrograd's names, so code written for micrograd (its draw_dot) runs.
    @property
    def _prev(self):
        return self.children

    @property
    def _op(self):
        return self.op

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def item(self):
        """The data as a plain float, as torch.Tensor.item()."""
        return self.data

    # Comparisons look at data; == and hash stay identity, so Values are dict keys.

    def __lt__(self, other):
        return self.data < data_of(other)

    def __le__(self, other):
        return self.data <= data_of(other)

    def __gt__(self, other):
        return self.data > data_of(other)

    def __ge__(self, other):
        return self.data >= data_of(other)

    # Reverse mode.

    def backward(self, create_graph=False):
        """Fill every grad in this graph with d self / d node (reverse mode).

        One reverse sweep over the topological order applies the chain rule,
        d self/d child += (d node/d child) * (d self/d node), once per edge.
        As in PyTorch, each call recomputes the interior nodes' grads, while
        leaves accumulate across calls until `zero_grad()`.

        With `create_graph=True` every grad is a Value with a graph of its
        own (the rules of `ops.py` evaluated on Values), so it can be
        differentiated again; that sweep, and the one `detect_anomaly()`
        checks, are sweep.py's. Such a grad refers back into this graph,
        which refers to it: the graph lives until those grads are cleared, as
        in PyTorch (set `x.grad = 0.0` or call `zero_grad()`).

        >>> x = Value(3.0); y = x ** 3
        >>> y.backward(); x.grad
        27.0
        >>> y.backward(); x.grad
        54.0
        >>> x = Value(2.0); (x ** 3).backward(create_graph=True)
        >>> dydx = x.grad; x.grad = 0.0; dydx.backward(); (dydx.data, x.grad)
        (12.0, 12.0)
        """
        if create_graph or anomaly.get():
            return backward_with_graph(self, create_graph)
        interior = [node for node in topological_order(self) if node.children]
        for node in interior:  # interior grads are recomputed; leaves accumulate
            node.grad = 0.0
        self.grad = 1.0 if self.children else self.grad + 1.0  # d self / d self
        for node in reversed(interior):  # each node after all of its parents
            upstream = node.grad  # d self / d node, final now
            for child, local in zip(node.children, node.local_grads):
                child.grad += local * upstream  # the chain rule, once per edge

    def _backward(self):
        """This node's own step of the chain rule: child.grad += local grad * self.grad.

        What micrograd's `_backward` closure does, so the lecture's manual
        backprop (`o._backward()`, node by node from the output) runs.

        >>> a = Value(3.0); b = a * 2; b.grad = 1.0; b._backward(); a.grad
        2.0
        """
        upstream = self.grad
        for child, local in zip(self.children, self.local_grads):
            child.grad += local * upstream

    def zero_grad(self):
        """Set the grad of every node in this graph to 0."""
        for node in topological_order(self):
            node.grad = 0.0

    def __reduce__(self):
        """How copy.deepcopy and pickle rebuild this node: its numbers, its row by name, its children.

        An interior node also lists the interior nodes below it, children
        first, so that pickle and deepcopy meet every child already made:
        neither recurses deeper than one node, and a chain of a million
        nodes copies. Loading a pickle runs what it names, so load only
        pickles you made; to share a model, `model.save` writes JSON.

        >>> import pickle; y = Value(2.0, "x") * 3; y.backward()
        >>> z = pickle.loads(pickle.dumps(y)); (z.data, z.op, z.children[0].label, z.children[0].grad)
        (6.0, '*', 'x', 3.0)
        """
        rule = self.rule
        row = None if rule is None else (rule.name, rule.arguments, rule.derivatives is None and rule.op)
        parts = (self.data, self.grad, self.label, self.scope, row, self.children, self.local_grads)
        promised = _promised.ids
        if not self.children or id(self) in promised:
            promised.discard(id(self))
            return (rebuilt, parts)
        below = [node for node in topological_order(self)[:-1] if node.children]
        _promised.ids = {id(node) for node in below}  # each is reduced as one node, once, in this order
        return (rebuilt_after, (below, *parts))


class _Promised(threading.local):
    def __init__(self):
        self.ids = set()


# The interior nodes an outer __reduce__ listed below it, which pickle or
# deepcopy is about to reduce one by one, children first. An id left over (a
# node that was already copied) costs nothing: any node may be reduced alone.
_promised = _Promised()


def rebuilt(data, grad, label, scope, row, children, local_grads):
    """The node `Value.__reduce__` describes, made again (what pickle and deepcopy call).

    `row` is (rule name, its arguments, the op of an `operation()` node or
    False), or None for a leaf. A row added with `add_rule` must be added again
    before loading. What a pickle gives is checked as an operation's operands
    are: Values for children, one real local grad for each.

    >>> rebuilt(6.0, 0.0, "y", "", ("mul", (), False), (Value(2.0), Value(3.0)), (3.0, 2.0)).op
    '*'
    """
    outer = _context_now()
    context.set((scope, True))  # the node records its graph and its scope, as when it was made
    try:
        if row is None:
            node = Value(data, label)
        else:
            rule = ops.rule_named(*row)
            children, local_grads = _loaded_edges(rule.op, children, local_grads)
            node = make_node(data, rule, children, local_grads)
            node.label = label
    finally:
        context.set(outer)
    node.grad = grad
    return node


def rebuilt_after(below, *parts):
    """The node of `parts`, made after the nodes of `below` (which pickle and deepcopy made first)."""
    return rebuilt(*parts)


def _loaded_edges(op, children, local_grads):
    """A loaded node's children and local grads, as make_node takes them, or the refusal naming what is wrong."""
    if not isinstance(children, (tuple, list)) or not all(isinstance(child, Value) for child in children):
        raise RefusedType(f"unpickling a Value: its {op!r} node has children {shown(children)}; they must be Values")
    if not isinstance(local_grads, (tuple, list)) or len(local_grads) != len(children):
        raise RefusedValue(
            f"unpickling a Value: its {op!r} node has {len(children)} children and local grads "
            f"{shown(local_grads)}; it must have one local grad per child"
        )
    return tuple(children), ops.checked_local_grads(f"unpickling a Value: its {op!r} node", local_grads, "has")
