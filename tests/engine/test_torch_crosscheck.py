"""Optional: every op's value and gradient against PyTorch in float64."""

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
