"""Colours and fonts shared by every drawing.

Every colour is explicit, text included, and the graph has a white
background of its own, so a drawing reads the same on a light or a dark
Jupyter theme: nothing is drawn in the theme's own text colour on a
transparent background. Path colours are the Okabe-Ito palette, which stays
distinguishable for colour-blind readers.
"""

FONT = "Helvetica,Arial,sans-serif"
BACKGROUND = "white"
TEXT = "#1a1a1a"
LINE = "#404040"
VALUE_FILL = "#f4f4f4"
OP_FILL = "#dbe6f6"

# The node being processed and the edges carrying its grad.
FOCUS_FILL = "#ffd166"
FOCUS_LINE = "#c2410c"

# Edges on no path in draw_paths.
FADED = "#c4c4c4"

# theme="dark", for slides on a dark background: light text and lines on near black.
DARK = {
    "background": "#1e1e1e",
    "text": "#e6e6e6",
    "line": "#a8a8a8",
    "value_fill": "#2b2b2b",
    "op_fill": "#24374f",
}
LIGHT = {"background": BACKGROUND, "text": TEXT, "line": LINE, "value_fill": VALUE_FILL, "op_fill": OP_FILL}
THEMES = {"light": LIGHT, "dark": DARK}

# dot places nodes across ranks by network simplex on a graph with a node for every rank an edge
# crosses. An input used at every step of a 60-step chain crosses them all, 30 times: 15,000 such
# nodes, and 20 s to minutes of layout. Past LONG_EDGES of them, edges leaving one node share
# their way (concentrate, a trunk with branches, as a bus is drawn) and network simplex stops
# after one pass a real node (nslimit), edge labels becoming xlabels: the chain is drawn in a
# second, with or without its local grads. Other drawings are as before.
LONG_EDGES = 2000
BOUNDED_LAYOUT = {"concentrate": "true", "nslimit": "1"}


def styles(look):
    """The attributes every drawing starts from, for a Look's theme, text size and scale.

    `scale` multiplies everything drawn (text, lines, arrows, op nodes), for
    slides, from 0.1 to 10; `fontsize` is the values' text size in points,
    from 4 to 72, and operator symbols and edge labels take the same size: they are read as closely
    as the numbers (a smaller edge label was the first text to go unreadable as a picture shrinks).
    The highlight keeps dark text on amber in either theme.

    >>> from pathgrad.viz.options import Look
    >>> styles(Look(theme="dark", fontsize=12, scale=2))["node"]["fontsize"]
    '24'
    """
    colours, fontsize, scale = THEMES[look.theme], look.fontsize, look.scale

    def size(x):
        return f"{x * scale:g}"

    common = {"color": colours["line"], "fontcolor": colours["text"], "fontname": FONT, "penwidth": size(1)}
    return {
        "graph": {"bgcolor": colours["background"], "fontname": FONT, "fontcolor": colours["text"],
                  "fontsize": size(fontsize), "nodesep": size(0.25), "ranksep": size(0.5)},
        # Top to bottom, edge labels sit beside their edges, between ranks: room for neighbours'.
        "tb": {"nodesep": size(0.6), "ranksep": size(0.6)},
        "node": {"shape": "record", "style": "filled", "fillcolor": colours["value_fill"], **common,
                 "fontsize": size(fontsize), "width": size(0.75), "height": size(0.5)},  # dot's least sizes
        "edge": {**common, "fontsize": size(fontsize), "arrowsize": size(0.7)},
        "op": {"shape": "ellipse", "fillcolor": colours["op_fill"], "width": size(0.5),
               "height": size(0.35), "margin": size(0.05)},
        # An operator written in symbols (*, +, **2) reads smaller than words and digits of its size:
        # a third larger, its glyphs stand as tall as the numbers beside them.
        "symbol": {"fontsize": size(fontsize * 4 / 3)},
        "box": {"shape": "Mrecord", "style": "filled", "fillcolor": colours["op_fill"]},  # a rounded record
        "focus": {"fillcolor": FOCUS_FILL, "color": FOCUS_LINE, "fontcolor": TEXT, "penwidth": size(2)},
        "focus_edge": {"color": FOCUS_LINE, "fontcolor": FOCUS_LINE, "penwidth": size(2)},
    }


PATH_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
# Past seven paths the colours come round again, dashed, then dotted; the legend shows the line.
PATH_DASHES = ("solid", "dashed", "dotted")
DASH_SWATCHES = {"solid": "■■", "dashed": "■ ■", "dotted": "▪ ▪ ▪"}
