"""numpy's legacy `RandomState(seed)`, draw for draw, in plain Python.

The toy data sets are scikit-learn's, and scikit-learn draws from numpy's
`RandomState`, the generator of `np.random.seed`: the same seed must give the
same data set with numpy and without it (in the browser, where numpy cannot
be loaded). So this is that generator, bit for bit, for the draws pathgrad
makes; each is numpy's legacy algorithm, not its newer `Generator`'s.

- **MT19937**, the Mersenne Twister (Python's own `random` runs it too, seeded
  differently). `RandomState(s)` fills its 624 words by `init_genrand`:
  mt[0] = s, mt[i] = 1812433253 (mt[i-1] xor (mt[i-1] >> 30)) + i (mod 2^32).
  Each 624 draws the words are twisted, and each word is tempered on its way out.
- `random_sample`: a double in [0, 1) from two words, (a >> 5) 2^26 + (b >> 6)
  over 2^53 (the 53 bits of a float's mantissa).
- `uniform(low, high)`: low + (high - low) u.
- `normal(loc, scale)`: loc + scale g, with g from the polar Box-Muller method:
  draw (x1, x2) uniform in [-1, 1)^2 until 0 < r2 = x1^2 + x2^2 < 1, then
  f = sqrt(-2 ln(r2) / r2) makes two independent normals, f x2 (returned) and
  f x1 (kept for the next call).
- `randint`, `shuffle`, `permutation`: a whole number in [0, m] is a draw masked
  to m's bit length, redrawn while it exceeds m (so every number is equally
  likely). shuffle is Fisher-Yates from the end: for i = n-1 down to 1, swap
  item i with item j in [0, i].

`size` is None (one number), an int (a list) or a tuple (nested lists, filled
in C order, as numpy fills an array).

>>> rng = RandomState(1337)
>>> rng.random_sample()  # np.random.RandomState(1337).random_sample()
0.2620246750155817
>>> rng.permutation(5)
[3, 2, 1, 0, 4]
"""

import math

from pathgrad.engine.validation import RefusedValue

N, M = 624, 397  # MT19937's words, and the distance of the word each twist mixes in


class RandomState:
    """numpy's `np.random.RandomState(seed)` for an int seed in [0, 2**32), in plain Python.

    >>> rng = RandomState(0)
    >>> rng.randint(10), rng.uniform(-1.0, 1.0, size=2)
    (5, [0.6885314971620347, 0.7158912352455136])
    """

    def __init__(self, seed):
        self.mt = [seed]
        for i in range(1, N):
            previous = self.mt[-1]
            self.mt.append((1812433253 * (previous ^ (previous >> 30)) + i) & 0xFFFFFFFF)
        self.pos = N  # the first draw twists
        self.gauss = None  # Box-Muller's second normal, until the next call takes it

    def _next32(self):
        """The next 32-bit word: MT19937's output."""
        if self.pos == N:
            self._twist()
        y = self.mt[self.pos]
        self.pos += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        return y ^ (y >> 18)

    def _twist(self):
        mt = self.mt
        for i in range(N):
            y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7FFFFFFF)
            mt[i] = mt[(i + M) % N] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
        self.pos = 0

    def _double(self):
        a, b = self._next32() >> 5, self._next32() >> 6
        return (a * 67108864.0 + b) / 9007199254740992.0

    def _gauss(self):
        if self.gauss is not None:
            g, self.gauss = self.gauss, None
            return g
        while True:
            x1 = 2.0 * self._double() - 1.0
            x2 = 2.0 * self._double() - 1.0
            r2 = x1 * x1 + x2 * x2
            if 0.0 < r2 < 1.0:
                break
        f = math.sqrt(-2.0 * math.log(r2) / r2)
        self.gauss = f * x1
        return f * x2

    def _at_most(self, m):
        """A whole number in [0, m], each equally likely: masked draws, rejected while above m."""
        if m == 0:
            return 0
        mask = (1 << m.bit_length()) - 1
        while True:
            if m <= 0xFFFFFFFF:
                value = self._next32() & mask
            else:  # a 64-bit draw: the first word is the high half
                value = ((self._next32() << 32) | self._next32()) & mask
            if value <= m:
                return value

    def random_sample(self, size=None):
        """Doubles uniform in [0, 1): (a >> 5) 2^26 + (b >> 6), over 2^53."""
        return _filled(self._double, size)

    def uniform(self, low=0.0, high=1.0, size=None):
        """Doubles uniform in [low, high): low + (high - low) u."""
        low, span = float(low), float(high) - float(low)
        return _filled(lambda: low + span * self._double(), size)

    def normal(self, loc=0.0, scale=1.0, size=None):
        """Normal draws of mean `loc` and standard deviation `scale`: loc + scale g (polar Box-Muller)."""
        loc, scale = float(loc), float(scale)
        return _filled(lambda: loc + scale * self._gauss(), size)

    def randint(self, low, high=None, size=None):
        """Integers uniform in [low, high), or in [0, low) without `high`."""
        if high is None:
            low, high = 0, low
        if high <= low:
            raise RefusedValue(f"randint: got low = {low!r} and high = {high!r}; expected low < high")
        return _filled(lambda: low + self._at_most(high - 1 - low), size)

    def shuffle(self, items):
        """Shuffle the list `items` in place: for i = n-1 down to 1, swap items i and j in [0, i]."""
        for i in range(len(items) - 1, 0, -1):
            j = self._at_most(i)
            items[i], items[j] = items[j], items[i]

    def permutation(self, n):
        """[0, 1, ..., n-1] shuffled."""
        order = list(range(n))
        self.shuffle(order)
        return order


def _filled(draw, size):
    """One draw (size None), a list of `size` draws, or nested lists of a tuple's shape, in C order."""
    if size is None:
        return draw()
    if isinstance(size, int):
        return [draw() for _ in range(size)]
    if len(size) == 1:
        return _filled(draw, size[0])
    return [_filled(draw, size[1:]) for _ in range(size[0])]
