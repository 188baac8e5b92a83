"""Nice numbers for axes and colour bands (matplotlib's MaxNLocator), shared by plot.py's two renderers.

A nice step is 1, 2, 2.5 or 5 times a power of ten. nice(low, high, bins)
takes the smallest nice step whose multiples cover [low, high] in at most
`bins` intervals, and returns those multiples, as matplotlib's contourf
chooses its levels and its axes their ticks:

>>> nice(-1.7, 5.0, 8)
[-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
>>> nice(0.0, 1.0, 6, steps=(1, 2, 5))
[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
"""

import math

STEPS = (1, 2, 2.5, 5)  # MaxNLocator's, for contourf's levels


def nice(low, high, bins, steps=STEPS):
    """The multiples of the smallest nice step that cover [low, high] in at most `bins` intervals."""
    if high == low:  # one value: a band around it, as matplotlib's
        low, high = low - 0.5, high + 0.5
    power = 10.0 ** math.floor(math.log10((high - low) / bins))
    for step in [s * power * scale for scale in (1, 10, 100) for s in steps]:
        first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
        if last - first <= bins:
            # round(): 0.1 * 3 is 0.30000000000000004, and a tick's label must read 0.3
            digits = max(0, 12 - math.floor(math.log10(step)))
            return [round(k * step, digits) + 0.0 for k in range(first, last + 1)]
    raise AssertionError("unreachable: a step of 100 times the range covers it in one interval")
