"""The scalar GPT of Karpathy's microgpt, written once for any micrograd-style Value.

1 layer, n_embd 16, 4 heads, block size 16: 4,192 parameters, trained on one
name per step with Adam; each step builds a graph of about 60,000 nodes. The
model uses only +, -, *, /, **, exp, log and relu, so the same code runs on
pathgrad's Value and on bench/minimal_value.py's, and from the same seed both
produce the same losses.
"""

import random

N_EMBD, N_HEAD, BLOCK_SIZE = 16, 4, 16
HEAD_DIM = N_EMBD // N_HEAD


class GPT:
    """Parameters, tokenizer and Adam state for one training run on `Value`."""

    def __init__(self, Value, names, seed=42):
        random.seed(seed)
        self.Value = Value
        self.docs = list(names)
        random.shuffle(self.docs)
        self.chars = sorted(set("".join(self.docs)))
        self.bos = len(self.chars)
        vocab = len(self.chars) + 1

        def matrix(rows, columns, std=0.08):
            return [[Value(random.gauss(0, std)) for _ in range(columns)] for _ in range(rows)]

        self.wte, self.wpe = matrix(vocab, N_EMBD), matrix(BLOCK_SIZE, N_EMBD)
        self.wq, self.wk, self.wv, self.wo = (matrix(N_EMBD, N_EMBD) for _ in range(4))
        self.fc1, self.fc2 = matrix(4 * N_EMBD, N_EMBD), matrix(N_EMBD, 4 * N_EMBD)
        self.lm_head = matrix(vocab, N_EMBD)
        matrices = [self.wte, self.wpe, self.lm_head, self.wq, self.wk, self.wv, self.wo, self.fc1, self.fc2]
        self.params = [p for m in matrices for row in m for p in row]
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def forward(self, token, position, keys, values):
        """The logits for the next token; appends this position's key and value."""
        x = [t + p for t, p in zip(self.wte[token], self.wpe[position])]
        x = rmsnorm(x)
        residual = x
        x = rmsnorm(x)
        q, k, v = linear(x, self.wq), linear(x, self.wk), linear(x, self.wv)
        keys.append(k)
        values.append(v)
        attended = []
        for h in range(0, N_EMBD, HEAD_DIM):
            logits = [
                sum(q[h + j] * key[h + j] for j in range(HEAD_DIM)) / HEAD_DIM**0.5 for key in keys
            ]
            weights = softmax(logits)
            attended += [sum(w * value[h + j] for w, value in zip(weights, values)) for j in range(HEAD_DIM)]
        x = [a + b for a, b in zip(linear(attended, self.wo), residual)]
        residual = x
        x = [xi.relu() for xi in linear(rmsnorm(x), self.fc1)]
        x = [a + b for a, b in zip(linear(x, self.fc2), residual)]
        return linear(x, self.lm_head)

    def loss(self, step):
        """The mean cross-entropy over one name's positions (the graph's root)."""
        name = self.docs[step % len(self.docs)]
        tokens = [self.bos] + [self.chars.index(c) for c in name] + [self.bos]
        n = min(BLOCK_SIZE, len(tokens) - 1)
        keys, values, losses = [], [], []
        for position in range(n):
            probs = softmax(self.forward(tokens[position], position, keys, values))
            losses.append(-probs[tokens[position + 1]].log())
        return (1 / n) * sum(losses)

    def step(self, step, steps, lr=0.01, beta1=0.85, beta2=0.99, eps=1e-8):
        """One training step: loss, backward, Adam; returns the loss Value (graph kept)."""
        loss = self.loss(step)
        loss.backward()
        lr_t = lr * (1 - step / steps)
        for i, p in enumerate(self.params):
            self.m[i] = beta1 * self.m[i] + (1 - beta1) * p.grad
            self.v[i] = beta2 * self.v[i] + (1 - beta2) * p.grad**2
            m_hat = self.m[i] / (1 - beta1 ** (step + 1))
            v_hat = self.v[i] / (1 - beta2 ** (step + 1))
            p.data -= lr_t * m_hat / (v_hat**0.5 + eps)
            p.grad = 0.0
        return loss


def linear(x, w):
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]


def softmax(logits):
    top = max(v.data for v in logits)
    exps = [(v - top).exp() for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def rmsnorm(x):
    scale = (sum(xi * xi for xi in x) / len(x) + 1e-5) ** -0.5
    return [xi * scale for xi in x]
