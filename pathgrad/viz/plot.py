"""Charts that JupyterLab and the browser site both show: matplotlib's calls, drawn as Vega-Lite.

In the browser (Pyodide, `make site`) matplotlib cannot be loaded. A Vega-Lite
chart is JSON that JupyterLab and JupyterLite render themselves (the
`application/vnd.vegalite.v5+json` mimetype), so a figure made here shows in
both, with nothing to install. This module takes the pyplot calls the
notebooks use, with matplotlib's names and meanings, so a notebook's
plotting cells run unchanged with `from pathgrad.viz import plot as plt`:

    fig, (left, right) = plt.subplots(1, 2)   ->  two charts side by side (hconcat)
    ax.plot(xs, ys, "o-", label="backward")    ->  a line (with points for "o"), one legend entry
    ax.semilogy / ax.loglog / ax.set_xscale    ->  a log scale on that axis
    ax.axhline(y) / ax.axvline(x)              ->  a rule across the chart
    ax.scatter(xs, ys, c=labels, s=25, cmap=plt.cm.Spectral, edgecolors="k")
                                               ->  points, coloured through the colour map as matplotlib's
    ax.contourf(xx, yy, Z, cmap=plt.cm.Spectral, alpha=0.8)
                                               ->  a meshgrid's cells filled by band (rects, runs merged)
    ax.set_xticks([]); fig.add_subplot(2, 4, 3) -> no ticks; charts placed where matplotlib places them

A figure is shown when its cell ends, as matplotlib's inline backend does,
or at `show()`. Its bundle carries the Vega-Lite and, beside it, a static
SVG of the same figure (plotsvg.py, drawn from the same record) for viewers
that run no scripts: GitHub's and nbviewer's notebook views, an untrusted
notebook. JupyterLab and JupyterLite show the Vega-Lite: their renderer for
it ranks before the SVG's and is "safe", which the SVG's is not, so they
pick it in trusted and untrusted notebooks alike. `fig.savefig("x.svg")`
writes the SVG (".png": drawn from it by resvg, on CPython). Anything else
(bar charts, images, text) is refused in one line naming the call.

>>> fig, ax = subplots()
>>> ax.plot([1, 2, 3], [1.0, 4.0, 9.0], "o-", label="x^2")
>>> ax.set_yscale("log")
>>> spec = fig.spec()
>>> spec["layer"][0]["encoding"]["y"]["scale"], len(spec["layer"][0]["data"]["values"])
({'type': 'log'}, 3)
"""

import re

from pathgrad.engine.validation import RefusedType, RefusedValue
from pathgrad.files import write_atomically
from pathgrad.viz import colormap as cm
from pathgrad.viz.plotsvg import domain, figure_svg, nice

MIMETYPE = "application/vnd.vegalite.v5+json"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
DPI = 72  # matplotlib's figsize is in inches; a chart's width in CSS pixels (and a point is a pixel)
# A notebook's output column is about 945 CSS px wide in JupyterLab at 1400 px with the file browser
# open. matplotlib's inline PNG shrinks to fit it; a Vega-Lite chart would scroll sideways instead.
# So a wider figure is drawn this wide, its height kept (the text keeps its size).
MAX_WIDTH = 880
COLOURS = {"tab:blue": "#1f77b4", "tab:orange": "#ff7f0e", "tab:green": "#2ca02c", "tab:red": "#d62728",
           "tab:purple": "#9467bd", "grey": "#808080", "gray": "#808080", "k": "#000000", "w": "#ffffff",
           "b": "#1f77b4", "r": "#d62728", "g": "#2ca02c", "black": "#000000", "white": "#ffffff"}
CYCLE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
DASHES = {"--": [6, 3], ":": [1, 3], "-.": [6, 3, 1, 3]}
MARKERS = {"o": "circle", "s": "square", "^": "triangle-up", "v": "triangle-down", "D": "diamond"}
SIZE = 36.0  # scatter's default s, in points²: matplotlib's rcParams["lines.markersize"] ** 2
INDEPENDENT = {"scale": {"color": "independent"}, "legend": {"color": "independent"}}
_pending = []  # figures made in the running cell, shown when it ends


class Refused(AttributeError):
    """A pyplot call this module does not draw."""


_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon "
          "phi chi psi omega").split()
_SYMBOLS = {**{name: chr(0x3B1 + k + (k > 16)) for k, name in enumerate(_GREEK)},  # α ... ω (no final ς)
            "Delta": "Δ", "Sigma": "Σ", "Pi": "Π", "Omega": "Ω", "Theta": "Θ", "Lambda": "Λ", "Phi": "Φ",
            "varepsilon": "ε", "partial": "∂", "nabla": "∇", "cdot": "·", "times": "×", "infty": "∞",
            "leq": "≤", "geq": "≥", "neq": "≠", "approx": "≈", "to": "→", "pm": "±", "sqrt": "√",
            ",": " ", ";": " ", " ": " "}
_FUNCTIONS = {"log", "ln", "exp", "sin", "cos", "tan", "tanh", "max", "min", "arg"}
_SUPERSCRIPT = dict(zip("0123456789+-=()nix", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱˣ"))
_SUBSCRIPT = dict(zip("0123456789+-=()aeiknoptx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢₖₙₒₚₜₓ"))


def _maths(tex):
    """One $...$ of matplotlib's mathtext as plain Unicode: \\alpha -> α, \\log -> log, ^2 -> ², _0 -> ₀."""
    out, k = [], 0
    while k < len(tex):
        char = tex[k]
        if char == "\\":
            name = re.match(r"[A-Za-z]+|.", tex[k + 1:])
            name = name.group(0) if name else ""
            out.append(_SYMBOLS.get(name, name if name in _FUNCTIONS else "\\" + name))
            k += 1 + len(name)
        elif char in "^_" and k + 1 < len(tex):
            table = _SUPERSCRIPT if char == "^" else _SUBSCRIPT
            group = re.match(r"\{([^{}]*)\}|.", tex[k + 1:]).group(0)
            inner = _maths(group[1:-1] if group.startswith("{") else group)
            # What has no super/subscript character stays readable: x^(n+1), p_(ij).
            if all(c in table for c in inner):
                out.append("".join(table[c] for c in inner))
            else:
                out.append(char + (inner if len(inner) == 1 else f"({inner})"))
            k += 1 + len(group)
        elif char not in "{}":
            out.append(char)
            k += 1
        else:
            k += 1
    return "".join(out)


def _by_colour(items, key):
    """[(key, items with that key)], in the order each key first appears."""
    groups = {}
    for item in items:
        groups.setdefault(key(item), []).append({k: v for k, v in item.items() if k not in ("fill", "size")})
    return list(groups.items())


def _plain(text):
    """Text as Vega-Lite and the SVG show it: matplotlib's $...$ maths as plain Unicode, the rest as is.

    >>> _plain(r"BCE $-\\log p$"), _plain("softmax $p_0$ of $(z, 1, -1)$"), _plain("MSE $(p-1)^2$")
    ('BCE -log p', 'softmax p₀ of (z, 1, -1)', 'MSE (p-1)²')
    >>> _plain(r"$\\alpha \\cdot x^{n+1}$, loss_fn")
    'α · xⁿ⁺¹, loss_fn'
    """
    if text is None:
        return None
    parts = str(text).split("$")
    return "".join(_maths(part) if k % 2 else part for k, part in enumerate(parts))


def _numbers(values):
    return [float(v) for v in values]


def _short(value):
    """A coordinate to 6 significant digits, a fraction of a pixel on any chart: fewer bytes in the spec."""
    return float(f"{value:.6g}")


def _colour(name):
    return COLOURS.get(name, name)


def _over_white(colour, alpha):
    """A hex colour at opacity alpha (None: 1) on white, as one opaque hex colour."""
    if alpha is None:
        return colour
    return "#" + "".join(f"{round(255 - (255 - int(colour[i:i + 2], 16)) * alpha):02x}" for i in (1, 3, 5))


def _is_bool(value):
    return isinstance(value, bool) or type(value).__name__ in ("bool", "bool_")  # numpy's bool, 2.x and 1.x


def _edges(centres):
    """Where cells centred on `centres` meet: half-way between neighbours, half a step beyond each end."""
    if len(centres) == 1:
        return [centres[0] - 0.5, centres[0] + 0.5]
    middles = [(a + b) / 2 for a, b in zip(centres, centres[1:])]
    return [2 * centres[0] - middles[0], *middles, 2 * centres[-1] - middles[-1]]


class Axes:
    """One chart: its lines, rules, scatters and filled cells, titles, ticks, and each axis's scale and range.

    `box` is where it sits in its figure, as fractions (left, top, width, height),
    the place matplotlib's add_subplot gives it.
    """

    def __init__(self, width, height, box=(0, 0, 1, 1)):
        self.width, self.height, self.box = width, height, box
        self.lines, self.rules, self.scatters, self.fills = [], [], [], []
        self.title = self.xlabel = self.ylabel = None
        self.scale = {"x": {}, "y": {}}
        self.ticks = {"x": None, "y": None}  # None: nice ones chosen by the renderer; []: none
        self.grid_shown = None  # None: each renderer's default
        self.aspect = None
        self.legend_shown = False

    @property
    def drawn(self):
        """Whether anything is drawn on it (an empty chart is left out, as its empty box would say nothing)."""
        return bool(self.lines or self.rules or self.scatters or self.fills)

    def plot(self, *args, label=None, color=None, linestyle=None, alpha=None, **ignored):
        """ax.plot(ys), ax.plot(xs, ys) or ax.plot(xs, ys, fmt): fmt's "o" adds points, "--" and ":" dash."""
        fmt = args[-1] if args and isinstance(args[-1], str) else ""
        data = args[:-1] if fmt else args
        if len(data) == 1:
            ys = _numbers(data[0])
            xs = list(range(len(ys)))
        elif len(data) == 2:
            xs, ys = _numbers(data[0]), _numbers(data[1])
        else:
            raise RefusedType(f"plot: takes ys, or xs and ys (and a format), not {len(data)} sequences")
        if len(xs) != len(ys):
            raise RefusedValue(f"plot: xs has {len(xs)} values and ys {len(ys)}; they must pair up")
        style = linestyle or next((dash for dash in DASHES if dash in fmt), None)
        self.lines.append({"xs": xs, "ys": ys, "label": _plain(label) or f"line {len(self.lines) + 1}",
                           "labelled": bool(_plain(label)),
                           "colour": _colour(color) or CYCLE[len(self.lines) % len(CYCLE)],
                           "points": "o" in fmt or "s" in fmt, "dash": DASHES.get(style), "alpha": alpha})

    def scatter(self, x, y, s=None, c=None, marker=None, cmap=None, vmin=None, vmax=None, alpha=None,
                linewidths=None, *, edgecolors=None, label=None, color=None, **ignored):
        """Points at (x, y), as matplotlib's scatter: s is each point's area in points², c a colour or numbers.

        Numbers in c (class labels, scores) go from [vmin, vmax] (their own
        minimum and maximum unless given) to [0, 1] and through cmap
        (viridis unless given): matplotlib's colours. edgecolors draws a
        ring of linewidths points around each point ("face", the default: none).
        """
        xs, ys = _numbers(x), _numbers(y)
        if len(xs) != len(ys):
            raise RefusedValue(f"scatter: x has {len(xs)} values and y {len(ys)}; they must pair up")
        marker = marker or "o"
        if marker not in MARKERS:
            raise RefusedValue(f"scatter: the marker {marker!r} is not drawn here; one of {', '.join(MARKERS)} is")
        c = color if c is None else c
        if c is None or isinstance(c, str):
            # matplotlib's scatters take the colour cycle in turn, apart from its lines
            fills = [_colour(c) or CYCLE[len(self.scatters) % len(CYCLE)]] * len(xs)
        elif all(isinstance(value, str) for value in c):
            fills = [_colour(value) for value in c]
        else:
            numbers = _numbers(c)
            low = min(numbers) if vmin is None else vmin
            high = max(numbers) if vmax is None else vmax
            colours = cm.get(cmap)
            fills = [colours((value - low) / (high - low) if high != low else 0.0) for value in numbers]
        if len(fills) != len(xs):
            raise RefusedValue(f"scatter: c has {len(fills)} values for {len(xs)} points")
        sizes = [SIZE] * len(xs) if s is None else [float(s)] * len(xs) if not hasattr(s, "__len__") else _numbers(s)
        if len(sizes) != len(xs):
            raise RefusedValue(f"scatter: s has {len(sizes)} values for {len(xs)} points")
        self.scatters.append({"xs": xs, "ys": ys, "fills": fills, "sizes": sizes, "marker": marker, "alpha": alpha,
                              "edge": None if edgecolors in (None, "face", "none") else _colour(edgecolors),
                              "width": 1.0 if linewidths is None else float(linewidths), "label": _plain(label)})

    def contourf(self, *args, levels=None, cmap=None, alpha=None, **ignored):
        """contourf(Z) or contourf(X, Y, Z): Z's cells filled by band, for a grid as numpy.meshgrid gives it.

        Z[i][j] is the value at (X[i][j], Y[i][j]), rows of equal y (X and Y
        may also be the 1-D lists of the columns' x and the rows' y). Each
        cell spans half-way to its neighbours and is filled with the colour
        of its band: between consecutive `levels` (an int n: about n nice
        bands; none: matplotlib's 7 or 8; for booleans [0, 0.5, 1], two bands).
        A band's colour is cmap at its middle, scaled from the lowest level
        to the highest, as matplotlib's. Runs of equal bands along a row are
        one rectangle: a two-class boundary on an 84 x 54 grid is ~150 of them.
        """
        if len(args) == 1:
            grid = [list(row) for row in args[0]]
            xs, ys = list(range(len(grid[0]))), list(range(len(grid)))
        elif len(args) == 3:
            grid = [list(row) for row in args[2]]
            xs = _numbers(args[0][0] if hasattr(args[0][0], "__len__") else args[0])
            ys = _numbers([row[0] for row in args[1]] if hasattr(args[1][0], "__len__") else args[1])
        else:
            raise RefusedType(f"contourf: takes Z, or X, Y and Z, not {len(args)} arrays")
        if len(ys) != len(grid) or any(len(row) != len(xs) for row in grid):
            raise RefusedValue(f"contourf: Z must have a row per y ({len(ys)}) and a column per x ({len(xs)})")
        boolean = all(_is_bool(value) for row in grid for value in row)
        z = [_numbers(row) for row in grid]
        low, high = min(map(min, z)), max(map(max, z))
        if levels is None:
            levels = [0.0, 0.5, 1.0] if boolean else nice(low, high, 8)
        elif isinstance(levels, int):
            levels = nice(low, high, levels + 1)
        else:
            levels = sorted(_numbers(levels))
        colours = cm.get(cmap)
        bands = [colours(((a + b) / 2 - levels[0]) / (levels[-1] - levels[0])) for a, b in zip(levels, levels[1:])]

        def band(value):  # matplotlib's: the lowest band holds its lower level, every band its upper one
            return next((i for i, top in enumerate(levels[1:]) if levels[0] <= value <= top), None)

        x_edges, y_edges = _edges(xs), _edges(ys)
        cells = []
        for row, (bottom, top) in zip(z, zip(y_edges, y_edges[1:])):
            start = 0
            for j in range(1, len(row) + 1):
                if j == len(row) or band(row[j]) != band(row[start]):
                    if band(row[start]) is not None:
                        cells.append({"x": _short(x_edges[start]), "x2": _short(x_edges[j]), "y": _short(bottom),
                                      "y2": _short(top), "fill": bands[band(row[start])]})
                    start = j
        self.fills.append({"cells": cells, "alpha": alpha, "levels": levels,
                           "extent": {"x": [min(xs), max(xs)], "y": [min(ys), max(ys)]}})

    def semilogy(self, *args, **style):
        """plot with a log scale on y."""
        self.set_yscale("log")
        self.plot(*args, **style)

    def loglog(self, *args, **style):
        """plot with log scales on x and y."""
        self.set_xscale("log")
        self.set_yscale("log")
        self.plot(*args, **style)

    def axhline(self, y=0, color="grey", linestyle=None, label=None, **ignored):
        """A horizontal rule at y, across the chart (in the legend if labelled)."""
        self.rules.append({"axis": "y", "at": float(y), "colour": _colour(color),
                           "dash": DASHES.get(linestyle), "label": _plain(label)})

    def axvline(self, x=0, color="grey", linestyle=None, label=None, **ignored):
        """A vertical rule at x, across the chart (in the legend if labelled)."""
        self.rules.append({"axis": "x", "at": float(x), "colour": _colour(color),
                           "dash": DASHES.get(linestyle), "label": _plain(label)})

    def set_xscale(self, kind, base=10):
        """"linear" or "log" (base 10 unless given), as matplotlib's."""
        self.scale["x"].update({"type": kind} if kind != "log" or base == 10 else {"type": kind, "base": base})

    def set_yscale(self, kind, base=10):
        self.scale["y"].update({"type": kind} if kind != "log" or base == 10 else {"type": kind, "base": base})

    def set_xlim(self, low=None, high=None):
        self.scale["x"]["domain"] = [low, high]

    def set_ylim(self, low=None, high=None):
        self.scale["y"]["domain"] = [low, high]

    def invert_xaxis(self):
        self.scale["x"]["reverse"] = True

    def set_title(self, text, **ignored):
        self.title = _plain(text)

    def set_xlabel(self, text, **ignored):
        self.xlabel = _plain(text)

    def set_ylabel(self, text, **ignored):
        self.ylabel = _plain(text)

    def legend(self, **ignored):
        self.legend_shown = True

    def set_xticks(self, ticks, labels=None, **ignored):
        """Ticks at these x values; set_xticks([]) hides the ticks and their numbers, as matplotlib's."""
        self._set_ticks("x", ticks, labels)

    def set_yticks(self, ticks, labels=None, **ignored):
        """Ticks at these y values; set_yticks([]) hides the ticks and their numbers, as matplotlib's."""
        self._set_ticks("y", ticks, labels)

    def _set_ticks(self, axis, ticks, labels):
        if labels is not None:
            raise RefusedValue(f"set_{axis}ticks: labels are not drawn here; the ticks' own numbers are")
        self.ticks[axis] = _numbers(ticks)

    def grid(self, visible=True, **ignored):
        """Grid lines at the ticks, or none (grid(False))."""
        self.grid_shown = bool(visible)

    def set_aspect(self, aspect, **ignored):
        """"equal" (or a number: how much longer a y unit is drawn than an x unit) keeps the data's proportions."""
        self.aspect = None if aspect == "auto" else 1.0 if aspect == "equal" else float(aspect)

    def __getattr__(self, name):
        raise Refused(f"plot: Axes.{name} is not drawn in the browser (plot, scatter, contourf, semilogy, loglog, "
                      "axhline, axvline, titles, labels, scales, limits, ticks, grids and legends only)")

    def _encoding(self, axis, title):
        """The x or y channel every layer shares: its scale, its axis (ticks and grid), its title."""
        scale = dict(self.scale[axis])
        if self.fills and "domain" not in scale:  # matplotlib's contourf fits the axes to the grid, exactly
            extents = [fill["extent"][axis] for fill in self.fills]
            scale.update(domain=[min(e[0] for e in extents), max(e[1] for e in extents)], nice=False, zero=False)
        elif self.scatters and "domain" not in scale:
            scale["zero"] = False
        channel = {"type": "quantitative", "title": title or "", "scale": scale}
        axis_spec = {}
        if self.ticks[axis] == []:
            axis_spec = {"ticks": False, "labels": False, "grid": False}
        elif self.ticks[axis]:
            axis_spec = {"values": self.ticks[axis]}
        if self.grid_shown is not None and self.ticks[axis] != []:
            axis_spec["grid"] = self.grid_shown
        if axis_spec:
            channel["axis"] = axis_spec
        return channel

    def spec(self):
        """This chart as a Vega-Lite layer spec: filled cells, scatters, lines, rules: matplotlib's order (zorder)."""
        layers = []
        labelled_scatters = [s for s in self.scatters if s["label"] and len(set(s["fills"])) == 1]
        series = ([line["label"] for line in self.lines] + [r["label"] for r in self.rules if r["label"]]
                  + [s["label"] for s in labelled_scatters])
        colours = ([line["colour"] for line in self.lines] + [r["colour"] for r in self.rules if r["label"]]
                   + [s["fills"][0] for s in labelled_scatters])
        # Untitled is "", not None: Vega-Lite drops a null title when it merges layers, and shows the field's name.
        legend = {"title": ""} if self.legend_shown else None
        if legend and not all(line["labelled"] for line in self.lines):  # matplotlib lists only labelled lines
            legend["values"] = [name for name in series if name not in
                                {line["label"] for line in self.lines if not line["labelled"]}]
        colour = {"field": "series", "type": "nominal", "title": "", "scale": {"domain": series, "range": colours},
                  "legend": legend}
        x, y = self._encoding("x", self.xlabel), self._encoding("y", self.ylabel)
        width, height = self.width, self.height
        if self.aspect and "log" not in (self.scale["x"].get("type"), self.scale["y"].get("type")):
            # set_aspect: the SVG's ranges, fixed, and the chart shrunk on one side to keep their proportions
            (x_low, x_high, _), (y_low, y_high, _) = domain(self, "x"), domain(self, "y")
            wanted = width * self.aspect * (y_high - y_low) / (x_high - x_low)
            width, height = (width, wanted) if wanted <= height else (width * height / wanted, height)
            x["scale"].update(domain=[x_low, x_high], nice=False, zero=False)
            y["scale"].update(domain=[y_low, y_high], nice=False, zero=False)
        for fill in self.fills:
            # Opaque, alpha blended onto the white below, and stroked in its own colour: a browser's canvas
            # draws the edge of each cell half-covered, and translucent cells would show seams between rows.
            # One layer per colour, the colour on the mark: no `"scale": null`, which the browser site's
            # kernel hands to JupyterLite as undefined (Vega-Lite then colours by its default scheme).
            for colour_, cells in _by_colour(fill["cells"], lambda cell: _over_white(cell["fill"], fill["alpha"])):
                layers.append({"data": {"values": cells},
                               "mark": {"type": "rect", "clip": True, "strokeWidth": 1, "fill": colour_, "stroke": colour_},
                               "encoding": {"x": {"field": "x", **x}, "x2": {"field": "x2"}, "y": {"field": "y", **y},
                                            "y2": {"field": "y2"}}})
        for points in self.scatters:
            layers += self._scatter_layers(points, x, y, colour, legend)
        for line in self.lines:
            mark = {"type": "line", "point": line["points"], "clip": True}
            if line["dash"]:
                mark["strokeDash"] = line["dash"]
            if line["alpha"] is not None:
                mark["opacity"] = line["alpha"]
            # A log axis has no place for 0 or less: matplotlib leaves such points out, and so does this.
            values = [{"x": x_, "y": y_, "series": line["label"]} for x_, y_ in zip(line["xs"], line["ys"])
                      if (x_ > 0 or self.scale["x"].get("type") != "log") and (y_ > 0 or self.scale["y"].get("type") != "log")]
            layers.append({"data": {"values": values}, "mark": mark,
                           "encoding": {"x": {"field": "x", **x}, "y": {"field": "y", **y}, "color": colour}})
        for rule in self.rules:
            mark = {"type": "rule", "color": rule["colour"]}
            if rule["dash"]:
                mark["strokeDash"] = rule["dash"]
            encoding = {rule["axis"]: {"datum": rule["at"]}}
            if rule["label"]:
                encoding["color"] = {"datum": rule["label"], "scale": colour["scale"], "legend": legend}
            layers.append({"mark": mark, "encoding": encoding})
        spec = {"layer": layers, "width": width, "height": height}
        if self.title:
            spec["title"] = self.title
        return spec

    def _scatter_layers(self, points, x, y, colour, legend):
        """Point marks, one layer per colour and size (each on the mark, not a null-scaled field: see the
        fills). Vega-Lite's size is the symbol's area in pixels², matplotlib's s at 72 dpi."""
        # Opaque unless alpha says otherwise: Vega-Lite's points are 0.7 opaque by default, matplotlib's 1.
        mark = {"type": "point", "shape": MARKERS[points["marker"]], "filled": True, "clip": True,
                "opacity": 1 if points["alpha"] is None else points["alpha"]}
        if points["edge"]:
            mark.update(stroke=points["edge"], strokeWidth=points["width"])
        values = [{"x": _short(x_), "y": _short(y_), "fill": fill, "size": size}
                  for x_, y_, fill, size in zip(points["xs"], points["ys"], points["fills"], points["sizes"])]
        layers = []
        for (fill, size), group in _by_colour(values, lambda value: (value["fill"], value["size"])):
            encoding = {"x": {"field": "x", **x}, "y": {"field": "y", **y}}
            if points["label"] and len(set(points["fills"])) == 1:
                encoding["color"] = {"datum": points["label"], "scale": colour["scale"], "legend": legend}
            layers.append({"data": {"values": [{"x": v["x"], "y": v["y"]} for v in group]},
                           "mark": {**mark, "fill": fill, "size": size}, "encoding": encoding})
        return layers


class Grid(list):
    """The axes of subplots(rows, columns): axes[i] in a row or column, axes[r, c] in a grid, as numpy's array."""

    def __init__(self, axes, columns):
        super().__init__(axes)
        self.columns = columns

    def __getitem__(self, index):
        if isinstance(index, tuple):
            row, column = index
            return list.__getitem__(self, row * self.columns + column)
        return list.__getitem__(self, index)


def _boxes(rows, columns, width_ratios=None, height_ratios=None):
    """Each cell of a rows x columns grid as (left, top, width, height) fractions of the figure, along the rows."""
    widths, heights = width_ratios or [1] * columns, height_ratios or [1] * rows
    lefts = [sum(widths[:c]) / sum(widths) for c in range(columns)]
    tops = [sum(heights[:r]) / sum(heights) for r in range(rows)]
    return [(lefts[c], tops[r], widths[c] / sum(widths), heights[r] / sum(heights))
            for r in range(rows) for c in range(columns)]


def _split(charts, start):
    """charts ((box, spec) pairs) in groups that a gap separates along x (start 0) or y (start 1), in order."""
    groups, reach = [], None
    for chart in sorted(charts, key=lambda chart: chart[0][start]):
        box = chart[0]
        if reach is None or box[start] >= reach - 1e-9:
            groups.append([])
            reach = box[start]
        groups[-1].append(chart)
        reach = max(reach, box[start] + box[start + 2])
    return groups


def _arranged(charts):
    """Charts placed as their boxes say: rows (vconcat) of columns (hconcat), nested as deep as the layout is.

    A (1, 2, 1) chart beside four (2, 4, k) ones is one row of two columns,
    the second of which is two rows of two charts: matplotlib's places.
    """
    if len(charts) == 1:
        return charts[0][1]
    for concat, start in (("vconcat", 1), ("hconcat", 0)):
        groups = _split(charts, start)
        if len(groups) > 1:
            return {concat: [_arranged(group) for group in groups], "resolve": INDEPENDENT}
    return {"vconcat": [chart for _, chart in charts], "resolve": INDEPENDENT}  # overlapping boxes: one under another


class Figure:
    """Charts placed as add_subplot places them; shown as one Vega-Lite spec (JupyterLab, JupyterLite)."""

    def __init__(self, figsize=(6.4, 4.8)):
        self.width, self.height = min(figsize[0] * DPI, MAX_WIDTH), figsize[1] * DPI
        self.axes = []  # in the order they were added, as matplotlib's fig.axes
        self.title = None
        self.shown = False
        _pending.append(self)
        _show_when_the_cell_ends()

    def add_subplot(self, rows=1, columns=1, index=1):
        """matplotlib's add_subplot(rows, columns, index), index counted from 1 along the rows (or 121 for 1, 2, 1)."""
        if rows >= 100 and columns == 1 and index == 1:
            rows, columns, index = rows // 100, rows // 10 % 10, rows % 10
        if not 1 <= index <= rows * columns:
            raise RefusedValue(f"add_subplot: index {index} is not in 1..{rows * columns} for {rows} x {columns}")
        return self._add(_boxes(rows, columns)[index - 1])

    def _add(self, box):
        axes = Axes(self.width * box[2] - 60, self.height * box[3] - 60, box)
        self.axes.append(axes)
        return axes

    def suptitle(self, text, **ignored):
        self.title = _plain(text)

    def tight_layout(self, **ignored):
        pass  # Vega-Lite lays the charts out itself

    def spec(self):
        """The Vega-Lite spec: the charts in rows (vconcat) of columns (hconcat), as their boxes lie."""
        drawn = [(axes.box, axes.spec()) for axes in self.axes if axes.drawn]
        body = _arranged(drawn) if len(drawn) != 1 else drawn[0][1]
        spec = {"$schema": SCHEMA, **body, "config": {"legend": {"orient": "bottom"}}}
        if self.title:
            spec["title"] = self.title
        return spec

    def svg(self):
        """The same figure as a static SVG document (plotsvg.figure_svg), for viewers that run no scripts."""
        return figure_svg(self)

    def savefig(self, path, **ignored):
        """Write the figure as SVG (path ending .svg) or PNG (.png, drawn from the SVG by resvg, on CPython)."""
        suffix = str(path).rsplit(".", 1)[-1].lower() if "." in str(path) else ""
        if suffix == "svg":
            write_atomically(path, self.svg().encode())
        elif suffix == "png":
            try:
                import resvg_py
            except ImportError:
                raise RefusedValue(f"savefig: PNG needs resvg-py, which is not installed here (in the browser: "
                                   f"save as .svg); {path!r}") from None
            from pathgrad.viz.wasm import FALLBACK_FONTS

            write_atomically(path, bytes(resvg_py.svg_to_bytes(svg_string=self.svg(), **FALLBACK_FONTS)))
        else:
            raise RefusedValue(f"savefig: {path!r} must end in .svg or .png")

    def _repr_mimebundle_(self, include=None, exclude=None):
        """Vega-Lite for JupyterLab and JupyterLite, the SVG beside it for viewers that run no scripts."""
        self.shown = True
        charts = sum(1 for axes in self.axes if axes.drawn)
        return {MIMETYPE: self.spec(), "image/svg+xml": self.svg(),
                "text/plain": f"<Figure: {charts} chart{'s' * (charts != 1)}, Vega-Lite>"}

    def __getattr__(self, name):
        raise Refused(f"plot: Figure.{name} is not drawn in the browser (subplots, add_subplot, suptitle, "
                      "tight_layout only)")


def subplots(rows=1, columns=1, figsize=(6.4, 4.8), gridspec_kw=None, **ignored):
    """(fig, axes) as pyplot's: one Axes, a list of them for one row or column, axes[r, c] for a grid.

    gridspec_kw's width_ratios and height_ratios size the columns and rows, as matplotlib's.
    """
    fig = Figure(figsize)
    ratios = {key: value for key, value in (gridspec_kw or {}).items() if key in ("width_ratios", "height_ratios")}
    axes = [fig._add(box) for box in _boxes(rows, columns, **ratios)]
    if rows * columns == 1:
        return fig, axes[0]
    return fig, Grid(axes, columns)


def figure(figsize=(6.4, 4.8), **ignored):
    """An empty Figure of figsize inches, to fill with add_subplot."""
    return Figure(figsize)


def show():
    """Show the figures made since the last show, now (inside a cell, as pyplot's show)."""
    _show_pending()


def _show_pending(*ignored):
    from IPython.display import display

    while _pending:
        fig = _pending.pop(0)
        if not fig.shown and any(axes.drawn for axes in fig.axes):
            display(fig)


_hooked = []


def _show_when_the_cell_ends():
    """Register, once, the IPython hook that shows the cell's figures as it ends (what %matplotlib inline does)."""
    if _hooked:
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.events.register("post_run_cell", _show_pending)
        _hooked.append(shell)


def __getattr__(name):
    raise Refused(f"plot: pyplot.{name} is not drawn in the browser (subplots, figure, show only)")
