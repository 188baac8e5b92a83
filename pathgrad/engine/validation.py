"""One way to check what a caller passed, with one rule: a wrong type is a TypeError, a wrong value a ValueError.

Every refusal pathgrad makes is one of the classes below, each both a
`Refused` and the built-in error it stands for. A program catches the
built-in (`except ValueError`), while the command line tells a refusal (the
user's input, exit status 2) from a bug in pathgrad (any other exception).

It imports nothing of pathgrad, so the engine, nn, viz and the command line
can all use it without breaking the layer rule.

>>> positive_int("Layer", "nout", 0)
Traceback (most recent call last):
...
pathgrad.engine.validation.RefusedValue: Layer: got nout = 0; expected a positive integer
"""

import math
from numbers import Integral, Real

LARGEST = "keep |result| below 1.8e308"  # what every overflow refusal asks for


class Refused(Exception):
    """Marks an error as pathgrad refusing its input, not as a bug in pathgrad.

    `option` names the keyword argument the refusal concerns, if one does, so
    that a caller (the command line) can name it in its own terms.

    >>> issubclass(RefusedValue, ValueError) and issubclass(RefusedValue, Refused)
    True
    >>> RefusedValue("draw: got depth=-1", option="depth").option
    'depth'
    """

    def __init__(self, *args, option=None):
        super().__init__(*args)
        self.option = option


class RefusedType(Refused, TypeError):
    """An argument of the wrong type."""


class RefusedValue(Refused, ValueError):
    """An argument of the right type with a value that is not accepted."""


class RefusedOverflow(Refused, OverflowError):
    """A result too large for a float."""


class RefusedZeroDivision(Refused, ZeroDivisionError):
    """A division by zero, or zero to a negative power."""


def integer(op, name, n, low=None, high=None):
    """`n` as an int if it is an integer (not a bool) with low <= n <= high, else refused.

    >>> integer("make_spiral", "n_classes", 3, low=2)
    3
    >>> integer("fit", "epochs", 2.0)
    Traceback (most recent call last):
    ...
    pathgrad.engine.validation.RefusedType: fit: got epochs = 2.0 (float); expected an integer
    """
    if isinstance(n, bool) or not isinstance(n, Integral):
        raise RefusedType(f"{op}: got {name} = {shown(n)} ({type(n).__name__}); expected an integer")
    if (low is not None and n < low) or (high is not None and n > high):
        raise RefusedValue(f"{op}: got {name} = {shown(n)}; expected an integer {_range(low, high)}")
    return int(n)


def positive_int(op, name, n):
    """`n` as an int if it is an integer >= 1, else refused.

    >>> positive_int("StepLR", "step_size", 2)
    2
    """
    n = integer(op, name, n)
    if n < 1:
        raise RefusedValue(f"{op}: got {name} = {n!r}; expected a positive integer")
    return n


def number(op, name, x, low=None, high=None):
    """`x` as a float if it is a finite real number (not a bool) with low <= x <= high, else refused.

    >>> number("SGD", "lr", 0.1, low=0.0)
    0.1
    >>> number("SGD", "lr", float("inf"), low=0.0)
    Traceback (most recent call last):
    ...
    pathgrad.engine.validation.RefusedValue: SGD: got lr = inf; expected a finite number >= 0
    """
    if isinstance(x, bool) or not isinstance(x, Real):
        raise RefusedType(f"{op}: got {name} = {shown(x)} ({type(x).__name__}); expected a real number")
    try:
        value = float(x)
    except OverflowError:  # an int past 1.8e308
        value = math.inf
    if not math.isfinite(value) or (low is not None and value < low) or (high is not None and value > high):
        raise RefusedValue(f"{op}: got {name} = {shown(x)}; expected a finite number {_range(low, high)}".rstrip())
    return value


def value_data(data):
    """`data` as a Value's data: a finite float, or the TypeError / ValueError / OverflowError naming Value.

    >>> value_data(2), value_data(0.5)
    (2.0, 0.5)
    """
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
            raise RefusedOverflow(f"Value: got {shown(data)}, too large for a float; {LARGEST}") from None
    if x - x:
        raise RefusedValue(f"Value: got {data!r}; data must be a finite number (no inf or nan)")
    return x


def value_label(label):
    """`label` as a Value's label: a str, or the TypeError naming Value.

    >>> value_label("a")
    'a'
    """
    if not isinstance(label, str):
        raise RefusedType(f"Value: got label {shown(label)} ({type(label).__name__}); a label must be a str")
    return label


def as_value(x, Value):
    """x itself if it is a `Value`, else the number x as a constant leaf `Value(x)`.

    The one place numbers become Values outside the operators (which lift
    their own operands); `Value` is passed in so this module imports nothing.

    >>> from pathgrad import Value
    >>> as_value(2, Value).data, as_value(Value(3.0), Value).data
    (2.0, 3.0)
    """
    return x if isinstance(x, Value) else Value(x)


def shown(x):
    """repr(x) for a message, except an int too long to print (Python refuses past 4,300 digits).

    >>> shown(2.5), shown(10 ** 5000)
    ('2.5', 'an int of 5001 digits')
    """
    if isinstance(x, int) and x.bit_length() > 14000:  # about 4,200 digits
        n = abs(x)
        digits = int(n.bit_length() * math.log10(2))  # the number of digits, or one less
        return f"an int of {digits + 1 if n >= 10 ** digits else digits} digits"
    return repr(x)


def _range(low, high):
    if low is not None and high is not None:
        return f"from {low:g} to {high:g}"
    if low is not None:
        return f">= {low:g}"
    if high is not None:
        return f"<= {high:g}"
    return ""
