"""pathgrad.nn.optim: gradient-descent optimizers and learning-rate schedules, as torch.optim.

    optimizer = optim.Adam(model.parameters(), lr=0.01)
    for epoch in range(epochs):
        loss = ...                 # forward
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()           # p.data -= ... from p.grad

Schedules live in `optim.lr_scheduler` (LinearLR, StepLR, CosineAnnealingLR).

>>> from pathgrad import Value
>>> w = Value(3.0); loss = w * w; loss.backward()   # d loss/dw = 2w = 6
>>> sgd = SGD([w], lr=0.1); sgd.step(); round(w.data, 10)   # 3 - 0.1 * 6
2.4
"""

from . import lr_scheduler
from .optimizer import Optimizer
from .optimizers import SGD, Adagrad, Adam, AdamW, RMSprop

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "lr_scheduler"]
