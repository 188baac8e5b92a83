"""Learning-rate schedules, as torch.optim.lr_scheduler: call `step()` once per epoch.

Each sets `optimizer.lr` to base_lr times a factor of the epoch count e,
computed in closed form (torch's `_get_closed_form_lr`):

- LinearLR: factor = start + (end - start) min(e, total_iters) / total_iters.
  micrograd's demo, lr = 1.0 - 0.9 k / 100, is
  `LinearLR(SGD(params, lr=1.0), start_factor=1.0, end_factor=0.1, total_iters=100)`,
  bit for bit.
- StepLR: factor = gamma^(e // step_size).
- CosineAnnealingLR: lr = eta_min + (base_lr - eta_min)(1 + cos(pi e / T_max)) / 2.
"""

import math

from pathgrad.engine.validation import RefusedValue, positive_int

from .optimizer import Optimizer, check_hyperparameter


class LRScheduler:
    """Base class: remembers the optimizer's starting lr and counts epochs."""

    def __init__(self, optimizer):
        if not isinstance(optimizer, Optimizer):
            raise RefusedValue(
                f"{type(self).__name__}: got {type(optimizer).__name__}; "
                "expected an optimizer from pathgrad.nn.optim"
            )
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.last_epoch = 0
        optimizer.lr = self.lr_at(0)

    def step(self):
        """Advance one epoch and set the optimizer's lr for the next."""
        self.last_epoch += 1
        self.optimizer.lr = self.lr_at(self.last_epoch)

    def lr_at(self, epoch):
        raise NotImplementedError


class LinearLR(LRScheduler):
    """lr goes linearly from base_lr * start_factor to base_lr * end_factor in total_iters epochs.

    >>> from pathgrad import Value
    >>> from pathgrad.nn.optim import SGD
    >>> sgd = SGD([Value(0.0)], lr=1.0)
    >>> schedule = LinearLR(sgd, start_factor=1.0, end_factor=0.1, total_iters=100)
    >>> for _ in range(7): schedule.step()
    >>> sgd.lr == 1.0 - 0.9 * 7 / 100
    True
    """

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5):
        if not 0 < start_factor <= 1:
            raise RefusedValue(
                f"LinearLR: got start_factor = {start_factor!r}; "
                "expected a number in (0, 1]"
            )
        self.start_factor = float(start_factor)
        self.end_factor = check_hyperparameter("LinearLR", "end_factor", end_factor, low=0.0)
        if self.end_factor > 1:
            raise RefusedValue(
                f"LinearLR: got end_factor = {end_factor!r}; "
                "expected a number in [0, 1]"
            )
        self.total_iters = positive_int("LinearLR", "total_iters", total_iters)
        super().__init__(optimizer)

    def lr_at(self, epoch):
        start, end = self.start_factor, self.end_factor
        # ((end - start) * e) / total, in this order: micrograd's 1.0 - 0.9*k/100, bit for bit
        e = min(epoch, self.total_iters)
        return self.base_lr * (start + (end - start) * e / self.total_iters)


class StepLR(LRScheduler):
    """lr = base_lr * gamma^(epoch // step_size): divide by 1/gamma every step_size epochs.

    >>> from pathgrad import Value
    >>> from pathgrad.nn.optim import SGD
    >>> sgd = SGD([Value(0.0)], lr=1.0); schedule = StepLR(sgd, step_size=2, gamma=0.5)
    >>> lrs = []
    >>> for _ in range(5): lrs.append(sgd.lr); schedule.step()
    >>> lrs
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer, step_size, gamma=0.1):
        self.step_size = positive_int("StepLR", "step_size", step_size)
        self.gamma = check_hyperparameter("StepLR", "gamma", gamma, low=0.0)
        super().__init__(optimizer)

    def lr_at(self, epoch):
        return self.base_lr * self.gamma ** (epoch // self.step_size)


class CosineAnnealingLR(LRScheduler):
    """lr follows half a cosine from base_lr down to eta_min over T_max epochs.

    >>> from pathgrad import Value
    >>> from pathgrad.nn.optim import SGD
    >>> sgd = SGD([Value(0.0)], lr=1.0); schedule = CosineAnnealingLR(sgd, T_max=2)
    >>> schedule.step(); sgd.lr
    0.5
    """

    def __init__(self, optimizer, T_max, eta_min=0.0):
        self.T_max = positive_int("CosineAnnealingLR", "T_max", T_max)
        self.eta_min = check_hyperparameter("CosineAnnealingLR", "eta_min", eta_min, low=0.0)
        super().__init__(optimizer)

    def lr_at(self, epoch):
        cosine = math.cos(math.pi * epoch / self.T_max)
        return self.eta_min + (self.base_lr - self.eta_min) * (1 + cosine) / 2
