"""The engine tests' shared helper: PyTorch's double backward, as the reference (optional)."""

import pytest


@pytest.fixture(scope="session")
def torch_hessian():
    """f(*tensors) -> (value, grads, Hessian rows) by torch.autograd in float64; skips without torch."""
    torch = pytest.importorskip("torch")

    def hessian_of(f, inputs):
        ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
        out = f(*ts)
        firsts = torch.autograd.grad(out, ts, create_graph=True, allow_unused=True)
        rows = []
        for g in firsts:
            if g is None or not g.requires_grad:
                rows.append([0.0] * len(ts))
                continue
            seconds = torch.autograd.grad(g, ts, retain_graph=True, allow_unused=True)
            rows.append([0.0 if s is None else s.item() for s in seconds])
        return out.item(), [0.0 if g is None else g.item() for g in firsts], rows

    return hessian_of
