"""Optional: every optimizer and schedule step for step against torch.optim, in float64."""

import pytest

from pathgrad import Value
from pathgrad.nn import optim
from pathgrad.nn.optim import lr_scheduler

torch = pytest.importorskip("torch")

START = [1.5, -0.7, 0.3]


def objective(a, b, c):
    """A small coupled function with different curvatures: f = (a-1)^2 + 3 (a b + 0.5)^2 + c^4."""
    return (a - 1) ** 2 + 3 * (a * b + 0.5) ** 2 + c**4


CONFIGS = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("Adagrad", dict(lr=0.3)),
    ("Adagrad", dict(lr=0.3, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.2)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, alpha=0.3, centered=True)),  # lerp weight 0.7 >= 0.5: torch's other branch
    ("Adam", dict(lr=0.1)),
    ("Adam", dict(lr=0.1, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True)),
    ("Adam", dict(lr=0.1, betas=(0.2, 0.5))),
    ("AdamW", dict(lr=0.1)),
    ("AdamW", dict(lr=0.1, weight_decay=0.3, amsgrad=True)),
]


def ours(name, options, steps):
    params = [Value(x) for x in START]
    optimizer = getattr(optim, name)(params, **options)
    path = []
    for _ in range(steps):
        optimizer.zero_grad()
        objective(*params).backward()
        optimizer.step()
        path.append([p.data for p in params])
    return path


def theirs(name, options, steps):
    params = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in START]
    optimizer = getattr(torch.optim, name)(params, foreach=False, **options)
    path = []
    for _ in range(steps):
        optimizer.zero_grad()
        objective(*params).backward()
        optimizer.step()
        path.append([p.item() for p in params])
    return path


@pytest.mark.parametrize("name, options", CONFIGS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIGS)])
def test_optimizer_matches_torch_step_for_step(name, options):
    for mine, torchs in zip(ours(name, options, 20), theirs(name, options, 20), strict=True):
        assert mine == pytest.approx(torchs, rel=1e-12, abs=1e-14)


SCHEDULES = [
    ("LinearLR", dict(start_factor=1.0, end_factor=0.1, total_iters=10)),
    ("LinearLR", dict()),
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("CosineAnnealingLR", dict(T_max=8, eta_min=0.01)),
]


@pytest.mark.parametrize("name, options", SCHEDULES, ids=[s[0] + str(i) for i, s in enumerate(SCHEDULES)])
def test_schedule_matches_torch_epoch_for_epoch(name, options):
    mine = optim.SGD([Value(0.0)], lr=0.5)
    schedule = getattr(lr_scheduler, name)(mine, **options)
    torchs = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.5)
    torch_schedule = getattr(torch.optim.lr_scheduler, name)(torchs, **options)
    for _ in range(14):
        assert mine.lr == pytest.approx(torchs.param_groups[0]["lr"], rel=1e-12)
        torchs.step()
        schedule.step()
        torch_schedule.step()
