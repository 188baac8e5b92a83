"""The scalar `Value` and every operation that builds a computational graph.

Each operation computes its result *and* the local derivative of that result
with respect to each operand, d out / d child, and stores both on the new
node: `children` in operand order and `local_grads` beside them. Those numbers
are the one source of truth for every derivative in pathgrad. `backward()`
multiplies them along the graph from the root down (the chain rule,
factorized); forward mode, path sums, `explain`, the stepper and the drawings
read the very same numbers, so they can never disagree.

Nodes hold no closures and no references back to their parents, so a graph is
a tree of plain references that reference counting frees at once: no cycles
for the garbage collector to chase.
"""

import contextlib
import os as _os
import contextvars
import math
from numbers import Real

from .graph import topological_order

_recording = True  # False inside `no_grad()`: results record no children.

# The dotted name of the innermost `scope()` block; "" outside every scope.
# A context variable, so each thread and each asyncio task has its own.
_scope = contextvars.ContextVar("pathgrad_scope", default="")
_current_scope = _scope.get


def _result(data, op, children, local_grads):
    """Make the node for one operation; every operation ends here."""
    out = _new_node(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.scope = _current_scope()
    if _recording:
        out.op = op
        out.children = children
        out.local_grads = local_grads
    else:
        out.op = ""
        out.children = ()
        out.local_grads = ()
    return out


_new_node = object.__new__
_ONE_ONE = (1.0, 1.0)  # d(a+b)/da, d(a+b)/db
_ONE_MINUS_ONE = (1.0, -1.0)  # d(a-b)/da, d(a-b)/db
_MINUS_ONE = (-1.0,)  # d(-a)/da


def _as_float(data):
    """`data` as a float, or TypeError naming its type."""
    if isinstance(data, Real):
        return float(data)
    raise TypeError(
        f"Value: data must be a real number (int, float or numpy scalar), "
        f"got {type(data).__name__} {data!r}"
    )


def _constant(other):
    """A real number as a constant leaf Value; None for anything else."""
    return Value(other) if isinstance(other, Real) else None


def _power(op, x, k):
    """x ** k for floats, refused where the real power is undefined."""
    if x < 0 and not float(k).is_integer():
        raise ValueError(
            f"{op}: got base {x!r} with exponent {k!r}; a negative base needs an "
            f"integer exponent (the result would be complex)"
        )
    if x == 0 and k < 0:
        raise ZeroDivisionError(
            f"{op}: got 0 ** {k!r}; zero has no negative powers, use a nonzero base"
        )
    try:
        return x**k
    except OverflowError:
        raise OverflowError(
            f"{op}: {x!r} ** {k!r} overflows a float; keep |result| below 1.8e308"
        ) from None


def _power_slope(x, k):
    """d(x**k)/dx = k x^(k-1); at x = 0 it is inf for 0 < k < 1, as in PyTorch."""
    if k == 0:
        return 0.0
    if x == 0 and k < 1:
        return math.inf
    try:
        return k * x ** (k - 1)
    except OverflowError:  # |k x^(k-1)| is beyond a float: keep its sign
        negative_power = x < 0 and (k - 1) % 2 == 1
        return math.copysign(math.inf, -k if negative_power else k)


def _subtract(a, b):
    return _result(a.data - b.data, "-", (a, b), _ONE_MINUS_ONE)


def _divide(a, b):
    if b.data == 0:
        raise ZeroDivisionError(
            f"/: got divisor {b.data!r} in {a.data!r} / {b.data!r}; the divisor must be nonzero"
        )
    y = a.data / b.data
    return _result(y, "/", (a, b), (1.0 / b.data, -y / b.data))  # 1/b, -a/b^2


def _raise(base, exponent):
    """base ** exponent with both Values: d/dbase = y x^(y-1), d/dexponent = x^y ln x."""
    x, k = base.data, exponent.data
    y = _power("**", x, k)
    if x > 0:
        d_exponent = y * math.log(x)
    elif x == 0 and k > 0:
        d_exponent = 0.0  # x^k ln x -> 0 as x -> 0+
    else:
        raise ValueError(
            f"**: got base {x!r} with a Value exponent; d(x**y)/dy = x**y ln x needs "
            f"x > 0 (or x = 0 with y > 0), use a number exponent for other bases"
        )
    return _result(y, "**", (base, exponent), (_power_slope(x, k), d_exponent))


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

    __slots__ = ("data", "grad", "label", "op", "children", "local_grads", "scope")
    __array_ufunc__ = None  # numpy scalars on the left defer to our reflected operators

    def __init__(self, data, label=""):
        self.data = _as_float(data)
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.children = ()
        self.local_grads = ()
        self.scope = _current_scope()

    # micrograd's names, so code written for micrograd (its draw_dot) runs.
    @property
    def _prev(self):
        return self.children

    @property
    def _op(self):
        return self.op

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    def item(self):
        """The data as a plain float, as torch.Tensor.item()."""
        return self.data

    # Arithmetic: out = ... on one line, its local derivatives on the same line.

    def __add__(self, other):
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _result(self.data + other.data, "+", (self, other), _ONE_ONE)

    def __radd__(self, other):
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _result(other.data + self.data, "+", (other, self), _ONE_ONE)

    def __sub__(self, other):
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _subtract(self, other)

    def __rsub__(self, other):
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _subtract(other, self)

    def __mul__(self, other):
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _result(self.data * other.data, "*", (self, other), (other.data, self.data))

    def __rmul__(self, other):
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _result(other.data * self.data, "*", (other, self), (self.data, other.data))

    def __truediv__(self, other):
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _divide(self, other)

    def __rtruediv__(self, other):
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _divide(other, self)

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            return _raise(self, exponent)
        if not isinstance(exponent, Real):
            return NotImplemented
        k = float(exponent)
        y = _power(f"**{exponent:g}", self.data, k)
        return _result(y, f"**{exponent:g}", (self,), (_power_slope(self.data, k),))

    def __rpow__(self, base):
        base = base if isinstance(base, Value) else _constant(base)
        if base is None:
            return NotImplemented
        return _raise(base, self)

    def __neg__(self):
        return _result(-self.data, "neg", (self,), _MINUS_ONE)

    # Functions: d out / d x written next to out.

    def exp(self):
        """e^x; d/dx = e^x."""
        try:
            y = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp: got x = {self.data!r}; exp(x) overflows a float for x > 709.78"
            ) from None
        return _result(y, "exp", (self,), (y,))

    def log(self):
        """Natural log; d/dx = 1/x."""
        x = self.data
        if not x > 0:
            raise ValueError(f"log: got x = {x!r}; log is defined only for x > 0")
        return _result(math.log(x), "log", (self,), (1.0 / x,))

    def sqrt(self):
        """Square root; d/dx = 1 / (2 sqrt x), inf at 0 as in PyTorch."""
        x = self.data
        if not x >= 0:
            raise ValueError(f"sqrt: got x = {x!r}; sqrt is defined only for x >= 0")
        y = math.sqrt(x)
        return _result(y, "sqrt", (self,), (0.5 / y if y else math.inf,))

    def tanh(self):
        """tanh x; d/dx = 1 - tanh^2 x."""
        t = math.tanh(self.data)
        return _result(t, "tanh", (self,), (1.0 - t * t,))

    def sigmoid(self):
        """S(x) = 1 / (1 + e^-x), computed without overflow; d/dx = S(1 - S)."""
        s = _sigmoid(self.data)
        return _result(s, "sigmoid", (self,), (s * (1.0 - s),))

    def relu(self):
        """max(0, x); d/dx = 1 for x > 0, else 0 (0 at 0, as in PyTorch)."""
        x = self.data
        return _result(x if x > 0 else 0.0, "relu", (self,), (1.0 if x > 0 else 0.0,))

    def leaky_relu(self, slope=0.01):
        """x for x > 0, else slope * x; d/dx = 1 or slope."""
        x = self.data
        return _result(
            x if x > 0 else slope * x, "leaky_relu", (self,), (1.0 if x > 0 else float(slope),)
        )

    def gelu(self):
        """x Phi(x) with Phi the normal CDF (PyTorch's exact form); d/dx = Phi(x) + x phi(x)."""
        x = self.data
        cdf = 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))
        pdf = math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
        return _result(x * cdf, "gelu", (self,), (cdf + x * pdf,))

    def softplus(self):
        """log(1 + e^x) = max(x, 0) + log1p(e^-|x|), without overflow; d/dx = S(x)."""
        x = self.data
        y = max(x, 0.0) + math.log1p(math.exp(-abs(x)))
        return _result(y, "softplus", (self,), (_sigmoid(x),))

    def sin(self):
        """sin x; d/dx = cos x."""
        return _result(math.sin(self.data), "sin", (self,), (math.cos(self.data),))

    def cos(self):
        """cos x; d/dx = -sin x."""
        return _result(math.cos(self.data), "cos", (self,), (-math.sin(self.data),))

    def abs(self):
        """|x|; d/dx = sign x (0 at 0, as in PyTorch)."""
        x = self.data
        return _result(abs(x), "abs", (self,), (1.0 if x > 0 else (-1.0 if x < 0 else 0.0),))

    __abs__ = abs

    def maximum(self, other):
        """max(self, other); see `maximum`."""
        return maximum(self, other)

    def minimum(self, other):
        """min(self, other); see `minimum`."""
        return minimum(self, other)

    # Comparisons look at data; == and hash stay identity, so Values are dict keys.

    def __lt__(self, other):
        return self.data < _data_of(other)

    def __le__(self, other):
        return self.data <= _data_of(other)

    def __gt__(self, other):
        return self.data > _data_of(other)

    def __ge__(self, other):
        return self.data >= _data_of(other)

    # Reverse mode.

    def backward(self):
        """Fill every grad in this graph with d self / d node (reverse mode).

        One reverse sweep over the topological order applies the chain rule,
        d self/d child += (d node/d child) * (d self/d node), once per edge.
        As in PyTorch, each call recomputes the interior nodes' grads, while
        leaves accumulate across calls until `zero_grad()`.

        >>> x = Value(3.0); y = x ** 3
        >>> y.backward(); x.grad
        27.0
        >>> y.backward(); x.grad
        54.0
        """
        interior = [node for node in topological_order(self) if node.children]
        for node in interior:
            node.grad = 0.0
        self.grad = 1.0 if self.children else self.grad + 1.0
        for node in reversed(interior):
            upstream = node.grad
            for child, local in zip(node.children, node.local_grads):
                child.grad += local * upstream

    def zero_grad(self):
        """Set the grad of every node in this graph to 0."""
        for node in topological_order(self):
            node.grad = 0.0


def _data_of(x):
    return x.data if isinstance(x, Value) else x


def _sigmoid(x):
    """1 / (1 + e^-x) without overflow for any finite x."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _values(op, items):
    """Each item as a Value (numbers become constant leaves), or TypeError naming `op`."""
    values = list(items)
    for i, item in enumerate(values):
        if not isinstance(item, Value):
            values[i] = _constant(item)
            if values[i] is None:
                raise TypeError(
                    f"{op}: got {type(item).__name__} {item!r}; expected Values or real numbers"
                )
    return values


def maximum(a, b):
    """max(a, b), differentiable: d/da = 1 if a >= b else 0, d/db = 1 if b > a else 0.

    Lecture 001's rule, with ties sent to the first operand so that exactly one
    edge carries the gradient.

    >>> m = maximum(Value(3.0), 2.0); m.backward(); m.local_grads
    (1.0, 0.0)
    """
    a, b = _values("maximum", (a, b))
    first = a.data >= b.data
    return _result(a.data if first else b.data, "max", (a, b), (1.0, 0.0) if first else (0.0, 1.0))


def minimum(a, b):
    """min(a, b), differentiable: d/da = 1 if a <= b else 0, d/db = 1 if b < a else 0.

    >>> minimum(Value(3.0), 2.0).local_grads
    (0.0, 1.0)
    """
    a, b = _values("minimum", (a, b))
    first = a.data <= b.data
    return _result(a.data if first else b.data, "min", (a, b), (1.0, 0.0) if first else (0.0, 1.0))


def sum(values):
    """v1 + v2 + ... + vn as one node; d/dvi = 1 for every i.

    The value is the left-to-right float sum from 0, the same bits as Python's
    built-in sum over the data.

    >>> s = sum([Value(1.0), Value(2.0), 3]); s.data, s.local_grads
    (6.0, (1.0, 1.0, 1.0))
    """
    children = tuple(_values("sum", values))
    total = 0.0
    for child in children:
        total += child.data
    return _result(total, "sum", children, (1.0,) * len(children))


def weighted_sum(weights, inputs, bias=0.0):
    """b + w1 x1 + ... + wn xn as one node (a neuron's pre-activation).

    Children are (w1, x1, ..., wn, xn, b) with local grads (x1, w1, ..., xn, wn, 1):
    d/dwi = xi and d/dxi = wi. The value is summed left to right from b, the same
    bits as micrograd's `sum((wi*xi for ...), b)`.

    >>> y = weighted_sum([2.0, 3.0], [Value(1.0), Value(-1.0)], 0.5); y.data
    -0.5
    """
    weights = _values("weighted_sum", weights)
    inputs = _values("weighted_sum", inputs)
    if len(weights) != len(inputs):
        raise ValueError(
            f"weighted_sum: got {len(weights)} weights and {len(inputs)} inputs; "
            f"they must have the same length"
        )
    (bias,) = _values("weighted_sum", (bias,))
    total = bias.data
    children = []
    local_grads = []
    for w, x in zip(weights, inputs):
        total += w.data * x.data
        children += (w, x)
        local_grads += (x.data, w.data)
    children.append(bias)
    local_grads.append(1.0)
    return _result(total, "wsum", tuple(children), tuple(local_grads))


def operation(op, data, children, local_grads):
    """A new node from your own operation: its value, operands and local derivatives.

    This is how every built-in operation is made, so a learner can add one and
    check it with `gradcheck`. `local_grads[i]` is d out / d children[i] at the
    current data.

    >>> def cube(x):
    ...     return operation("cube", x.data ** 3, (x,), (3 * x.data ** 2,))
    >>> x = Value(2.0); y = cube(x); y.backward(); (y.data, x.grad)
    (8.0, 12.0)
    """
    if not isinstance(op, str) or not op:
        raise TypeError(f"operation: got op {op!r}; op must be a non-empty name such as 'cube'")
    children = tuple(_values(op, children))
    local_grads = tuple(_as_local(op, g) for g in local_grads)
    if len(children) != len(local_grads):
        raise ValueError(
            f"{op}: got {len(children)} children and {len(local_grads)} local grads; "
            f"give one local derivative per child"
        )
    if not isinstance(data, Real):
        raise TypeError(f"{op}: got data {data!r}; data must be a real number")
    return _result(float(data), op, children, local_grads)


def _as_local(op, grad):
    if not isinstance(grad, Real):
        raise TypeError(f"{op}: got local grad {grad!r}; each local grad must be a real number")
    return float(grad)


@contextlib.contextmanager
def no_grad():
    """Inside this block, results record no children: they are leaves, as in torch.no_grad().

    Works as a context manager or a decorator. The switch is one for the whole
    process (PyTorch keeps one per thread).

    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y.children
    ()
    """
    global _recording
    before, _recording = _recording, False
    try:
        yield
    finally:
        _recording = before


@contextlib.contextmanager
def scope(name):
    """Group the nodes made inside this block under `name`; scopes nest with dots.

    Every Value made inside records the dotted name of the innermost scope in
    `node.scope` ("" outside every scope). Drawings can collapse a scope into
    one box. Each thread and asyncio task has its own current scope.

    >>> with scope("layer"):
    ...     with scope("neuron"):
    ...         y = Value(2.0) * 3
    >>> y.scope
    'layer.neuron'
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"scope: got {name!r}; a scope's name must be a non-empty str")
    outer = _scope.get()
    token = _scope.set(f"{outer}.{name}" if outer else name)
    try:
        yield
    finally:
        _scope.reset(token)


def is_grad_enabled():
    """True unless inside `no_grad()`."""
    return _recording


# The compiled core (_core.c) stands in for the class and the node maker above,
# unless PATHGRAD_PURE=1 or it is not built; value.py stays the source of truth.
_core = None
if not _os.environ.get("PATHGRAD_PURE"):
    try:
        from . import _core
    except ImportError:
        pass
    if _core:
        Value, sum, weighted_sum = _core.adopt(
            Value, scope=_scope, grad_mode=globals(), sum=sum, weighted_sum=weighted_sum
        )
        _result = _core.node
