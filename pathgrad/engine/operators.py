"""The table's rows as Value's operators, methods and pathgrad's functions, and operation() for ops of your own.

What every op does is `apply(rule, operands)`: read the operands' data,
evaluate the row (its result and its local derivatives), and record both on
a new node. How a row is called follows from the row itself:

    a row with a symbol and two operands    a * b, and 2 * a (reflected)
    ** with a number exponent               x ** 3: the row bound to k = 3
    - with one operand                      -x
    one operand                             x.tanh(), x.leaky_relu(0.2)
    any other                               maximum(a, b), sum(values), weighted_sum(w, x, b)

Each way is apply written out for the row's calling convention, with the
row's own forward and derivatives taken when it is bound: every node of a
forward pass runs them with no frame in between, so reading the table costs
nothing. Only a row bound to a parameter (x.leaky_relu(0.2)) calls apply
itself. `add_rule` binds a row of yours the same way, checking what its
functions give; `operation()` makes a node with no row, from numbers you give.

>>> from pathgrad import Value
>>> a = Value(2.0)
>>> apply(ops.MUL, (a, Value(3.0))).local_grads == (a * 3).local_grads
True
"""
import keyword
import warnings
from numbers import Real

from . import ops, value
from .validation import RefusedOverflow, RefusedType, RefusedValue, shown

_DUNDERS = {"+": "add", "-": "sub", "*": "mul", "/": "truediv", "**": "pow"}


def apply(rule, operands):
    """rule's node on `operands`, a tuple of Values: the row evaluated at their data, recorded on the edges.

    >>> from pathgrad import Value
    >>> y = apply(ops.POWER.bind(2), (Value(3.0),)); (y.op, y.data, y.local_grads)
    ('**2', 9.0, (6.0,))
    """
    output, local_grads = rule.evaluate([operand.data for operand in operands])
    return value.make_node(output, rule, operands, local_grads)


def constant(x):
    """A real number as a constant leaf Value, or None for anything else: how operands are lifted.

    >>> constant(2).data, constant("2")
    (2.0, None)
    """
    return value.Value(x) if type(x) in _PLAIN_NUMBERS or isinstance(x, Real) else None


_PLAIN_NUMBERS = {float, int}


def operands(op, items):
    """Each item as a Value (numbers become constant leaves), or TypeError naming `op`.

    >>> from pathgrad import Value
    >>> [x.data for x in operands("maximum", [Value(1.0), 2])]
    [1.0, 2.0]
    """
    values = tuple(items)
    if set(map(type, values)) <= {value.Value}:  # the usual case, checked at C speed
        return values
    values = list(values)
    for i, item in enumerate(values):
        if not isinstance(item, value.Value):
            values[i] = constant(item)
            if values[i] is None:
                raise RefusedType(f"{op}: got {type(item).__name__} {item!r}; expected Values or real numbers")
    return tuple(values)


def _operator(rule):
    """a ∘ b and its reflected form (2 * a calls a.__rmul__(2)): apply, for two operands."""
    forward, derivatives = rule.forward, rule.derivatives

    def method(self, other):
        if not isinstance(other, value.Value):
            other = constant(other)
            if other is None:
                return NotImplemented
        a, b = self.data, other.data
        y = forward(a, b)
        return value.make_node(y, rule, (self, other), derivatives(a, b, y))

    def reflected(self, other):
        other = constant(other)
        if other is None:
            return NotImplemented
        a, b = other.data, self.data
        y = forward(a, b)
        return value.make_node(y, rule, (other, self), derivatives(a, b, y))

    return method, reflected


def _method(rule):
    """x.name() for a one-operand row: apply, for one operand; a row with a parameter takes it after."""
    forward, derivatives = rule.forward, rule.derivatives

    def method(self):
        x = self.data
        y = forward(x)
        return value.make_node(y, rule, (self,), derivatives(x, y))

    def with_parameter(self, parameter=rule.example[-1]):
        return apply(rule.bind(parameter), (self,))

    chosen = with_parameter if rule.parameter else method
    chosen.__name__ = "__neg__" if rule.symbol == "-" else rule.name
    chosen.__module__, chosen.__qualname__ = value.__name__, f"Value.{chosen.__name__}"  # so pickle finds it
    chosen.__doc__ = f"{rule.name}(x); d/dx = {rule.formula}."
    return chosen


def _function(rule):
    """A function over Values or numbers: maximum(a, 2), or sum([a, b, 3]) for any number of operands."""
    forward, derivatives, name, arity = rule.forward, rule.derivatives, rule.name, rule.arity

    if arity is None:  # one sequence of operands: forward(inputs), derivatives(inputs, y)

        def function(*items):
            try:
                (sequence,) = items
            except ValueError:
                raise RefusedType(f"{name}: got {len(items)} arguments; it takes one sequence of operands") from None
            children = operands(name, sequence)
            inputs = [child.data for child in children]
            y = forward(inputs)
            return value.make_node(y, rule, children, derivatives(inputs, y))

    else:

        def function(*items):
            if len(items) != arity:
                raise RefusedType(f"{name}: got {len(items)} operands; it takes {arity}")
            children = operands(name, items)
            inputs = [child.data for child in children]
            y = forward(*inputs)
            return value.make_node(y, rule, children, derivatives(*inputs, y))

    function.__name__ = name
    function.__doc__ = f"{name} as one node; local derivatives {rule.formula}."
    return function


def power(self, exponent, modulus=None):
    """x ** k: one `**k` node (the row bound to k) for a number k, one `**` node for a Value k.

    pow(x, k, m) has no meaning for real numbers: Python refuses it, as for floats.

    >>> from pathgrad import Value
    >>> x = Value(3.0); (x ** 2).op, (x ** Value(2.0)).op
    ('**2', '**')
    """
    if modulus is not None:
        return NotImplemented
    if isinstance(exponent, value.Value):
        return _pow(self, exponent)
    if not isinstance(exponent, Real):
        return NotImplemented
    rule = ops.POWER.bind(exponent)
    x, k = self.data, rule.arguments[0]
    y = _power_forward(x, k)
    return value.make_node(y, rule, (self,), _power_derivatives(x, y, k))


_power_forward, _power_derivatives = ops.POWER.forward, ops.POWER.derivatives


def _without_modulus(reflected):
    """k ** x, refusing pow(k, x, m) as Python does for floats."""

    def __rpow__(self, other, modulus=None):
        return NotImplemented if modulus is not None else reflected(self, other)

    return __rpow__


def bind(rule):
    """Put the row on Value the way it is called (see above), or make its function; return what was bound."""
    Value = value.Value
    if rule.symbol and rule.arity == 2:
        method, reflected = _operator(rule)
        name = _DUNDERS[rule.symbol]
        if rule.symbol == "**":  # x ** k is `power`, which sends a Value k here
            Value.__rpow__ = _without_modulus(reflected)
            return method
        setattr(Value, f"__{name}__", method)
        setattr(Value, f"__r{name}__", reflected)
        return method
    if rule.symbol == "**":
        Value.__pow__ = power
        return power
    if rule.arity == 1:
        method = _method(rule)
        setattr(Value, method.__name__, method)
        return method
    function = _function(rule)
    if rule.arity == 2:
        setattr(Value, rule.name, function)
    return function


def operation(op, data, children, local_grads):
    """A new node from your own operation: its value, operands and local derivatives.

    This is how every built-in operation ends, so a learner can add one and
    check it with `gradcheck`. `local_grads[i]` is d out / d children[i] at the
    current data. (To differentiate it twice, give it a row: `add_rule`.)

    >>> def cube(x):
    ...     return operation("cube", x.data ** 3, (x,), (3 * x.data ** 2,))
    >>> from pathgrad import Value
    >>> x = Value(2.0); y = cube(x); y.backward(); (y.data, x.grad)
    (8.0, 12.0)
    """
    if not isinstance(op, str) or not op:
        raise RefusedType(f"operation: got op {op!r}; op must be a non-empty name such as 'cube'")
    children = operands(op, children)
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
    return value.make_node(data, ops.user_rule(op), children, local_grads)


def _as_local(op, grad):
    if not isinstance(grad, Real):
        raise RefusedType(f"{op}: got local grad {grad!r}; each local grad must be a real number")
    grad = float(grad)
    if grad - grad:
        raise RefusedValue(f"{op}: got local grad {grad!r}; each local grad must be a finite number")
    return grad


def add_rule(rule):
    """Add a row to the table and bind it onto Value: a new op, checked by the table's test.

    A unary rule becomes a method (x.name()), any other rule a function,
    which is returned (a binary one is also a method, a.name(b)). A row you
    add is checked each time it runs: its forward must give a real number,
    its derivative one local grad per operand, each a real number and not
    nan, or the op is refused by name.

    A name finds exactly one row, which is how pickle and deepcopy find a
    node's row again: adding a row under the name of one you added before
    replaces it, with a warning (as re-running a notebook cell does); the
    names of built-in rows and of Value's own attributes are refused, and so
    is a symbol (Value's operators are the built-in rows').

    >>> from pathgrad import Value
    >>> cube = add_rule(ops.Rule("cube", lambda x: x ** 3, lambda x, y: (3 * x * x,), "3x²", (1.5,)))
    >>> y = Value(2.0).cube(); y.backward(create_graph=True); (y.data, y.op)
    (8.0, 'cube')
    >>> del Value.cube; ops.TABLE.remove(ops.TABLE[-1])
    """
    if not isinstance(rule, ops.Rule):
        raise RefusedType(f"add_rule: got {type(rule).__name__} {rule!r}; expected a pathgrad Rule")
    if rule in ops.TABLE:
        rule.function = bind(rule)
        return rule.function
    _check_name(rule)
    earlier = [i for i, row in enumerate(ops.TABLE) if row.name == rule.name]
    rule.forward, rule.derivatives = _checked(rule, rule.forward, rule.derivatives)
    if earlier:
        warnings.warn(
            f"add_rule: replacing the row {rule.name!r} added before; nodes made by the old row keep "
            f"their numbers, and their copies and second derivatives use the new row",
            UserWarning, stacklevel=2,
        )
        _unbind(ops.TABLE[earlier[0]])
        ops.TABLE[earlier[0]] = rule
    else:
        ops.TABLE.append(rule)
    rule.function = bind(rule)
    return rule.function


def _check_name(rule):
    """Refuse a row whose name or symbol would not find exactly this row, or would break Value."""
    name = rule.name
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
        raise RefusedValue(
            f"add_rule: got name {name!r}; a row's name must be a Python name such as 'cube', not starting with _"
        )
    if name in BUILT_IN:
        raise RefusedValue(f"add_rule: {name!r} is a built-in row of pathgrad; give your row another name")
    if hasattr(value.Value, name) and not any(row.name == name for row in ops.TABLE):
        raise RefusedValue(f"add_rule: {name!r} is an attribute of Value (Value.{name}); give your row another name")
    if rule.symbol is not None:
        raise RefusedValue(
            f"add_rule: {name!r} has symbol {rule.symbol!r}; Value's operators are the built-in rows', "
            f"so a row you add takes none (call it as x.{name}() or pathgrad's function)"
        )


def _unbind(rule):
    """Take a replaced row's method off Value."""
    if rule.function is not None and vars(value.Value).get(rule.name) is rule.function:
        delattr(value.Value, rule.name)


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
        output = inputs[rule.arity or 1]
        if isinstance(output, value.Value):  # create_graph: the local grads are graphs
            return local_grads
        return ops.checked_local_grads(rule.name, local_grads)

    return checked_forward, checked_derivatives if derivatives else None


BUILT_IN = frozenset(row.name for row in ops.TABLE)  # names add_rule refuses
for _row in ops.TABLE:
    _row.function = bind(_row)
value.Value.__abs__ = value.Value.abs
_pow = ops.POW.function
_weighted_sum = ops.WEIGHTED_SUM.function
maximum = ops.MAXIMUM.function
maximum.__doc__ = """max(a, b), differentiable: d/da = 1 if a >= b else 0, d/db = 1 if b > a else 0.

    Lecture 001's rule, with ties sent to the first operand so that exactly one
    edge carries the gradient (PyTorch splits a tie's gradient in half instead).

    >>> from pathgrad import Value
    >>> m = maximum(Value(3.0), 2.0); m.backward(); m.local_grads
    (1.0, 0.0)
    """
minimum = ops.MINIMUM.function
minimum.__doc__ = """min(a, b), differentiable: d/da = 1 if a <= b else 0, d/db = 1 if b < a else 0.

    >>> from pathgrad import Value
    >>> minimum(Value(3.0), 2.0).local_grads
    (0.0, 1.0)
    """
sum = ops.SUM.function
sum.__doc__ = """v1 + v2 + ... + vn as one node; d/dvi = 1 for every i.

    The value is the left-to-right float sum from 0, the same bits as Python's
    built-in sum over the data (up to 3.11).

    >>> from pathgrad import Value
    >>> s = sum([Value(1.0), Value(2.0), 3]); s.data, s.local_grads
    (6.0, (1.0, 1.0, 1.0))
    """


def weighted_sum(weights, inputs, bias=0.0):
    """b + w1 x1 + ... + wn xn as one node (a neuron's pre-activation).

    Children are (w1, x1, ..., wn, xn, b) with local grads (x1, w1, ..., xn, wn, 1):
    d/dwi = xi and d/dxi = wi. The value is summed left to right from b, the same
    bits as micrograd's `sum((wi*xi for ...), b)`.

    >>> from pathgrad import Value
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
