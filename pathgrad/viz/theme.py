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

PATH_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
# Past seven paths the colours come round again, dashed, then dotted; the legend shows the line.
PATH_DASHES = ("solid", "dashed", "dotted")
DASH_SWATCHES = {"solid": "■■", "dashed": "■ ■", "dotted": "▪ ▪ ▪"}
