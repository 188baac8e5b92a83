"""pathgrad.nn: neurons, layers and MLPs on the pathgrad engine, and how to train them.

A micrograd user changes one import (`from pathgrad.nn import Neuron, Layer,
MLP`); a PyTorch user finds the names they know in `losses`, `optim` and
`fit`. Everything is built from engine Values, so any loss can be drawn,
stepped through and checked by hand.

- `Module`, `Neuron`, `Layer`, `MLP`: the models (micrograd's forms and weights).
- `losses`: mse, mae, bce, bce_with_logits, cross_entropy, hinge, softmax, log_softmax.
- `optim`: SGD, Adagrad, RMSprop, Adam, AdamW and learning-rate schedules, as torch.optim.
- `data`: toy data sets (moons, circles, blobs, spiral, xor), train_test_split, batches.
- `fit`: a training loop with history and a progress bar; `Diverged` when its loss blows up;
  `evaluate`: loss and accuracy without building a graph. `ACTIVATIONS`: the non-linearities by name.

>>> import random; random.seed(1337)
>>> from pathgrad.nn import MLP
>>> MLP(2, [16, 16, 1]).parameters()[0].data
0.23550571390294128
"""

from . import data, losses, optim
from .layers import MLP, Layer, Neuron
from .module import Module
from .activations import ACTIVATIONS
from .training import Diverged, evaluate, fit

__all__ = ["ACTIVATIONS", "Diverged", "MLP", "Layer", "Module", "Neuron", "data", "evaluate", "fit", "losses", "optim"]
