"""SGD, Adagrad, RMSprop, Adam and AdamW, with torch.optim's names, defaults and update rules.

Notation for one parameter p with gradient g at step t (counting from 1),
learning rate lr and weight decay wd. Each rule is written out in the class
docstring and, line for line, in `step()`; the operations follow torch's
single-tensor code in the same order, so the numbers match torch.optim's.
"""

import math

from pathgrad.engine.validation import RefusedValue

from .optimizer import Optimizer, check_hyperparameter


def _lerp(start, end, weight):
    """start + weight (end - start), evaluated as torch.lerp does, so the bits match."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


class SGD(Optimizer):
    """Stochastic gradient descent, with momentum, dampening, Nesterov and weight decay.

        g <- g + wd p
        b <- g at t = 1, else mu b + (1 - dampening) g      (when momentum mu > 0)
        g <- g + mu b if nesterov else b
        p <- p - lr g

    >>> from pathgrad import Value
    >>> x = Value(3.0); x.grad = 6.0          # d(x^2)/dx at x = 3
    >>> SGD([x], lr=0.1).step(); x.data
    2.4
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        super().__init__(params, lr)
        self.momentum = check_hyperparameter("SGD", "momentum", momentum, low=0.0)
        self.dampening = check_hyperparameter("SGD", "dampening", dampening, low=0.0)
        self.weight_decay = check_hyperparameter("SGD", "weight_decay", weight_decay, low=0.0)
        if nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise RefusedValue(
                f"SGD: got nesterov=True with momentum={momentum!r}, dampening={dampening!r}; "
                "Nesterov momentum needs momentum > 0 and dampening = 0"
            )
        self.nesterov = bool(nesterov)
        self.momentum_buffer = [None] * len(self.params)

    def step(self):
        lr, mu, wd = self.lr, self.momentum, self.weight_decay
        for i, p in enumerate(self.params):
            g = p.grad
            if wd != 0:
                g = g + wd * p.data
            if mu != 0:
                b = self.momentum_buffer[i]
                b = g if b is None else b * mu + (1 - self.dampening) * g
                self.momentum_buffer[i] = b
                g = g + mu * b if self.nesterov else b
            p.data = p.data + -lr * g


class Adagrad(Optimizer):
    """Adagrad: each parameter's step shrinks with its accumulated squared gradients.

        g <- g + wd p
        lr_t = lr / (1 + (t - 1) lr_decay)
        s <- s + g^2                    (s starts at initial_accumulator_value)
        p <- p - lr_t g / (sqrt(s) + eps)
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10):
        super().__init__(params, lr)
        self.lr_decay = check_hyperparameter("Adagrad", "lr_decay", lr_decay, low=0.0)
        self.weight_decay = check_hyperparameter("Adagrad", "weight_decay", weight_decay, low=0.0)
        start = check_hyperparameter(
            "Adagrad", "initial_accumulator_value", initial_accumulator_value, low=0.0
        )
        self.eps = check_hyperparameter("Adagrad", "eps", eps, low=0.0)
        self.sum = [start] * len(self.params)
        self.t = 0

    def step(self):
        self.t += 1
        lr_t = self.lr / (1 + (self.t - 1) * self.lr_decay)
        for i, p in enumerate(self.params):
            g = p.grad
            if self.weight_decay != 0:
                g = g + self.weight_decay * p.data
            self.sum[i] += g * g
            p.data = p.data + -lr_t * (g / (math.sqrt(self.sum[i]) + self.eps))


class RMSprop(Optimizer):
    """RMSprop: divide the gradient by a running root-mean-square of recent gradients.

        g <- g + wd p
        v <- alpha v + (1 - alpha) g^2
        c <- c + (1 - alpha)(g - c);  d = sqrt(v - c^2) + eps     (centered)
                                      d = sqrt(v) + eps            (otherwise)
        b <- mu b + g / d;  p <- p - lr b      (momentum mu > 0)
        p <- p - lr g / d                      (otherwise)
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False):
        super().__init__(params, lr)
        self.alpha = check_hyperparameter("RMSprop", "alpha", alpha, low=0.0)
        self.eps = check_hyperparameter("RMSprop", "eps", eps, low=0.0)
        self.weight_decay = check_hyperparameter("RMSprop", "weight_decay", weight_decay, low=0.0)
        self.momentum = check_hyperparameter("RMSprop", "momentum", momentum, low=0.0)
        self.centered = bool(centered)
        n = len(self.params)
        self.square_avg = [0.0] * n
        self.grad_avg = [0.0] * n
        self.momentum_buffer = [0.0] * n

    def step(self):
        alpha = self.alpha
        for i, p in enumerate(self.params):
            g = p.grad
            if self.weight_decay != 0:
                g = g + self.weight_decay * p.data
            v = self.square_avg[i] = self.square_avg[i] * alpha + (1 - alpha) * g * g
            if self.centered:
                c = self.grad_avg[i] = _lerp(self.grad_avg[i], g, 1 - alpha)
                d = math.sqrt(v - c * c) + self.eps
            else:
                d = math.sqrt(v) + self.eps
            if self.momentum > 0:
                b = self.momentum_buffer[i] = self.momentum_buffer[i] * self.momentum + g / d
                p.data = p.data + -self.lr * b
            else:
                p.data = p.data + -self.lr * (g / d)


class Adam(Optimizer):
    """Adam: momentum on the gradient, scaled by a running RMS of it, both bias-corrected.

        g <- g + wd p
        m <- m + (1 - beta1)(g - m)            (first moment, torch's lerp)
        v <- beta2 v + (1 - beta2) g^2         (second moment)
        vmax <- max(vmax, v); use vmax for v   (amsgrad)
        p <- p - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    >>> from pathgrad import Value
    >>> x = Value(3.0); x.grad = 6.0
    >>> Adam([x], lr=0.1).step(); round(x.data, 6)   # the first step moves by lr
    2.9
    """

    decoupled_weight_decay = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False):
        super().__init__(params, lr)
        name = type(self).__name__
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise RefusedValue(
                f"{name}: got betas = {betas!r}; "
                "expected a pair (beta1, beta2) in [0, 1)"
            )
        self.beta1 = check_hyperparameter(name, "betas[0]", betas[0], low=0.0, high=1.0)
        self.beta2 = check_hyperparameter(name, "betas[1]", betas[1], low=0.0, high=1.0)
        self.eps = check_hyperparameter(name, "eps", eps, low=0.0)
        self.weight_decay = check_hyperparameter(name, "weight_decay", weight_decay, low=0.0)
        self.amsgrad = bool(amsgrad)
        n = len(self.params)
        self.exp_avg = [0.0] * n
        self.exp_avg_sq = [0.0] * n
        self.max_exp_avg_sq = [0.0] * n
        self.t = 0

    def step(self):
        self.t += 1
        beta1, beta2, lr, wd = self.beta1, self.beta2, self.lr, self.weight_decay
        step_size = lr / (1 - beta1**self.t)
        bias_correction2_sqrt = (1 - beta2**self.t) ** 0.5
        for i, p in enumerate(self.params):
            g = p.grad
            if wd != 0:
                if self.decoupled_weight_decay:
                    p.data = p.data * (1 - lr * wd)
                else:
                    g = g + wd * p.data
            m = self.exp_avg[i] = _lerp(self.exp_avg[i], g, 1 - beta1)
            v = self.exp_avg_sq[i] = self.exp_avg_sq[i] * beta2 + (1 - beta2) * g * g
            if self.amsgrad:
                v = self.max_exp_avg_sq[i] = max(self.max_exp_avg_sq[i], v)
            p.data = p.data + -step_size * (m / (math.sqrt(v) / bias_correction2_sqrt + self.eps))


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter): shrink p, then take Adam's step.

        p <- p (1 - lr wd)
        then Adam's update with wd = 0 in the gradient.

    weight_decay defaults to 1e-2, as torch.optim.AdamW.
    """

    decoupled_weight_decay = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)
