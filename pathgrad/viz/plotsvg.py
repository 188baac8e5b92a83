"""plot.py's figures as a static SVG, and the nice numbers both its renderers use (matplotlib's MaxNLocator).

A Vega-Lite chart needs scripts to be seen. GitHub's and nbviewer's notebook
views, and an untrusted notebook, run none, so each figure also carries this
SVG: drawn in pure Python from the same record plot.py's spec() reads,
with matplotlib's look (5% margins around the data, a contourf's grid fitted
exactly, ticks at nice numbers, log axes at decades). Every text is escaped
and every attribute quoted, so no title or label can change the SVG's
structure, and it holds no script.

A nice step is 1, 2, 2.5 or 5 times a power of ten (1, 2 or 5 for ticks).
nice(low, high, bins) takes the smallest nice step at least (high - low) / bins
and returns its multiples covering [low, high], as matplotlib's contourf
chooses its levels and its axes their ticks:

>>> nice(-1.7, 5.0, 8)
[-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
>>> nice(0.0, 1.0, 6, steps=(1, 2, 5))
[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
"""

import hashlib
import math
from xml.sax.saxutils import escape, quoteattr

STEPS = (1, 2, 2.5, 5)  # MaxNLocator's, for contourf's levels


def nice(low, high, bins, steps=STEPS):
    """The multiples of the smallest nice step of at least (high - low) / bins that cover [low, high]."""
    if high == low:  # one value: a band around it, as matplotlib's
        low, high = low - 0.5, high + 0.5
    power = 10.0 ** math.floor(math.log10((high - low) / bins))
    step = next(s * power * scale for scale in (1, 10) for s in steps if s * power * scale >= (high - low) / bins * (1 - 1e-9))
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    # round(): 0.1 * 3 is 0.30000000000000004, and a tick's label must read 0.3
    digits = max(0, 12 - math.floor(math.log10(step)))
    return [round(k * step, digits) + 0.0 for k in range(first, last + 1)]


# The static image: plot.py's record of a figure, drawn as SVG in pure Python.

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
TICK_FONT, LABEL_FONT, TITLE_FONT, SUPTITLE_FONT = 11, 12, 13, 15  # px: every text at least 11
CHAR = 0.62  # a character's width in font sizes (DejaVu Sans's digits are 0.64, its lower case ~0.6)
NARROW, WIDE = set(" .,:;!|'()[]ijlrtf"), set("mwMW@%")
MARGIN = 0.05  # matplotlib's axes.xmargin and axes.ymargin: data never touches the frame
TEXT, FRAME, GRID = "#222222", "#555555", "#e4e4e4"
LINE_WIDTH = 1.5  # matplotlib's lines.linewidth
POINT_SIZE = 30.0  # a line's "o" points: Vega-Lite's default point, an area in px²
SHAPES = {"s": [(-1, -1), (1, -1), (1, 1), (-1, 1)], "^": [(0, -1.2), (1.1, 0.8), (-1.1, 0.8)],
          "v": [(0, 1.2), (1.1, -0.8), (-1.1, -0.8)], "D": [(0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)]}
MINUS = str.maketrans("-", "\u2212")  # matplotlib's minus sign, U+2212


def _number(value):
    """A pixel coordinate, to a hundredth."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def tag(name, text=None, *, inner=None, **attributes):
    """One SVG element. Every attribute is quoted and the text escaped: no value can change the SVG's structure.

    Attribute names are Python's: stroke_width is stroke-width, class_ is class.
    `inner` is markup this module built (a tspan), not text.

    >>> tag("text", "</text><script>", x=1, class_="title")
    '<text x="1" class="title">&lt;/text&gt;&lt;script&gt;</text>'
    """
    pairs = "".join(f" {key.rstrip('_').replace('_', '-')}={quoteattr(str(value))}"
                    for key, value in attributes.items() if value is not None)
    body = inner if inner is not None else None if text is None else escape(str(text))
    return f"<{name}{pairs}/>" if body is None else f"<{name}{pairs}>{body}</{name}>"


def _width(text, size):
    """About how wide text is in DejaVu Sans (no font is at hand to measure it): by narrow, wide and other letters."""
    narrow = sum(char in NARROW for char in text)
    wide = sum(char in WIDE for char in text)
    return (narrow * 0.36 + wide * 0.9 + (len(text) - narrow - wide) * CHAR) * size


class Scale:
    """One axis's map from data to pixels: linear, or linear in log10 of the data, from [low, high] to [start, end]."""

    def __init__(self, low, high, start, end, log):
        self.low, self.high, self.start, self.end, self.log = low, high, start, end, log

    def __call__(self, value):
        t = math.log10(value) if self.log else value
        return self.start + (t - self.low) / (self.high - self.low) * (self.end - self.start)

    def shows(self, value):
        """Whether value has a place on this axis (a log axis has none for 0 or less) and is finite."""
        return math.isfinite(value) and (value > 0 or not self.log)


def domain(axes, axis):
    """(low, high, log) of an axis as matplotlib autoscales it: the data and 5% more each side, in log10 on a log axis.

    A contourf's grid fixes the range exactly (matplotlib's sticky edges);
    set_xlim/set_ylim's values replace either end.
    """
    log = axes.scale[axis].get("type") == "log"
    key = "xs" if axis == "x" else "ys"
    values = [v for line in axes.lines for v in line[key]] + [v for points in axes.scatters for v in points[key]]
    values += [v for fill in axes.fills for v in fill["extent"][axis]]
    values += [rule["at"] for rule in axes.rules if rule["axis"] == axis]
    shown = [math.log10(v) if log else v for v in values if math.isfinite(v) and (v > 0 or not log)] or [0.0, 1.0]
    low, high = min(shown), max(shown)
    if high == low:
        low, high = low - 0.5, high + 0.5
    elif not axes.fills:
        low, high = low - (high - low) * MARGIN, high + (high - low) * MARGIN
    chosen = axes.scale[axis].get("domain") or [None, None]

    def own(value, automatic):
        if value is None or (log and value <= 0):
            return automatic
        return math.log10(value) if log else float(value)

    return own(chosen[0], low), own(chosen[1], high), log


def _linear_labels(values):
    """Each tick's number with as many decimals as the finest needs, as matplotlib's (0.0, 0.2, ..., 1.0)."""
    if values and (max(abs(v) for v in values) >= 1e6 or 0 < max(abs(v) for v in values) < 1e-4):
        return [f"{v:g}".translate(MINUS) for v in values]
    digits = next(d for d in range(0, 13) if all(abs(round(v, d) - v) <= 1e-9 * max(1.0, abs(v)) for v in values))
    return [f"{v + 0.0:.{digits}f}".translate(MINUS) for v in values]


def ticks(axes, axis, low, high, log, length):
    """[(value, label)]: the ticks set_xticks gave, else nice ones (1, 2 or 5 times a power of ten) or decades."""

    def inside(t):
        return low - 1e-9 * (high - low) <= t <= high + 1e-9 * (high - low)

    chosen = axes.ticks[axis]
    if chosen is not None:
        values = [v for v in chosen if (v > 0 or not log) and inside(math.log10(v) if log else v)]
        return list(zip(values, _linear_labels(values)))
    bins = max(2, min(9, int(length / (3 if axis == "x" else 2) / TICK_FONT)))  # matplotlib's room, for its font
    if log:
        decades = list(range(math.ceil(low - 1e-9), math.floor(high + 1e-9) + 1))
        if len(decades) >= 2:
            stride = math.ceil(len(decades) / bins)
            return [(10.0 ** k, ("10", str(k).translate(MINUS))) for k in decades if k % stride == 0]
        values = [m * 10.0 ** k for k in range(math.floor(low), math.ceil(high) + 1) for m in (1, 2, 5)
                  if inside(math.log10(m * 10.0 ** k))]
        if len(values) >= 2:
            return list(zip(values, [f"{v:g}" for v in values]))
        values = [v for v in nice(10 ** low, 10 ** high, bins, steps=(1, 2, 5)) if v > 0 and inside(math.log10(v))]
        return list(zip(values, _linear_labels(values)))
    for more in range(6):  # at least two ticks inside, as MaxNLocator's min_n_ticks: a narrow chart's x is not one "0"
        values = [v for v in nice(low, high, bins + more, steps=(1, 2, 5)) if inside(v)]
        if len(values) >= 2:
            break
    return list(zip(values, _linear_labels(values)))


def _label_width(label):
    return _width("".join(label), TICK_FONT)


def _label_markup(label, **attributes):
    """A tick's text: a number, or a decade as 10 with its exponent raised (both at the tick size)."""
    if isinstance(label, str):
        return tag("text", label, **attributes)
    base, exponent = label
    return tag("text", inner=escape(base) + tag("tspan", exponent, dy=-5), **attributes)


def _legend_entries(axes):
    entries = [(line["label"], "line", line["colour"], line["dash"], line["points"]) for line in axes.lines
               if line["labelled"]]
    entries += [(rule["label"], "line", rule["colour"], rule["dash"], False) for rule in axes.rules if rule["label"]]
    entries += [(points["label"], "point", points["fills"][0], None, True) for points in axes.scatters
                if points["label"] and len(set(points["fills"])) == 1]
    return entries if axes.legend_shown else []


def _legend_rows(entries, width):
    """The entries in rows no wider than width: (entry, its width) lists."""
    rows, used = [[]], 0.0
    for entry in entries:
        size = 26 + _width(entry[0], TICK_FONT) + 14  # swatch, label, gap
        if rows[-1] and used + size > width:
            rows.append([])
            used = 0.0
        rows[-1].append((entry, size))
        used += size
    return [row for row in rows if row]


def _marker(shape, x, y, area, **paint):
    """A scatter point of matplotlib's marker `shape`, its area in px² (s at 72 dpi)."""
    if shape == "o":
        return tag("circle", cx=_number(x), cy=_number(y), r=_number(math.sqrt(area) / 2), **paint)
    half = math.sqrt(area) / 2
    points = " ".join(f"{_number(x + dx * half)},{_number(y + dy * half)}" for dx, dy in SHAPES[shape])
    return tag("polygon", points=points, **paint)


def _polylines(xs, ys, scale_x, scale_y):
    """A line's points in pixels, split where a value has no place (NaN, or 0 and below on a log axis)."""
    runs, run = [], []
    for x, y in zip(xs, ys):
        if scale_x.shows(x) and scale_y.shows(y):
            run.append(f"{_number(scale_x(x))},{_number(scale_y(y))}")
        elif run:
            runs.append(run)
            run = []
    return [" ".join(points) for points in runs + [run] if points]


def plan(axes, cell, room=None):
    """Where one chart's parts go in cell = (left, top, width, height), pixels: its ranges, ticks and margins.

    The margins hold the title, the ticks' numbers, the axis labels and the
    legend; `room` (top, right, bottom, left) is the least each must be, so
    that charts in one row or column line up, as matplotlib's tight_layout.
    """
    _, _, width, height = cell
    room = room or (0, 0, 0, 0)
    (x_low, x_high, x_log), (y_low, y_high, y_log) = domain(axes, "x"), domain(axes, "y")
    title_size = TITLE_FONT
    while axes.title and title_size > TICK_FONT and _width(axes.title, title_size) > width - 10:
        title_size -= 1
    legend = _legend_rows(_legend_entries(axes), width - 70)
    margin_top = max(room[0], 10 + (title_size + 10 if axes.title else 0))
    margin_bottom = 8 + (TICK_FONT + 10 if axes.ticks["x"] != [] else 0) + (LABEL_FONT + 8 if axes.xlabel else 0)
    margin_bottom = max(room[2], margin_bottom + 18 * len(legend))
    y_ticks = ticks(axes, "y", y_low, y_high, y_log, height - margin_top - margin_bottom)
    margin_left = 10 + (max(map(_label_width, (label for _, label in y_ticks))) + 10 if y_ticks else 0)
    margin_left = max(room[3], margin_left + (LABEL_FONT + 8 if axes.ylabel else 0))
    x_ticks = ticks(axes, "x", x_low, x_high, x_log, width - margin_left - max(room[1], 14))
    margin_right = max(room[1], max(14, _label_width(x_ticks[-1][1]) / 2 + 4) if x_ticks else 10)
    return {"cell": cell, "x": (x_low, x_high, x_log), "y": (y_low, y_high, y_log), "x_ticks": x_ticks,
            "y_ticks": y_ticks, "legend": legend, "title_size": title_size,
            "margins": (margin_top, margin_right, margin_bottom, margin_left)}


def axes_svg(axes, plan, clip):
    """One chart's SVG elements, placed as plan() says; clip names its clip path."""
    left, top, width, height = plan["cell"]
    (x_low, x_high, x_log), (y_low, y_high, y_log) = plan["x"], plan["y"]
    x_ticks, y_ticks, legend, title_size = plan["x_ticks"], plan["y_ticks"], plan["legend"], plan["title_size"]
    margin_top, margin_right, margin_bottom, margin_left = plan["margins"]
    x0, y0 = left + margin_left, top + margin_top
    plot_width, plot_height = width - margin_left - margin_right, height - margin_top - margin_bottom
    if axes.aspect and not (x_log or y_log):  # set_aspect: shrink one side, centred, as matplotlib's adjustable="box"
        wanted = plot_width * axes.aspect * (y_high - y_low) / (x_high - x_low)
        if wanted <= plot_height:
            y0, plot_height = y0 + (plot_height - wanted) / 2, wanted
        else:
            narrower = plot_height / (axes.aspect * (y_high - y_low) / (x_high - x_low))
            x0, plot_width = x0 + (plot_width - narrower) / 2, narrower
    reverse = axes.scale["x"].get("reverse")
    scale_x = Scale(x_low, x_high, x0 + plot_width if reverse else x0, x0 if reverse else x0 + plot_width, x_log)
    scale_y = Scale(y_low, y_high, y0 + plot_height, y0, y_log)

    out = [tag("clipPath", inner=tag("rect", x=_number(x0), y=_number(y0), width=_number(plot_width),
                                     height=_number(plot_height)), id=clip)]
    grid = axes.grid_shown is not False
    for value, _ in x_ticks if grid else []:
        out.append(tag("line", x1=_number(scale_x(value)), x2=_number(scale_x(value)), y1=_number(y0),
                       y2=_number(y0 + plot_height), stroke=GRID))
    for value, _ in y_ticks if grid else []:
        out.append(tag("line", x1=_number(x0), x2=_number(x0 + plot_width), y1=_number(scale_y(value)),
                       y2=_number(scale_y(value)), stroke=GRID))
    marks = []
    for fill in axes.fills:
        group = [tag("rect", x=_number(min(scale_x(c["x"]), scale_x(c["x2"]))), y=_number(min(scale_y(c["y"]), scale_y(c["y2"]))),
                     width=_number(abs(scale_x(c["x2"]) - scale_x(c["x"]))),
                     height=_number(abs(scale_y(c["y2"]) - scale_y(c["y"]))), fill=c["fill"])
                 for c in fill["cells"] if scale_x.shows(c["x"]) and scale_x.shows(c["x2"])
                 and scale_y.shows(c["y"]) and scale_y.shows(c["y2"])]
        marks.append(tag("g", inner="".join(group), opacity=fill["alpha"], shape_rendering="crispEdges"))
    for points in axes.scatters:
        paint = {"stroke": points["edge"], "stroke_width": points["width"] if points["edge"] else None}
        group = [_marker(points["marker"], scale_x(x), scale_y(y), size, fill=colour, **paint)
                 for x, y, colour, size in zip(points["xs"], points["ys"], points["fills"], points["sizes"])
                 if scale_x.shows(x) and scale_y.shows(y)]
        marks.append(tag("g", inner="".join(group), opacity=points["alpha"]))
    for line in axes.lines:
        dash = " ".join(map(str, line["dash"])) if line["dash"] else None
        group = [tag("polyline", points=points, fill="none", stroke=line["colour"], stroke_width=LINE_WIDTH,
                     stroke_dasharray=dash, stroke_linejoin="round") for points in _polylines(line["xs"], line["ys"], scale_x, scale_y)]
        if line["points"]:
            group += [_marker("o", scale_x(x), scale_y(y), POINT_SIZE, fill=line["colour"])
                      for x, y in zip(line["xs"], line["ys"]) if scale_x.shows(x) and scale_y.shows(y)]
        marks.append(tag("g", inner="".join(group), opacity=line["alpha"]))
    for rule in axes.rules:
        dash = " ".join(map(str, rule["dash"])) if rule["dash"] else None
        scale = scale_x if rule["axis"] == "x" else scale_y
        if not scale.shows(rule["at"]):
            continue
        at = _number(scale(rule["at"]))
        ends = ({"x1": at, "x2": at, "y1": _number(y0), "y2": _number(y0 + plot_height)} if rule["axis"] == "x"
                else {"x1": _number(x0), "x2": _number(x0 + plot_width), "y1": at, "y2": at})
        marks.append(tag("line", **ends, stroke=rule["colour"], stroke_width=LINE_WIDTH, stroke_dasharray=dash))
    out.append(tag("g", inner="".join(marks), clip_path=f"url(#{clip})"))
    out.append(tag("rect", x=_number(x0), y=_number(y0), width=_number(plot_width), height=_number(plot_height),
                   fill="none", stroke=FRAME, class_="frame"))
    bottom = y0 + plot_height
    for value, label in x_ticks:
        at = _number(scale_x(value))
        out.append(tag("line", x1=at, x2=at, y1=_number(bottom), y2=_number(bottom + 4), stroke=FRAME))
        out.append(_label_markup(label, x=at, y=_number(bottom + 6 + TICK_FONT), text_anchor="middle", class_="xtick"))
    for value, label in y_ticks:
        at = scale_y(value)
        out.append(tag("line", x1=_number(x0 - 4), x2=_number(x0), y1=_number(at), y2=_number(at), stroke=FRAME))
        out.append(_label_markup(label, x=_number(x0 - 7), y=_number(at + TICK_FONT * 0.35), text_anchor="end",
                                 class_="ytick"))
    below = bottom + 8 + (TICK_FONT + 10 if x_ticks else 0)
    if axes.xlabel:
        out.append(tag("text", axes.xlabel, x=_number(x0 + plot_width / 2), y=_number(below + LABEL_FONT - 4),
                       text_anchor="middle", font_size=LABEL_FONT, class_="xlabel"))
        below += LABEL_FONT + 8
    if axes.ylabel:
        middle = y0 + plot_height / 2
        out.append(tag("text", axes.ylabel, x=_number(left + 10 + LABEL_FONT - 2), y=_number(middle),
                       transform=f"rotate(-90 {_number(left + 10 + LABEL_FONT - 2)} {_number(middle)})",
                       text_anchor="middle", font_size=LABEL_FONT, class_="ylabel"))
    if axes.title:
        out.append(tag("text", axes.title, x=_number(x0 + plot_width / 2), y=_number(top + 10 + title_size),
                       text_anchor="middle", font_size=title_size, class_="title"))
    for number, row in enumerate(legend):
        x = x0 + (plot_width - sum(size for _, size in row)) / 2
        y = below + 9 + 18 * number
        for (label, kind, colour, dash, point), size in row:
            if kind == "line":
                out.append(tag("line", x1=_number(x), x2=_number(x + 20), y1=_number(y), y2=_number(y), stroke=colour,
                               stroke_width=LINE_WIDTH, stroke_dasharray=" ".join(map(str, dash)) if dash else None))
            if point:
                out.append(_marker("o", x + 10, y, POINT_SIZE, fill=colour))
            out.append(tag("text", label, x=_number(x + 26), y=_number(y + TICK_FONT * 0.35), class_="legend"))
            x += size
    return out


def figure_svg(figure):
    """The figure as one SVG document: each drawn chart in the box add_subplot gave it, the suptitle on top.

    >>> from pathgrad.viz import plot
    >>> fig, ax = plot.subplots(figsize=(3, 2))
    >>> ax.plot([0, 1], [0, 1])
    >>> svg = figure_svg(fig)
    >>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="216" height="144"'), "<script" in svg
    (True, False)
    """
    width, height = figure.width, figure.height
    top = SUPTITLE_FONT + 16 if figure.title else 0
    # Clip paths need ids unique on the page that shows several figures: named after what the figure holds.
    record = repr([(figure.width, figure.height, figure.title)] + [sorted(vars(axes).items()) for axes in figure.axes])
    prefix = "pathgrad-plot-" + hashlib.sha1(record.encode()).hexdigest()[:10]
    out = [tag("rect", width=_number(width), height=_number(height), fill="#ffffff")]
    if figure.title:
        out.append(tag("text", figure.title, x=_number(width / 2), y=_number(SUPTITLE_FONT + 6),
                       text_anchor="middle", font_size=SUPTITLE_FONT, class_="suptitle"))
    drawn = [axes for axes in figure.axes if axes.drawn]
    cells = [(axes.box[0] * width, top + axes.box[1] * (height - top), axes.box[2] * width,
              axes.box[3] * (height - top)) for axes in drawn]
    plans = [plan(axes, cell) for axes, cell in zip(drawn, cells)]
    for number, (axes, cell) in enumerate(zip(drawn, cells)):
        # The room the charts in its row (same top and height) and column (same left and width) need
        row = [p["margins"] for other, p in zip(drawn, plans) if (other.box[1], other.box[3]) == (axes.box[1], axes.box[3])]
        column = [p["margins"] for other, p in zip(drawn, plans) if (other.box[0], other.box[2]) == (axes.box[0], axes.box[2])]
        room = (max(m[0] for m in row), max(m[1] for m in column), max(m[2] for m in row), max(m[3] for m in column))
        out += axes_svg(axes, plan(axes, cell, room), f"{prefix}-{number}")
    head = tag("svg", xmlns="http://www.w3.org/2000/svg", width=_number(width), height=_number(height),
               viewBox=f"0 0 {_number(width)} {_number(height)}", font_family=FONT, font_size=TICK_FONT, fill=TEXT)
    return head[:-2] + ">" + "\n".join(out) + "\n</svg>\n"
