"""The table of op rules: every operation pathgrad knows, one row each.

A row says what an op is called, its infix symbol if it has one, how many
operands it takes, how to compute its result (refusing inputs outside its
domain), and its local derivatives d out / d input_i as a function of the
inputs x and the output y. `Value`'s operators and methods, `operation()`,
the command line's functions, `explain`'s symbols and the README's table of
ops are all derived from `TABLE`: adding an op is adding a row.

The derivative functions are written once and run on two kinds of number.
On floats, when an op runs: those are the numbers recorded on each edge. On
Values, when `backward(create_graph=True)` wants the derivative as a graph of
its own, to differentiate it again. So they use only arithmetic, comparisons
(which compare data) and the few functions below that take either kind.

    name        forward                 local derivatives
    mul         y = a b                 dy/da = b, dy/db = a
    tanh        y = tanh x              dy/dx = 1 - y^2
    weighted_sum  y = b + sum wi xi     dy/dwi = xi, dy/dxi = wi, dy/db = 1
"""

import math
import operator
from numbers import Real

from . import validation
from .validation import LARGEST, RefusedOverflow, RefusedType, RefusedValue, RefusedZeroDivision, shown

SQRT2 = math.sqrt(2.0)
SQRT_2PI = math.sqrt(2.0 * math.pi)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
BOUND_CACHE = 256  # how many parameters (exponents, slopes) each rule keeps its bound rule for


class Rule:
    """One row of the table: an op's name, symbol, arity, forward and local derivatives.

    `forward(*inputs, *arguments)` returns the result from float inputs;
    `derivatives(*inputs, output, *arguments)` returns d output / d input_i for
    each input, on floats or on Values. `arity` is 1, 2 or None (any number:
    then both take the inputs as one sequence, `forward(inputs)`).
    A rule with a `parameter` (a number that is not an operand, such as the 3
    of x**3) is bound to it with `bind`, which records it in `arguments`.
    `example` is a point in the op's domain (inputs, then the parameter),
    where the table's test gradchecks the row; `activation` marks the rows
    a neuron may apply (defined for every real). `function` is what Value or
    pathgrad calls for the row (x.tanh, maximum), set when the row is bound.
    `evaluate` and `local_grads` call forward and derivatives the way the row
    takes its inputs, so that a caller need not know (operators.py writes the
    same calls out in Value's operators, which run for every node). `kernel` names the
    compiled core's fast path for the row ("tanh"), or is None: then the
    core runs the row's Python functions too. A kernel must give the row's
    bits, which tests/engine/test_compiled_core.py checks.

    >>> MUL.forward(2.0, 3.0), MUL.derivatives(2.0, 3.0, 6.0)
    (6.0, (3.0, 2.0))
    """

    __slots__ = ("name", "op", "symbol", "arity", "forward", "derivatives", "formula",
                 "parameter", "example", "activation", "arguments", "function", "kernel", "_bound")

    def __init__(self, name, forward, derivatives, formula, example, *, op=None, symbol=None,
                 arity=1, parameter=None, activation=False, kernel=None):
        self.name = name
        self.op = op or name
        self.symbol = symbol
        self.arity = arity
        self.forward = forward
        self.derivatives = derivatives
        self.formula = formula
        self.parameter = parameter
        self.example = example
        self.activation = activation
        self.arguments = ()
        self.function = None  # what Value or pathgrad calls for this row, set by add_rule
        self.kernel = kernel
        self._bound = {}

    def bind(self, value):
        """This rule with its parameter fixed to `value` (a finite real number), cached.

        >>> POWER.bind(3).op, POWER.bind(3).arguments
        ('**3', (3.0,))
        """
        if value.__class__ is not bool:  # True == 1 would find 1's row; a bool is refused below
            try:
                return self._bound[value]
            except (KeyError, TypeError):
                pass
        number = validation.number(self.name, self.parameter, value)
        bound = Rule(self.name, self.forward, self.derivatives, self.formula, self.example,
                     op=self.op.format(number), symbol=self.symbol, arity=self.arity,
                     parameter=self.parameter, activation=self.activation, kernel=self.kernel)
        bound.function = self.function
        bound.arguments = (number,)
        if len(self._bound) >= BOUND_CACHE:  # forget the oldest: a loop over many slopes keeps memory flat
            del self._bound[next(iter(self._bound))]
        self._bound[value] = bound
        return bound

    def evaluate(self, inputs):
        """(output, local grads) at the float `inputs`, each function called as the row takes them.

        >>> MUL.evaluate([2.0, 3.0]), SUM.evaluate([1.0, 2.0]), POWER.bind(3).evaluate([2.0])
        ((6.0, (3.0, 2.0)), (3.0, (1.0, 1.0)), (8.0, (12.0,)))
        """
        if self.arity is None:
            output = self.forward(inputs)
            return output, self.derivatives(inputs, output)
        output = self.forward(*inputs, *self.arguments)
        return output, self.derivatives(*inputs, output, *self.arguments)

    def local_grads(self, inputs, output):
        """d output / d input_i for each input, on floats, or on Values to differentiate again.

        >>> TANH.local_grads([0.0], 0.0)
        (1.0,)
        """
        if self.arity is None:
            return self.derivatives(inputs, output)
        return self.derivatives(*inputs, output, *self.arguments)

    def __repr__(self):
        return f"Rule({self.name!r}, op={self.op!r})"


def rule_named(name, arguments=(), operation_op=False):
    """The one rule called `name` (bound to `arguments`), or the row-less rule of operation(op): how pickle finds a node's row.

    >>> rule_named("power", (3.0,)).op, rule_named("cube", (), "cube").derivatives
    ('**3', None)
    """
    if operation_op:
        return user_rule(operation_op)
    for rule in TABLE:
        if rule.name == name:
            return rule.bind(arguments[0]) if arguments else rule
    raise RefusedValue(
        f"unpickling a Value: its op {name!r} is no row of the table; add it with "
        f"pathgrad.add_rule before loading"
    )


_user_rules = {}


def user_rule(op):
    """The row-less rule of an operation() node: a name, and no derivative rules.

    Kept for the last BOUND_CACHE names only: a node holds its own rule,
    so forgetting one loses nothing, and a loop over many names keeps memory flat.

    >>> user_rule("cube").op, user_rule("cube") is user_rule("cube")
    ('cube', True)
    """
    rule = _user_rules.get(op)
    if rule is None:
        if len(_user_rules) >= BOUND_CACHE:
            del _user_rules[next(iter(_user_rules))]
        rule = _user_rules[op] = Rule(op, None, None, "given by operation()", (), arity=None)
    return rule


def overflow_error(op, inputs, symbol=None):
    """The OverflowError for an op whose result is beyond a float, naming op and operands.

    >>> overflow_error("*", [1e200, 1e200], "*")
    RefusedOverflow('*: 1e+200 * 1e+200 overflows a float; keep |result| below 1.8e308')
    """
    if symbol and len(inputs) == 2:
        written = f"{inputs[0]!r} {symbol} {inputs[1]!r}"
    else:
        written = f"{op}({', '.join(repr(x) for x in inputs)})"
    return RefusedOverflow(f"{op}: {written} overflows a float; {LARGEST}")


def data_of(x):
    """The number in x: x itself for a real number (a numpy scalar too), else x.data (a Value's).

    >>> import numpy as np
    >>> data_of(2.5), data_of(3), data_of(np.float64(0.5))
    (2.5, 3, np.float64(0.5))
    """
    return x if type(x) is float or isinstance(x, Real) else getattr(x, "data", x)


def checked_result(rule, data, children, local_grads):
    """An op's result and local grads as floats, or the Refused* error naming its row.

    The core calls it for a node whose numbers are not all floats (a row of
    add_rule's may give ints); operators.py's add_rule checks a row's functions
    themselves, with these words.

    >>> checked_result(MUL, 6, (), ())
    (6.0, ())
    """
    name = rule.name
    if isinstance(data, bool) or not isinstance(data, Real):
        raise RefusedType(f"{name}: its forward gave {type(data).__name__} {shown(data)}; it must give a real number")
    try:
        y = float(data)
    except OverflowError:
        raise RefusedOverflow(f"{name}: its forward gave {shown(data)}, too large for a float; {LARGEST}") from None
    if y - y:  # inf or nan
        raise overflow_error(rule.op, [child.data for child in children], rule.symbol)
    n = len(children)
    if not isinstance(local_grads, tuple) or len(local_grads) != n:
        raise RefusedValue(
            f"{name}: its derivative gave {shown(local_grads)}; it must give a tuple of "
            f"{n} local grad{'s' if n != 1 else ''}, one per operand"
        )
    return y, checked_local_grads(name, local_grads)


def checked_local_grads(name, local_grads, gave="its derivative gave"):
    """`name`'s local grads as floats, or the Refused* error naming it: each a real number, not nan.

    An infinite local grad is a number (sqrt's at 0); nan is none.

    >>> checked_local_grads("cube", (12, 0.5))
    (12.0, 0.5)
    """
    for grad in local_grads:
        if isinstance(grad, bool) or not isinstance(grad, Real):
            raise RefusedType(f"{name}: {gave} {type(grad).__name__} {shown(grad)}; "
                              f"each local grad must be a real number")
    try:
        local_grads = tuple(float(grad) for grad in local_grads)
    except OverflowError:
        raise RefusedOverflow(f"{name}: {gave} a local grad too large for a float; {LARGEST}") from None
    if any(grad != grad for grad in local_grads):
        raise RefusedValue(f"{name}: {gave} nan; each local grad must be a number (inf is one)")
    return local_grads


# Functions the derivative rules call, for a float or a Value alike.


def exp(x):
    return math.exp(x) if type(x) is float else x.exp()


def log(x):
    return math.log(x) if type(x) is float else x.log()


def sin(x):
    return math.sin(x) if type(x) is float else x.sin()


def cos(x):
    return math.cos(x) if type(x) is float else x.cos()


def erf(x):
    return math.erf(x) if type(x) is float else x.erf()


def sigmoid(x):
    """1 / (1 + e^-x) without overflow for any finite x."""
    if type(x) is not float:
        return x.sigmoid()
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def normal_cdf(x):
    """Phi(x) = (1 + erf(x / sqrt 2)) / 2."""
    return 0.5 * (1.0 + erf(x / SQRT2))


def normal_pdf(x):
    """phi(x) = e^(-x^2/2) / sqrt(2 pi)."""
    return exp(-0.5 * x * x) / SQRT_2PI


# Forwards: the result from floats, refusing inputs outside the domain.


def _divide(a, b):
    if b == 0:
        raise RefusedZeroDivision(
            f"/: got divisor {b!r} in {a!r} / {b!r}; the divisor must be nonzero"
        )
    return a / b


def _power(x, k, op="**"):
    if x < 0 and not k.is_integer():
        raise RefusedValue(
            f"{op}: got base {x!r} with exponent {k!r}; a negative base needs an "
            f"integer exponent (the result would be complex)"
        )
    if x == 0 and k < 0:
        raise RefusedZeroDivision(f"{op}: got 0 ** {k!r}; zero has no negative powers, use a nonzero base")
    try:
        return x**k
    except OverflowError:
        raise overflow_error(op, (x, k), "**") from None


def _power_by_number(x, k):
    return _power(x, k, f"**{k:g}")


def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        raise RefusedOverflow(f"exp: got x = {x!r}; exp(x) overflows a float for x > 709.78") from None


def _log(x):
    if not x > 0:
        raise RefusedValue(f"log: got x = {x!r}; log is defined only for x > 0")
    return math.log(x)


def _sqrt(x):
    if not x >= 0:
        raise RefusedValue(f"sqrt: got x = {x!r}; sqrt is defined only for x >= 0")
    return math.sqrt(x)


def _gelu(x):
    return x * normal_cdf(x)


def _softplus(x):
    """log(1 + e^x) = max(x, 0) + log1p(e^-|x|), without overflow."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _sum(xs):
    """Left to right from 0: the same bits as Python's sum over the data (up to 3.11)."""
    total = 0.0
    for x in xs:
        total += x
    return total


def _weighted_sum(wxb):
    """b + w1 x1 + ... + wn xn, summed left to right from b, as micrograd's neuron."""
    if len(wxb) % 2 == 0:
        raise RefusedValue(
            f"weighted_sum: got {len(wxb)} operands; give w1, x1, ..., wn, xn and then b (an odd number)"
        )
    total = wxb[-1]
    pairs = iter(wxb)
    for w, x in zip(pairs, pairs):  # (w1, x1), ..., (wn, xn); b is left over
        total += w * x
    return total


# Local derivatives: d y / d each input, from the inputs and the output y.


def _power_slope(x, k):
    """d(x**k)/dx = k x^(k-1); inf at x = 0 for 0 < k < 1, as in PyTorch."""
    if data_of(k) == 0:
        return 0.0
    if data_of(x) == 0 and data_of(k) < 1:
        return math.inf
    try:
        return k * x ** (k - 1)
    except OverflowError:  # |k x^(k-1)| is beyond a float: inf with its sign, on floats or Values
        x, k = data_of(x), data_of(k)
        negative_power = x < 0 and (k - 1) % 2 == 1
        return math.copysign(math.inf, -k if negative_power else k)


def _pow_derivatives(x, k, y):
    """d/dx = k x^(k-1), d/dk = x^k ln x (0 at x = 0 with k > 0, its limit)."""
    if not (x > 0 or (x >= 0 and k > 0)):
        raise RefusedValue(
            f"**: got base {data_of(x)!r} with a Value exponent; d(x**y)/dy = x**y ln x needs "
            f"x > 0 (or x = 0 with y > 0), use a number exponent for other bases"
        )
    return (_power_slope(x, k), y * log(x) if x > 0 else 0.0)


def _sqrt_derivatives(x, y):
    return (0.5 / y if data_of(y) else math.inf,)


def _abs_derivatives(x, y):
    return (1.0 if x > 0 else (-1.0 if x < 0 else 0.0),)


def _sum_derivatives(xs, y):
    return (1.0,) * len(xs)


def _weighted_sum_derivatives(inputs, y):
    grads = list(inputs)
    grads[0:-1:2] = inputs[1:-1:2]  # d/dwi = xi
    grads[1:-1:2] = inputs[0:-1:2]  # d/dxi = wi
    grads[-1] = 1.0  # d/db
    return tuple(grads)


_ONE_ONE = (1.0, 1.0)
_ONE_MINUS_ONE = (1.0, -1.0)
_MINUS_ONE = (-1.0,)
_FIRST = (1.0, 0.0)
_SECOND = (0.0, 1.0)

ADD = Rule("add", operator.add, lambda a, b, y: _ONE_ONE, "1, 1", (1.5, -0.5), op="+", symbol="+", arity=2, kernel="add")
SUB = Rule("sub", operator.sub, lambda a, b, y: _ONE_MINUS_ONE, "1, -1", (1.5, -0.5), op="-", symbol="-", arity=2, kernel="sub")
MUL = Rule("mul", operator.mul, lambda a, b, y: (b, a), "b, a", (1.5, -0.5), op="*", symbol="*", arity=2, kernel="mul")
DIV = Rule("div", _divide, lambda a, b, y: (1 / b, -y / b), "1/b, -a/b²", (1.5, -0.5), op="/", symbol="/", arity=2, kernel="div")
POW = Rule("pow", _power, _pow_derivatives, "b a^(b-1), a^b ln a", (1.5, -0.5), op="**", symbol="**", arity=2)
POWER = Rule("power", _power_by_number, lambda x, y, k: (_power_slope(x, k),), "k x^(k-1)", (1.5, 3.0),
             op="**{:g}", symbol="**", parameter="k", kernel="power")
NEG = Rule("neg", operator.neg, lambda x, y: _MINUS_ONE, "-1", (1.5,), symbol="-", kernel="neg")
EXP = Rule("exp", _exp, lambda x, y: (y,), "eˣ", (0.7,), kernel="exp")
LOG = Rule("log", _log, lambda x, y: (1 / x,), "1/x", (0.7,), kernel="log")
SQRT = Rule("sqrt", _sqrt, _sqrt_derivatives, "1/(2√x), inf at 0", (0.7,))
TANH = Rule("tanh", math.tanh, lambda x, y: (1 - y * y,), "1 - tanh²x", (0.7,), activation=True, kernel="tanh")
SIGMOID = Rule("sigmoid", sigmoid, lambda x, y: (y * (1 - y),), "S(1 - S)", (0.7,), activation=True)
RELU = Rule("relu", lambda x: x if x > 0 else 0.0, lambda x, y: (1.0 if x > 0 else 0.0,),
            "1 for x > 0, else 0 (0 at 0)", (0.7,), activation=True, kernel="relu")
LEAKY_RELU = Rule("leaky_relu", lambda x, slope: x if x > 0 else slope * x,
                  lambda x, y, slope: (1.0 if x > 0 else slope,), "1 for x > 0, else slope", (-0.7, 0.01),
                  parameter="slope", activation=True)
GELU = Rule("gelu", _gelu, lambda x, y: (normal_cdf(x) + x * normal_pdf(x),), "Φ(x) + x φ(x)", (0.7,), activation=True)
SOFTPLUS = Rule("softplus", _softplus, lambda x, y: (sigmoid(x),), "S(x)", (0.7,), activation=True)
SIN = Rule("sin", math.sin, lambda x, y: (cos(x),), "cos x", (0.7,))
COS = Rule("cos", math.cos, lambda x, y: (-sin(x),), "-sin x", (0.7,))
ABS = Rule("abs", abs, _abs_derivatives, "sign x (0 at 0)", (-0.7,))
ERF = Rule("erf", math.erf, lambda x, y: (TWO_OVER_SQRT_PI * exp(-x * x),), "2/√π e^(-x²)", (0.7,))
MAXIMUM = Rule("maximum", lambda a, b: a if a >= b else b, lambda a, b, y: _FIRST if a >= b else _SECOND,
               "1, 0 if a >= b, else 0, 1", (1.5, -0.5), op="max", arity=2)
MINIMUM = Rule("minimum", lambda a, b: a if a <= b else b, lambda a, b, y: _FIRST if a <= b else _SECOND,
               "1, 0 if a <= b, else 0, 1", (1.5, -0.5), op="min", arity=2)
SUM = Rule("sum", _sum, _sum_derivatives, "1 for each", (1.5, -0.5, 2.0), arity=None, kernel="sum")
WEIGHTED_SUM = Rule("weighted_sum", _weighted_sum, _weighted_sum_derivatives, "xᵢ for wᵢ, wᵢ for xᵢ, 1 for b",
                    (1.5, -0.5, 2.0, 0.3, 0.1), op="wsum", arity=None, kernel="weighted_sum")



TABLE = [ADD, SUB, MUL, DIV, POW, POWER, NEG, EXP, LOG, SQRT, RELU, TANH, SIGMOID, LEAKY_RELU, GELU,
         SOFTPLUS, SIN, COS, ABS, ERF, MAXIMUM, MINIMUM, SUM, WEIGHTED_SUM]


def written(rule):
    """How a learner writes the row's op: a + b, x ** k, x.tanh(), pathgrad.maximum(a, b).

    >>> written(ADD), written(LEAKY_RELU), written(SUM)
    ('a + b', 'x.leaky_relu(slope)', 'pathgrad.sum(values)')
    """
    if rule.symbol and rule.arity == 2:
        return f"a {rule.symbol} b"
    if rule.symbol == "**":
        return f"x ** {rule.parameter}"
    if rule.symbol:
        return f"{rule.symbol}x"
    if rule.arity == 1:
        return f"x.{rule.name}({rule.parameter or ''})"
    if rule.arity == 2:
        return f"pathgrad.{rule.name}(a, b)"
    return f"pathgrad.{rule.name}({'values' if rule is SUM else 'weights, inputs, bias'})"


def markdown_table():
    """The table as README's markdown: each row's node name, how it is written, its local derivatives.

    >>> print(markdown_table().splitlines()[2])
    | `+` | `a + b` | 1, 1 |
    """
    lines = ["| node | written | local derivatives |", "| --- | --- | --- |"]
    for rule in TABLE:
        op = rule.op.replace("{:g}", rule.parameter or "")  # **{:g} is **k
        lines.append(f"| `{op}` | `{written(rule)}` | {rule.formula} |")
    return "\n".join(lines)
