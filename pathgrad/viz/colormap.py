"""matplotlib's colour maps, as plot.cm.Spectral and friends: a number in [0, 1] becomes a hex colour.

A matplotlib colour map is a table of 256 colours (its "lut"), filled by
linear interpolation between a few anchor colours; cmap(x) is entry
min(int(x * 256), 255). This module keeps the anchors and does the same
sums, so plot.py colours a scatter's classes and a contourf's bands with
the colours matplotlib would:

    Spectral, RdBu: ColorBrewer's 11 anchors, matplotlib's own table, exact;
    coolwarm, viridis: matplotlib's colours at 33 evenly spaced points
    (within 5 of 255 of matplotlib's in every channel).

>>> Spectral(0.0), Spectral(1.0), Spectral(0.25)
('#9e0142', '#5e4fa2', '#f98e52')
>>> get("viridis") is viridis
True
"""

from pathgrad.engine.validation import RefusedValue

LUT = 256  # entries in matplotlib's table


class Colormap:
    """A colour map: cmap(x) for x in [0, 1] (clipped) is a hex colour, matplotlib's entry for x."""

    def __init__(self, name, anchors):
        self.name = name
        self.anchors = [tuple(int(anchor[i:i + 2], 16) for i in (1, 3, 5)) for anchor in anchors]

    def __call__(self, x):
        entry = min(max(int(x * LUT), 0), LUT - 1)
        where = entry / (LUT - 1) * (len(self.anchors) - 1)
        low = min(int(where), len(self.anchors) - 2)
        share = where - low
        rgb = (a + (b - a) * share for a, b in zip(self.anchors[low], self.anchors[low + 1]))
        return "#" + "".join(f"{round(channel):02x}" for channel in rgb)

    def __repr__(self):
        return f"<Colormap {self.name}>"


Spectral = Colormap("Spectral", ["#9e0142", "#d53e4f", "#f46d43", "#fdae61", "#fee08b", "#ffffbf", "#e6f598",
                                 "#abdda4", "#66c2a5", "#3288bd", "#5e4fa2"])
RdBu = Colormap("RdBu", ["#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de",
                         "#4393c3", "#2166ac", "#053061"])
coolwarm = Colormap("coolwarm", [
    "#3b4cc0", "#445acc", "#4e68d8", "#5875e1", "#6282ea", "#6c8ff1", "#779af7", "#82a6fb", "#8db0fe", "#98b9ff",
    "#a3c2fe", "#aec9fc", "#b9d0f9", "#c3d5f4", "#ccd9ed", "#d5dbe5", "#dddcdc", "#e5d8d1", "#ecd3c5", "#f1ccb8",
    "#f5c4ac", "#f7ba9f", "#f7b093", "#f6a586", "#f4987a", "#f08b6e", "#eb7d62", "#e46e56", "#dd5f4b", "#d44e41",
    "#ca3b37", "#be242e", "#b40426"])
viridis = Colormap("viridis", [
    "#440154", "#470d60", "#48186a", "#482374", "#472d7b", "#453781", "#424086", "#3e4989", "#3b528b", "#375b8d",
    "#33638d", "#2f6b8e", "#2c728e", "#297a8e", "#26828e", "#23898e", "#21918c", "#1f988b", "#1fa088", "#22a785",
    "#28ae80", "#32b67a", "#3fbc73", "#4ec36b", "#5ec962", "#70cf57", "#84d44b", "#98d83e", "#addc30", "#c2df23",
    "#d8e219", "#ece51b", "#fde725"])
BY_NAME = {cmap.name: cmap for cmap in (Spectral, RdBu, coolwarm, viridis)}


def get(cmap):
    """A Colormap, from itself, its name, or None (viridis, matplotlib's default)."""
    if cmap is None:
        return viridis
    if isinstance(cmap, Colormap):
        return cmap
    if cmap in BY_NAME:
        return BY_NAME[cmap]
    raise RefusedValue(f"plot: the colour map {cmap!r} is not drawn here; one of {', '.join(BY_NAME)} is")
