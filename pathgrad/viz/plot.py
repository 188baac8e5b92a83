"""Line charts that JupyterLab and the browser site both show: matplotlib's calls, drawn as Vega-Lite.

In the browser (Pyodide, `make site`) matplotlib cannot be loaded. A Vega-Lite
chart is JSON that JupyterLab and JupyterLite render themselves (the
`application/vnd.vegalite.v5+json` mimetype), so a figure made here shows in
both, with nothing to install. This module takes the few pyplot calls the
notebooks' line charts use, with matplotlib's names and meanings, so the
site's copy of a notebook runs its plotting cell unchanged:

    fig, (left, right) = plt.subplots(1, 2)   ->  two charts side by side (hconcat)
    ax.plot(xs, ys, "o-", label="backward")    ->  a line (with points for "o"), one legend entry
    ax.semilogy / ax.loglog / ax.set_xscale    ->  a log scale on that axis
    ax.axhline(y) / ax.axvline(x)              ->  a rule across the chart

A figure is shown when its cell ends, as matplotlib's inline backend does,
or at `show()`. Anything else (contour plots, scatter plots with colour
maps) is refused in one line naming the call.

>>> fig, ax = subplots()
>>> ax.plot([1, 2, 3], [1.0, 4.0, 9.0], "o-", label="x^2")
>>> ax.set_yscale("log")
>>> spec = fig.spec()
>>> spec["layer"][0]["encoding"]["y"]["scale"], len(spec["layer"][0]["data"]["values"])
({'type': 'log'}, 3)
"""

from pathgrad.engine.validation import RefusedType, RefusedValue

MIMETYPE = "application/vnd.vegalite.v5+json"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
DPI = 72  # matplotlib's figsize is in inches; a chart's width in CSS pixels
COLOURS = {"tab:blue": "#1f77b4", "tab:orange": "#ff7f0e", "tab:green": "#2ca02c", "tab:red": "#d62728",
           "tab:purple": "#9467bd", "grey": "#808080", "gray": "#808080", "k": "#000000"}
CYCLE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
DASHES = {"--": [6, 3], ":": [1, 3], "-.": [6, 3, 1, 3]}
_pending = []  # figures made in the running cell, shown when it ends


class Refused(AttributeError):
    """A pyplot call this module does not draw."""


def _plain(text):
    """Vega-Lite shows text as is: matplotlib's $...$ maths marks are dropped."""
    return None if text is None else str(text).replace("$", "")


def _numbers(values):
    return [float(v) for v in values]


class Axes:
    """One chart: its lines and rules, titles, and each axis's scale and range."""

    def __init__(self, width, height):
        self.width, self.height = width, height
        self.lines, self.rules = [], []
        self.title = self.xlabel = self.ylabel = None
        self.scale = {"x": {}, "y": {}}
        self.legend_shown = False

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
                           "colour": COLOURS.get(color, color) or CYCLE[len(self.lines) % len(CYCLE)],
                           "points": "o" in fmt or "s" in fmt, "dash": DASHES.get(style), "alpha": alpha})

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
        self.rules.append({"axis": "y", "at": float(y), "colour": COLOURS.get(color, color),
                           "dash": DASHES.get(linestyle), "label": _plain(label)})

    def axvline(self, x=0, color="grey", linestyle=None, label=None, **ignored):
        """A vertical rule at x, across the chart (in the legend if labelled)."""
        self.rules.append({"axis": "x", "at": float(x), "colour": COLOURS.get(color, color),
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

    def set_xticks(self, ticks, **ignored):
        pass  # a chart's ticks are Vega-Lite's own

    set_yticks = set_xticks

    def __getattr__(self, name):
        raise Refused(f"plot: Axes.{name} is not drawn in the browser (line charts only: plot, semilogy, loglog, "
                      "axhline, axvline, titles, labels, scales, limits and legends)")

    def spec(self):
        """This chart as a Vega-Lite layer spec: one line per plot call, one rule per axhline/axvline."""
        layers = []
        domain = [line["label"] for line in self.lines] + [r["label"] for r in self.rules if r["label"]]
        colours = [line["colour"] for line in self.lines] + [r["colour"] for r in self.rules if r["label"]]
        # Untitled is "", not None: Vega-Lite drops a null title when it merges layers, and shows the field's name.
        legend = {"title": ""} if self.legend_shown else None
        colour = {"field": "series", "type": "nominal", "title": "", "scale": {"domain": domain, "range": colours},
                  "legend": legend}
        for line in self.lines:
            mark = {"type": "line", "point": line["points"], "clip": True}
            if line["dash"]:
                mark["strokeDash"] = line["dash"]
            if line["alpha"] is not None:
                mark["opacity"] = line["alpha"]
            # A log axis has no place for 0 or less: matplotlib leaves such points out, and so does this.
            values = [{"x": x, "y": y, "series": line["label"]} for x, y in zip(line["xs"], line["ys"])
                      if (x > 0 or self.scale["x"].get("type") != "log") and (y > 0 or self.scale["y"].get("type") != "log")]
            layers.append({
                "data": {"values": values}, "mark": mark,
                "encoding": {"x": {"field": "x", "type": "quantitative", "title": self.xlabel or "",
                                   "scale": dict(self.scale["x"])},
                             "y": {"field": "y", "type": "quantitative", "title": self.ylabel or "",
                                   "scale": dict(self.scale["y"])},
                             "color": colour},
            })
        for rule in self.rules:
            mark = {"type": "rule", "color": rule["colour"]}
            if rule["dash"]:
                mark["strokeDash"] = rule["dash"]
            encoding = {rule["axis"]: {"datum": rule["at"]}}
            if rule["label"]:
                encoding["color"] = {"datum": rule["label"], "scale": colour["scale"], "legend": legend}
            layers.append({"mark": mark, "encoding": encoding})
        spec = {"layer": layers, "width": self.width, "height": self.height}
        if self.title:
            spec["title"] = self.title
        return spec


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


class Figure:
    """Charts laid out in rows and columns; shown as one Vega-Lite spec (JupyterLab, JupyterLite)."""

    def __init__(self, figsize=(6.4, 4.8)):
        self.width, self.height = figsize[0] * DPI, figsize[1] * DPI
        self.cells = {}  # (row, column) -> Axes
        self.title = None
        self.shown = False
        _pending.append(self)
        _show_when_the_cell_ends()

    def add_subplot(self, rows=1, columns=1, index=1):
        """matplotlib's add_subplot(rows, columns, index), index counted from 1 along the rows."""
        row, column = divmod(index - 1, columns)
        axes = Axes(self.width / columns - 60, self.height / rows - 60)
        self.cells[row, column] = axes
        return axes

    def suptitle(self, text, **ignored):
        self.title = _plain(text)

    def tight_layout(self, **ignored):
        pass  # Vega-Lite lays the charts out itself

    def spec(self):
        """The Vega-Lite spec: the charts in rows (vconcat) of columns (hconcat)."""
        drawn = {key: axes.spec() for key, axes in sorted(self.cells.items()) if axes.lines or axes.rules}
        rows = sorted({row for row, _ in drawn})
        grid = [[chart for key, chart in drawn.items() if key[0] == row] for row in rows]
        independent = {"scale": {"color": "independent"}, "legend": {"color": "independent"}}
        body = grid[0][0] if len(drawn) == 1 else {"vconcat": [{"hconcat": row, "resolve": independent} for row in grid],
                                                   "resolve": independent}
        spec = {"$schema": SCHEMA, **body, "config": {"legend": {"orient": "bottom"}}}
        if self.title:
            spec["title"] = self.title
        return spec

    def _repr_mimebundle_(self, include=None, exclude=None):
        self.shown = True
        charts = sum(1 for axes in self.cells.values() if axes.lines or axes.rules)
        return {MIMETYPE: self.spec(), "text/plain": f"<Figure: {charts} chart{'s' * (charts != 1)}, Vega-Lite>"}

    def __getattr__(self, name):
        raise Refused(f"plot: Figure.{name} is not drawn in the browser (subplots, add_subplot, suptitle, "
                      "tight_layout only)")


def subplots(rows=1, columns=1, figsize=(6.4, 4.8), **ignored):
    """(fig, axes) as pyplot's: one Axes, a list of them for one row or column, axes[r, c] for a grid."""
    fig = Figure(figsize)
    axes = [fig.add_subplot(rows, columns, index) for index in range(1, rows * columns + 1)]
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
        if not fig.shown and any(axes.lines or axes.rules for axes in fig.cells.values()):
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
