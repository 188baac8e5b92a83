"""Gradient checking by central finite differences (lecture 002).

For each input x_i, with the step h_i = eps * max(1, |x_i|) (relative to the
input's size, so that x_i + h_i still differs from x_i at 1e5 and beyond),
the numerical derivative
    G_i = (f(..., x_i + h_i, ...) - f(..., x_i - h_i, ...)) / (2 h_i)
is compared with the analytic A_i from backward, by the relative error
    |A_i - G_i| / (|A_i| + |G_i|)   (0 where both are 0).
A new operation whose local derivative is wrong shows up here at once.
"""

from typing import NamedTuple

from .value import Value


class GradcheckError(AssertionError):
    """Raised by `gradcheck(..., raise_on_failure=True)` when a gradient disagrees."""


class GradcheckRow(NamedTuple):
    """One input's check."""

    name: str
    value: float
    analytic: float
    numeric: float
    relative_error: float
    ok: bool


class GradcheckResult:
    """The rows of a gradient check; `ok` is True when every row passed."""

    def __init__(self, rows, tol):
        self.rows = rows
        self.tol = tol
        self.ok = all(row.ok for row in rows)

    def __bool__(self):
        return self.ok

    def __str__(self):
        header = f"{'input':<10} {'value':>12} {'backward':>14} {'numeric':>14} {'rel. error':>11}  ok"
        lines = [header]
        for row in self.rows:
            lines.append(
                f"{row.name:<10} {row.value:>12.6g} {row.analytic:>14.8g} {row.numeric:>14.8g} "
                f"{row.relative_error:>11.2e}  {'yes' if row.ok else 'NO'}"
            )
        verdict = "all gradients agree" if self.ok else "some gradients DISAGREE"
        lines.append(f"{verdict} (tolerance {self.tol:g})")
        return "\n".join(lines)

    __repr__ = __str__


def _relative_error(analytic, numeric):
    scale = abs(analytic) + abs(numeric)
    return abs(analytic - numeric) / scale if scale else 0.0


def _evaluate(f, numbers):
    return _checked(f(*(Value(x) for x in numbers)))


def _checked(out):
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f returned {type(out).__name__} {out!r}; f must return a Value")
    return out


def gradcheck(f, inputs, eps=1e-6, tol=1e-6, raise_on_failure=False, names=None):
    """Check backward's gradients of f at `inputs` against central finite differences.

    `f` takes one Value per input, positionally, and returns a Value; `inputs`
    are numbers. Each row compares backward's d f / d x_i with
    (f(x_i + h) - f(x_i - h)) / (2 h), h = eps * max(1, |x_i|), by relative
    error, passing when it is at most `tol`. `names` label the rows
    (x0, x1, ... by default).

    >>> gradcheck(lambda a, b: (a + b) * (b + 1), [2.0, 1.0], names=["a", "b"]).ok
    True
    """
    numbers = [float(x) for x in inputs]
    names = [f"x{i}" for i in range(len(numbers))] if names is None else [str(n) for n in names]
    if len(names) != len(numbers):
        raise ValueError(f"gradcheck: got {len(names)} names for {len(numbers)} inputs; give one name per input")
    leaves = [Value(x) for x in numbers]
    _checked(f(*leaves)).backward()
    rows = []
    for i, (name, leaf) in enumerate(zip(names, leaves)):
        step = eps * max(1.0, abs(numbers[i]))
        # Recording stays on: f may itself differentiate (a grad inside f needs its graph).
        up = _evaluate(f, numbers[:i] + [numbers[i] + step] + numbers[i + 1 :]).data
        down = _evaluate(f, numbers[:i] + [numbers[i] - step] + numbers[i + 1 :]).data
        numeric = (up - down) / (2 * step)
        error = _relative_error(leaf.grad, numeric)
        rows.append(GradcheckRow(name, numbers[i], leaf.grad, numeric, error, error <= tol))
    result = GradcheckResult(rows, tol)
    if raise_on_failure and not result.ok:
        raise GradcheckError(f"gradcheck: backward disagrees with finite differences\n{result}")
    return result
