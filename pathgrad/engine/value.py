"""The scalar `Value`: every operation records its local derivatives, and `backward()` multiplies them.

This file is the whole algorithm of reverse-mode automatic differentiation.

1. Forward. Each operation computes its result *and* the local derivative of
   that result with respect to each operand, d out / d child, and stores both
   on the new node: `children` in operand order, `local_grads` beside them.
   For y = a * b the node y holds children (a, b) and local_grads (b, a).
2. Order. `topological_order(root)` lists every node once, children before
   parents, without recursion (a chain of a million nodes needs no stack).
3. Backward. `root.backward()` seeds d root / d root = 1, then walks that
   order from the root down. Each node, once all its parents have passed it
   their share, passes `local * grad` to each child: the chain rule,
   d root/d child += (d node/d child) * (d root/d node), once per edge.

Every operation is one row of the table in `ops.py` (its forward and its
local derivatives, side by side); the end of this file turns each row into
Value's operators and methods. Forward mode, path sums, `explain`, the
stepper and the drawings read the very same recorded numbers, so they never
disagree. `backward(create_graph=True)` and `grad()` differentiate twice; that
variant lives in `autograd.py`, and grad mode and scopes in `mode.py`.

Nodes hold no closures and no references back to their parents, so a graph is
a tree of plain references that reference counting frees at once.

>>> a, b = Value(2.0, "a"), Value(1.0, "b")
>>> e = (a + b) * (b + 1)     # e = 6; de/da = b + 1 = 2, de/db = (b + 1) + (a + b) = 5
>>> e.backward(); (a.grad, b.grad)
(2.0, 5.0)
"""

import operator
from numbers import Real

from . import ops
from .ops import data_of
from .mode import anomaly as _anomaly, context as _context
from .validation import RefusedOverflow, RefusedType, RefusedValue, shown

_context_now = _context.get  # (scope, grad mode): read once per node
_new_node = object.__new__


def _node(data, rule, children, local_grads):
    """Make the node for one operation; every operation ends here."""
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


def _as_float(data):
    """`data` as a finite float, or TypeError / ValueError / OverflowError naming Value."""
    if type(data) is float:  # the usual case, without the slower check against Real
        x = data
    elif not isinstance(data, Real) or isinstance(data, bool):
        raise RefusedType(
            f"Value: data must be a real number (int, float or numpy scalar), "
            f"got {type(data).__name__} {shown(data)}"
        )
    else:
        try:
            x = float(data)
        except OverflowError:
            raise RefusedOverflow(f"Value: got {shown(data)}, too large for a float; {ops.LARGEST}") from None
    if x - x:
        raise RefusedValue(f"Value: got {data!r}; data must be a finite number (no inf or nan)")
    return x


def _as_label(label):
    if not isinstance(label, str):
        raise RefusedType(f"Value: got label {shown(label)} ({type(label).__name__}); a label must be a str")
    return label


def _lift(other):
    """A real number as a constant leaf Value; None for anything else."""
    return Value(other) if type(other) in _PLAIN_NUMBERS or isinstance(other, Real) else None


_PLAIN_NUMBERS = {float, int}


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
        self._data = _as_float(data)
        self.grad = 0.0
        self._label = label
        self.rule = None
        self.children = ()
        self.local_grads = ()
        self.scope = _context_now()[0]

    # data and label are checked when set, as in the constructor; read at slot speed.
    data = property(operator.attrgetter("_data"), lambda self, x: setattr(self, "_data", _as_float(x)),
                    doc="The number this node holds: a finite float.")
    label = property(operator.attrgetter("_label"), lambda self, x: setattr(self, "_label", _as_label(x)),
                     doc="The node's name in drawings and explanations: a str.")

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
        checks, are `autograd.backward_with_graph`. Such a grad refers back
        into this graph, which refers to it: the graph lives until those grads
        are cleared, as in PyTorch (set `x.grad = 0.0` or call `zero_grad()`).

        >>> x = Value(3.0); y = x ** 3
        >>> y.backward(); x.grad
        27.0
        >>> y.backward(); x.grad
        54.0
        >>> x = Value(2.0); (x ** 3).backward(create_graph=True)
        >>> dydx = x.grad; x.grad = 0.0; dydx.backward(); (dydx.data, x.grad)
        (12.0, 12.0)
        """
        if create_graph or _anomaly.get():
            from .autograd import backward_with_graph  # (autograd imports this module)

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

        >>> import pickle; y = Value(2.0, "x") * 3; y.backward()
        >>> z = pickle.loads(pickle.dumps(y)); (z.data, z.op, z.children[0].label, z.children[0].grad)
        (6.0, '*', 'x', 3.0)
        """
        rule = self.rule
        row = None if rule is None else (rule.name, rule.arguments, rule.derivatives is None and rule.op)
        return (rebuilt, (self.data, self.grad, self.label, self.scope, row, self.children, self.local_grads))


def topological_order(root):
    """Every node of root's graph once, children before parents, root last.

    Iterative depth-first search, so a chain of a million nodes needs no
    recursion. Operands are visited in order, so the result is deterministic.

    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> [n.label or n.op for n in topological_order((a + b) * b)]
    ['a', 'b', '+', '*']
    """
    order = []
    seen = {root}
    path = [root]  # the nodes being expanded, each below the one before
    pending = [iter(root.children)]  # for each, the children still to look at
    place, mark = order.append, seen.add  # bound once: this loop runs once per edge
    while path:
        for child in pending[-1]:
            if child not in seen:
                mark(child)
                if not child.children:  # a leaf is placed at once
                    place(child)
                    continue
                path.append(child)
                pending.append(iter(child.children))
                break
        else:  # all its children are placed: the node may follow them
            pending.pop()
            place(path.pop())
    return order


def rebuilt(data, grad, label, scope, row, children, local_grads):
    """The node `Value.__reduce__` describes, made again (what pickle and deepcopy call).

    `row` is (rule name, its arguments, the op of an `operation()` node or
    False), or None for a leaf. A row added with `add_rule` must be added again
    before loading.

    >>> rebuilt(6.0, 0.0, "y", "", ("mul", (), False), (Value(2.0), Value(3.0)), (3.0, 2.0)).op
    '*'
    """
    outer = _context_now()
    _context.set((scope, True))  # the node records its graph and its scope, as when it was made
    try:
        if row is None:
            node = Value(data, label)
        else:
            node = _node(data, _rule_named(*row), tuple(children), tuple(local_grads))
            node.label = label
    finally:
        _context.set(outer)
    node.grad = grad
    return node


def _rule_named(name, arguments, operation_op):
    if operation_op:
        return _user_rule(operation_op)
    for rule in ops.TABLE:
        if rule.name == name:
            return rule.bind(arguments[0]) if arguments else rule
    raise RefusedValue(
        f"unpickling a Value: its op {name!r} is no row of the table; add it with "
        f"pathgrad.add_rule before loading"
    )


# Each row of the table becomes Value's operators and methods, bound here once.

_JUST_VALUES = {Value}
_DUNDERS = {"+": "add", "-": "sub", "*": "mul", "/": "truediv", "**": "pow"}


def _unary(rule):
    forward, derivatives = rule.forward, rule.derivatives

    def method(self):
        x = self.data
        y = forward(x)
        return _node(y, rule, (self,), derivatives(x, y))

    return method


def _parametric(rule):
    """A method taking the rule's parameter after the operand, as x.leaky_relu(0.2)."""
    forward, derivatives = rule.forward, rule.derivatives

    def method(self, parameter=rule.example[-1]):
        bound = rule.bind(parameter)
        p = bound.arguments[0]
        x = self.data
        y = forward(x, p)
        return _node(y, bound, (self,), derivatives(x, y, p))

    return method


def _binary(rule):
    """The operator and its reflected form (2 * a calls a.__rmul__(2))."""
    forward, derivatives = rule.forward, rule.derivatives

    def method(self, other):
        if not isinstance(other, Value):
            other = _lift(other)
            if other is None:
                return NotImplemented
        a, b = self.data, other.data
        y = forward(a, b)
        return _node(y, rule, (self, other), derivatives(a, b, y))

    def reflected(self, other):
        other = _lift(other)
        if other is None:
            return NotImplemented
        a, b = other.data, self.data
        y = forward(a, b)
        return _node(y, rule, (other, self), derivatives(a, b, y))

    return method, reflected


def _values(op, items):
    """Each item as a Value (numbers become constant leaves), or TypeError naming `op`."""
    values = tuple(items)
    if set(map(type, values)) <= _JUST_VALUES:  # the usual case, checked at C speed
        return values
    values = list(values)
    for i, item in enumerate(values):
        if not isinstance(item, Value):
            values[i] = _lift(item)
            if values[i] is None:
                raise RefusedType(
                    f"{op}: got {type(item).__name__} {item!r}; expected Values or real numbers"
                )
    return tuple(values)


def _function(rule):
    """A module function over Values or numbers: maximum(a, 2), or sum([a, b, 3]) for any arity."""
    forward, derivatives = rule.forward, rule.derivatives

    def function(*operands):
        if rule.arity and len(operands) != rule.arity:
            raise RefusedType(f"{rule.name}: got {len(operands)} operands; it takes {rule.arity}")
        if rule.arity:
            children = _values(rule.name, operands)
            inputs = [child.data for child in children]
            y = forward(*inputs)
            return _node(y, rule, children, derivatives(*inputs, y))
        children = _values(rule.name, operands[0])
        inputs = [child.data for child in children]
        y = forward(inputs)
        return _node(y, rule, children, derivatives(inputs, y))

    function.__name__ = rule.name
    return function


def _power_operator(self, exponent):
    """x ** k: one `**k` node for a number k, one `**` node for a Value k."""
    if isinstance(exponent, Value):
        return _pow(self, exponent)
    if not isinstance(exponent, Real):
        return NotImplemented
    rule = ops.POWER.bind(exponent)
    k = rule.arguments[0]
    x = self.data
    y = ops.POWER.forward(x, k)
    return _node(y, rule, (self,), ops.POWER.derivatives(x, y, k))


def add_rule(rule):
    """Add a row to the table and bind it onto Value: a new op, checked by the table's test.

    A unary rule becomes a method (x.name()), a binary rule with a symbol the
    operators, any other rule a function, which is returned. A row you add is
    checked each time it runs: its forward must give a real number, its
    derivative one local grad per operand, or the op is refused by name.

    >>> cube = add_rule(Rule("cube", lambda x: x ** 3, lambda x, y: (3 * x * x,), "3x²", (1.5,)))
    >>> y = Value(2.0).cube(); y.backward(create_graph=True); (y.data, y.op)
    (8.0, 'cube')
    >>> del Value.cube; ops.TABLE.remove(ops.TABLE[-1])
    """
    if not isinstance(rule, ops.Rule):
        raise RefusedType(f"add_rule: got {type(rule).__name__} {rule!r}; expected a pathgrad Rule")
    if rule not in ops.TABLE:
        rule.forward, rule.derivatives = _checked(rule, rule.forward, rule.derivatives)
        ops.TABLE.append(rule)
    rule.function = _bind(rule)
    return rule.function


def _checked(rule, forward, derivatives):
    """A user's row's forward and derivatives, refusing a result that is no real number or the wrong count."""

    def checked_forward(*inputs):
        y = forward(*inputs)
        if type(y) is float:
            return y
        if not isinstance(y, Real) or isinstance(y, bool):
            raise RefusedType(f"{rule.name}: its forward gave {type(y).__name__} {shown(y)}; it must give a real number")
        try:
            return float(y)
        except OverflowError:
            raise RefusedOverflow(f"{rule.name}: its forward gave {shown(y)}, too large for a float; {ops.LARGEST}") from None

    def checked_derivatives(*inputs):
        local_grads = derivatives(*inputs)
        operands = rule.arity or len(inputs[0])
        if not isinstance(local_grads, tuple) or len(local_grads) != operands:
            raise RefusedValue(
                f"{rule.name}: its derivative gave {shown(local_grads)}; it must give a tuple of "
                f"{operands} local grad{'s' if operands != 1 else ''}, one per operand"
            )
        return local_grads

    return checked_forward, checked_derivatives if derivatives else None


def _bind(rule):
    """Put the row on Value (operators, a method) or make its function; return what was bound."""
    if rule.symbol and rule.arity == 2:
        method, reflected = _binary(rule)
        name = _DUNDERS[rule.symbol]
        if rule.symbol == "**":  # a number exponent is the POWER row
            setattr(Value, "__rpow__", reflected)
            return method
        setattr(Value, f"__{name}__", method)
        setattr(Value, f"__r{name}__", reflected)
        return method
    if rule.symbol == "**":
        Value.__pow__ = _power_operator
        return _power_operator
    if rule.symbol == "-":
        Value.__neg__ = _unary(rule)
        return Value.__neg__
    if rule.arity == 1:
        method = _parametric(rule) if rule.parameter else _unary(rule)
        method.__name__ = rule.name
        method.__qualname__ = f"Value.{rule.name}"  # so pickle finds it, as a Neuron's activation
        method.__doc__ = f"{rule.name}(x); d/dx = {rule.formula}."
        setattr(Value, rule.name, method)
        return method
    function = _function(rule)
    function.__doc__ = f"{rule.name} as one node; local derivatives {rule.formula}."
    if rule.arity == 2:
        setattr(Value, rule.name, function)
    return function


for _rule in ops.TABLE:
    add_rule(_rule)
Value.__abs__ = Value.abs
Rule = ops.Rule
_pow = ops.POW.function
_weighted_sum = ops.WEIGHTED_SUM.function
maximum = ops.MAXIMUM.function
maximum.__doc__ = """max(a, b), differentiable: d/da = 1 if a >= b else 0, d/db = 1 if b > a else 0.

    Lecture 001's rule, with ties sent to the first operand so that exactly one
    edge carries the gradient (PyTorch splits a tie's gradient in half instead).

    >>> m = maximum(Value(3.0), 2.0); m.backward(); m.local_grads
    (1.0, 0.0)
    """
minimum = ops.MINIMUM.function
minimum.__doc__ = """min(a, b), differentiable: d/da = 1 if a <= b else 0, d/db = 1 if b < a else 0.

    >>> minimum(Value(3.0), 2.0).local_grads
    (0.0, 1.0)
    """
sum = ops.SUM.function
sum.__doc__ = """v1 + v2 + ... + vn as one node; d/dvi = 1 for every i.

    The value is the left-to-right float sum from 0, the same bits as Python's
    built-in sum over the data (up to 3.11).

    >>> s = sum([Value(1.0), Value(2.0), 3]); s.data, s.local_grads
    (6.0, (1.0, 1.0, 1.0))
    """


def weighted_sum(weights, inputs, bias=0.0):
    """b + w1 x1 + ... + wn xn as one node (a neuron's pre-activation).

    Children are (w1, x1, ..., wn, xn, b) with local grads (x1, w1, ..., xn, wn, 1):
    d/dwi = xi and d/dxi = wi. The value is summed left to right from b, the same
    bits as micrograd's `sum((wi*xi for ...), b)`.

    >>> y = weighted_sum([2.0, 3.0], [Value(1.0), Value(-1.0)], 0.5); y.data
    -0.5
    """
    weights, inputs = list(weights), list(inputs)
    if len(weights) != len(inputs):
        raise RefusedValue(
            f"weighted_sum: got {len(weights)} weights and {len(inputs)} inputs; "
            f"they must have the same length"
        )
    children = [bias] * (2 * len(weights) + 1)
    children[0:-1:2] = weights
    children[1:-1:2] = inputs
    return _weighted_sum(children)


def operation(op, data, children, local_grads):
    """A new node from your own operation: its value, operands and local derivatives.

    This is how every built-in operation ends, so a learner can add one and
    check it with `gradcheck`. `local_grads[i]` is d out / d children[i] at the
    current data. (To differentiate it twice, give it a row: `add_rule`.)

    >>> def cube(x):
    ...     return operation("cube", x.data ** 3, (x,), (3 * x.data ** 2,))
    >>> x = Value(2.0); y = cube(x); y.backward(); (y.data, x.grad)
    (8.0, 12.0)
    """
    if not isinstance(op, str) or not op:
        raise RefusedType(f"operation: got op {op!r}; op must be a non-empty name such as 'cube'")
    children = _values(op, children)
    local_grads = tuple(_as_local(op, g) for g in local_grads)
    if len(children) != len(local_grads):
        raise RefusedValue(
            f"{op}: got {len(children)} children and {len(local_grads)} local grads; "
            f"give one local derivative per child"
        )
    if not isinstance(data, Real):
        raise RefusedType(f"{op}: got data {data!r}; data must be a real number")
    data = float(data)
    if data - data:
        raise RefusedValue(f"{op}: got data {data!r}; data must be a finite number")
    return _node(data, _user_rule(op), children, local_grads)


def _as_local(op, grad):
    if not isinstance(grad, Real):
        raise RefusedType(f"{op}: got local grad {grad!r}; each local grad must be a real number")
    grad = float(grad)
    if grad - grad:
        raise RefusedValue(f"{op}: got local grad {grad!r}; each local grad must be a finite number")
    return grad


_user_rules = {}


def _user_rule(op):
    """The row-less rule of an operation() node: a name, and no derivative rules."""
    if op not in _user_rules:
        _user_rules[op] = ops.Rule(op, None, None, "given by operation()", (), arity=None)
    return _user_rules[op]
