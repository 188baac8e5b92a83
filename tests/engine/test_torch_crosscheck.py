"""Optional: every op's value, gradient and second derivatives against PyTorch in float64."""

import math

import pytest

import pathgrad
from pathgrad import Value

torch = pytest.importorskip("torch")
F = torch.nn.functional

OPS = [
    ("exp", Value.exp, torch.exp),
    ("log", Value.log, torch.log),
    ("sqrt", Value.sqrt, torch.sqrt),
    ("tanh", Value.tanh, torch.tanh),
    ("sigmoid", Value.sigmoid, torch.sigmoid),
    ("relu", Value.relu, torch.relu),
    ("leaky_relu", Value.leaky_relu, F.leaky_relu),
    ("gelu", Value.gelu, F.gelu),
    ("softplus", Value.softplus, lambda t: F.softplus(t, threshold=50.0)),  # PyTorch turns linear past 20
    ("sin", Value.sin, torch.sin),
    ("cos", Value.cos, torch.cos),
    ("abs", Value.abs, torch.abs),
]


@pytest.mark.parametrize("name, ours, theirs", OPS, ids=[o[0] for o in OPS])
@pytest.mark.parametrize("x", [0.3, 1.7, 25.0])
def test_unary_value_and_grad_match_pytorch(name, ours, theirs, x):
    v = Value(x)
    y = ours(v)
    y.backward()
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    out = theirs(t)
    out.backward()
    assert y.data == pytest.approx(out.item(), rel=1e-12, abs=1e-300)
    assert v.grad == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-300)


def test_a_composite_expression_matches_pytorch():
    def f(a, b, c, lib):
        if lib is torch:
            return (a * b + c / a) ** 2 - torch.maximum(a, c) * torch.tanh(b) + (a - b).exp() * 2.0**c
        return (a * b + c / a) ** 2 - pathgrad.maximum(a, c) * b.tanh() + (a - b).exp() * 2.0**c

    xs = [1.3, -0.4, 0.8]
    ours = [Value(x) for x in xs]
    y = f(*ours, None)
    y.backward()
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    t = f(*theirs, torch)
    t.backward()
    assert y.data == pytest.approx(t.item(), rel=1e-12)
    assert [v.grad for v in ours] == pytest.approx([v.grad.item() for v in theirs], rel=1e-12)


def test_leaf_grads_accumulate_across_backward_calls_as_in_pytorch():
    x = Value(3.0)
    y = x**3
    y.backward()
    y.backward()
    t = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    ty = t**3
    ty.backward(retain_graph=True)
    ty.backward()
    assert x.grad == t.grad.item() == 54.0


# Double backward: every row of the table, and random graphs, against torch.autograd in float64.

from pathgrad import hessian, ops  # noqa: E402

TORCH_OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "power": lambda x, k: x**k,
    "neg": lambda x: -x,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "leaky_relu": F.leaky_relu,
    "gelu": F.gelu,
    "softplus": lambda t: F.softplus(t, threshold=50.0),
    "sin": torch.sin,
    "cos": torch.cos,
    "abs": torch.abs,
    "erf": torch.erf,
    "maximum": torch.maximum,
    "minimum": torch.minimum,
    "sum": lambda *ts: torch.stack(ts).sum(),
    "weighted_sum": lambda *wxb: wxb[-1] + sum(w * x for w, x in zip(wxb[0:-1:2], wxb[1:-1:2])),
}


def _close(ours, theirs):
    return all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(ours, theirs, strict=True))


@pytest.mark.parametrize("rule", ops.TABLE, ids=[rule.name for rule in ops.TABLE])
@pytest.mark.parametrize("shift", [0.0, 0.35])
def test_every_rows_value_grad_and_second_derivatives_match_torch_double_backward(rule, shift, torch_hessian):
    inputs = list(rule.example[:-1] if rule.parameter else rule.example)
    parameters = list(rule.example[-1:]) if rule.parameter else []
    inputs = [x + shift for x in inputs]
    if rule.arity is None:
        ours = lambda *vs: rule.function(vs)  # noqa: E731
    else:
        ours = lambda *vs: rule.function(*vs, *parameters)  # noqa: E731
    theirs = lambda *ts: TORCH_OPS[rule.name](*ts, *parameters)  # noqa: E731
    leaves = [Value(x) for x in inputs]
    out = ours(*leaves)
    out.backward()
    value, grads, rows = torch_hessian(theirs, inputs)
    assert math.isclose(out.data, value, rel_tol=1e-12, abs_tol=1e-300)
    assert _close([leaf.grad for leaf in leaves], grads)
    ours_h = hessian(ours, inputs)
    assert len(ours_h) == len(rows) == len(inputs), (ours_h, rows)
    for mine, torchs in zip(ours_h, rows, strict=True):
        assert _close(mine, torchs), (ours_h, rows)
