"""One picture, many frames: a stepper is one SVG and, per frame, what changes in it.

dot lays the graph out once, with every label at the longest it gets in any
frame, so nodes stay put while the stepper plays. Each frame is then a small
change of that one SVG: the styles of the highlighted nodes and edges, the
grad texts, the edge texts. The page's script applies those changes; the
same changes applied here, by a `Film`, give each frame's own SVG (`whole`)
and the cropped pictures of the storyboard (`pictures`), which show with no
script.

A change names an element by its id in the SVG (v3, op3, e3_0) and gives its
new look: fill, stroke, width (the outline), font (the text colour) and
texts, as [position from the end, text] pairs, since only a record's last
fields change and a label may span several lines.

>>> from pathgrad import Value
>>> from pathgrad.viz.options import Look
>>> from pathgrad.viz.stepper.frames import reverse_frames
>>> y = Value(3.0, "x") * 2; y.label = "y"
>>> scenes, frames = reverse_frames(y, Look("step_through", rankdir="LR"))
>>> shared = picture(scenes, [state for state, _ in frames])
>>> len(shared.changes), shared.changes[1]["v2"]["texts"]  # frame 1: y's grad is known
(3, [[-1, 'grad 1']])
"""

import math
import re
import xml.etree.ElementTree as ElementTree
from typing import NamedTuple

from .. import theme
from ..digraph import to_digraph, xlabels
from ..dot import run_graphviz

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Namespaced attributes written back as prefixes; Graphviz's WebAssembly build writes xml:space on texts.
_QUALIFIED = {f"{{{XLINK_NS}}}title": "xlink:title", f"{{{XLINK_NS}}}href": "xlink:href", f"{{{XML_NS}}}space": "xml:space"}
_INHERITED = f'font-family="{theme.FONT}" text-anchor="middle" font-size="12.00" fill="{theme.TEXT}"'
_REPEATED = r'<!--.*?-->\n?|<title>[^<]*</title>\n?| font-family="[^"]*"| text-anchor="middle"| font-size="12.00"'
_TEXT_FILL = re.compile(f'(<text[^>]*) fill="{theme.TEXT}"')
# Text is readable at READABLE_PX CSS px or more; a point is PX CSS px.
READABLE_PX = 8
PX = 4 / 3
_MARGIN = 12  # points around what a storyboard window must show
_ASPECT = 0.35  # a storyboard window's least height, as a share of its width
_ROUNDING = 1.02  # a window's least scale over the readable one: its size in px is rounded
_BIG = 400  # drawn nodes past which edge labels become xlabels
_FIELD_BREAK = re.compile(r"(?<!\\)\|")
_ESCAPE = re.compile(r"\\(.)")


class Picture(NamedTuple):
    """The shared SVG, each frame's changes from the frame before, the ids each frame highlights,
    and the ids of the nodes (or boxes) each frame's caption names."""

    svg: str
    changes: list
    focus: list
    named: list


def picture(maker, states):
    """The Picture of a stepper's frames, each a FrameState of the SceneMaker's graph.

    Only the nodes a frame can change are drawn again for it (those whose
    number, highlight or edge attributes differ from the frame before), so
    the work grows with the changes, not with frames times nodes. Frame 0
    changes the SVG dot drew with every label at its longest.
    """
    first = states[0]
    scene = maker.scene(first.numbers.get, first.focus, first.edge_attrs)
    attrs = _attrs_of(scene)
    longest = {key: a.get("label", "") for key, a in attrs.items()}
    lines = {}  # label -> its lines: a stepper's frames repeat most labels
    defaults = scene.defaults
    looks = {key: _look(key, a, lines, defaults) for key, a in attrs.items()}
    redrawn = []  # per frame after the first: {id: attrs} that differ from the frame before
    focus = [[key for key, a in attrs.items() if a.get("color") == theme.FOCUS_LINE]]
    for before, state in zip(states, states[1:]):
        dirty = _dirty(before, state)
        frame, focused = {}, []
        now = set(state.focus)
        drawn = []
        for node in dirty:
            nodes, edges = maker.elements(node, state.numbers.get, now, state.edge_attrs)
            drawn += [a for _, a in nodes] + [a for _, _, a in edges]
        drawn += [maker.box_node(box, now, state.numbers.get)[1] for box, members in maker.members.items()
                  if any(node in dirty for node in members)]
        for a in drawn:
            key = a["id"]
            if a.get("color") == theme.FOCUS_LINE:
                focused.append(key)
            if a != attrs[key]:
                frame[key] = attrs[key] = a
                longest[key] = max(longest[key], a.get("label", ""), key=len)
        redrawn.append(frame)
        focus.append(focused)
    widest = scene._replace(
        nodes=[(name, {**a, "label": longest[a["id"]]}) for name, a in scene.nodes],
        edges=[(t, h, {**a, "label": longest[a["id"]]} if longest[a["id"]] else a) for t, h, a in scene.edges],
    )
    drawn_looks = {key: _look(key, a, lines, defaults) for key, a in _attrs_of(widest).items()}
    if len(widest.nodes) > _BIG:
        widest = widest._replace(edges=xlabels(widest.edges))
    svg = _lean(run_graphviz(to_digraph(widest, maker.look).source, "svg").decode("utf-8"))
    changes = [{key: _change(drawn_looks[key], look) for key, look in looks.items() if look != drawn_looks[key]}]
    for frame in redrawn:
        change = {}
        for key, a in frame.items():
            look = _look(key, a, lines, defaults)
            if look != looks[key]:
                change[key] = _change(looks[key], look)
                looks[key] = look
        changes.append(change)
    named = [list(dict.fromkeys(filter(None, map(maker.element_id, state.named)))) for state in states]
    return Picture(svg, changes, focus, named)


def _attrs_of(scene):
    attrs = {a["id"]: a for _, a in scene.nodes}
    attrs.update((a["id"], a) for _, _, a in scene.edges)
    return attrs


def _dirty(before, state):
    """The nodes whose drawing may differ between two frames."""
    dirty = {node for node, number in state.numbers.items() if before.numbers.get(node, None) != number}
    dirty.update(node for node in before.numbers if node not in state.numbers)
    dirty.update(before.focus, state.focus)
    dirty.update(node for node, _ in before.edge_attrs)
    dirty.update(node for node, _ in state.edge_attrs)
    return dirty


def _lean(svg):
    """dot's SVG without its prolog, comments, titles (node names such as v0->op2) and fonts.

    The font, the centred text, the 12 pt size and the text colour are given
    once, on the <svg> element, where every text inherits them (every shape
    has a fill of its own).
    """
    svg = _TEXT_FILL.sub(r"\1", re.sub(_REPEATED, "", svg, flags=re.S))
    return svg[svg.index("<svg"):].replace("<svg ", f"<svg {_INHERITED} ", 1)


class Film:
    """A Picture played frame by frame: each frame's whole SVG, or a crop of it.

    Iterating changes one SVG tree in place, frame after frame; each element's
    text is written again only when its look changes, so crops of every frame
    of a big graph cost little more than the changes themselves.
    """

    def __init__(self, shared):
        self._changes = shared.changes
        # Parsed without the default namespace, so tags read "g", "text", and output needs no prefixes.
        tree = ElementTree.fromstring(shared.svg.replace(f' xmlns="{SVG_NS}"', "", 1))
        self.size = [float(v) for v in tree.get("viewBox").split()][2:]
        graph = tree.find("g")
        shift = re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", graph.get("transform"))
        self._shift = [float(v) for v in shift.groups()]
        self._open = f'<g id="graph0" class="graph" transform="{graph.get("transform")}">'
        self._background = _text(graph.find("polygon"))
        self._groups = {child.get("id"): child for child in graph if child.tag == "g"}
        self._texts = {key: _text(group) for key, group in self._groups.items()}
        self._stale = set()  # ids changed since their text was last written
        self._boxes = {key: _box(group) for key, group in self._groups.items()}
        self._least = least_scale(shared.svg)

    def __iter__(self):
        """Frame 0, 1, ...: yields the frame's index once its changes are applied."""
        for index, change in enumerate(self._changes):
            for key, look in change.items():
                _apply(self._groups[key], look)
            self._stale.update(change)
            yield index

    def _current_texts(self):
        """{id: its XML text} as the current frame has it, writing again only what changed."""
        for key in self._stale:
            self._texts[key] = _text(self._groups[key])
        self._stale.clear()
        return self._texts

    def whole(self):
        """The current frame as a whole SVG document."""
        width, height = self.size
        return self._document(0, 0, width, height, self._current_texts().values())

    def pictures(self, focus, named, width, height=math.inf, gap=0):
        """The current frame as SVGs that fit `width` CSS px with every text at least READABLE_PX,
        and together no taller than `height` CSS px (with `gap` px between one and the next).

        The whole graph when it fits so; else windows of it at no less than
        the readable scale, which together show whole the highlighted
        elements `focus` and the elements `named` (those nearest the focus
        first, as many as the height leaves room for), each window trimmed to
        what it shows: no blank bands. The first window is centred on the
        focus when what it should show is taller than the height.
        Returns [(svg, width px, height px)].
        """
        least = self._least
        whole = min(1.0, width / (self.size[0] * PX))
        if whole >= least and self.size[1] * PX * whole <= height:
            return [self._window((0, 0, *self.size), width, height)]
        widest = width / (PX * least)  # points a readable window can span
        tx, ty = self._shift
        boxes = [self._boxes[key] for key in dict.fromkeys([*focus, *named]) if key in self._boxes]
        boxes = [(b[0] + tx, b[1] + ty, b[2] + tx, b[3] + ty) for b in boxes]
        if not boxes:
            boxes = [(0, 0, *self.size)]
        floor = least * _ROUNDING  # the readable scale, with room for rounding to whole px
        tallest = height / (PX * floor) / 2  # points a window may span down: half the room, at the least scale
        groups = []  # each a box the window must hold: focus first, then the nearest named
        for box in boxes:
            for g, group in enumerate(groups):
                joined = _union(group, box)
                if joined[2] - joined[0] <= widest - 2 * _MARGIN and joined[3] - joined[1] <= tallest - 2 * _MARGIN:
                    groups[g] = joined
                    break
            else:
                groups.append(box)
        view = min(width / PX, widest)  # a window's width at 100%, or less if a group needs more
        pictures, room = [], height
        for g, (left, top, right, bottom) in enumerate(groups):
            wide, needed = right - left + 2 * _MARGIN, bottom - top + 2 * _MARGIN
            span = max(wide, min(view, self.size[0]))
            scale = min(1.0, width / (span * PX))
            if needed * PX * scale > room and scale > floor:  # smaller, down to readable, to show it whole
                scale = max(room / (needed * PX), floor)
                span = max(wide, min(width / (PX * scale), self.size[0]))
            if g and needed * PX * scale > room:
                continue  # no room left for these named elements
            tall = min(max(needed, min(span * _ASPECT, self.size[1])), room / (PX * scale))
            middle = (top + bottom) / 2
            if needed > tall:  # too tall to show whole: centred on the highlighted element
                middle = (boxes[0][1] + boxes[0][3]) / 2
            x = min(max((left + right - span) / 2, 0), self.size[0] - span)
            y = min(max(middle - tall / 2, 0), self.size[1] - tall)
            pictures.append(self._window((max(x, 0), max(y, 0), span, tall), width, room))
            room -= pictures[-1][2] + gap
        return pictures

    def _window(self, window, width, height=math.inf):
        """(svg, width px, height px): the part of the frame in window (left, top, width, height
        in points), trimmed to the elements it shows, at most `width` CSS px wide and `height` tall."""
        tx, ty = self._shift
        left, top, w, h = window
        inside = (left - tx, top - ty, left - tx + w, top - ty + h)
        inside_keys = [key for key, box in self._boxes.items() if _overlaps(box, inside)]
        if inside_keys:
            content = _union(*(self._boxes[key] for key in inside_keys))
            pad = _MARGIN / 2
            right = min(left + w, content[2] + tx + pad)
            bottom = min(top + h, content[3] + ty + pad)
            left, top = max(left, content[0] + tx - pad), max(top, content[1] + ty - pad)
            w, h = right - left, bottom - top
        scale = min(1.0, width / (w * PX), height / (h * PX))
        texts = self._current_texts()
        svg = self._document(left, top, w, h, (texts[key] for key in inside_keys))
        return svg, round(w * PX * scale), round(h * PX * scale)

    def _document(self, left, top, width, height, texts):
        return (
            f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" width="{width:.0f}pt" height="{height:.0f}pt" '
            f'viewBox="{left:.2f} {top:.2f} {width:.2f} {height:.2f}" {_INHERITED}>'
            f"{self._open}{self._background}{''.join(texts)}</g></svg>"
        )


def _text(element):
    """An SVG element as XML text (what ElementTree.tostring writes, written faster)."""
    attributes = "".join(f' {_QUALIFIED.get(k, k)}="{_escape(v, True)}"' for k, v in element.attrib.items())
    inner = _escape(element.text or "") + "".join(map(_text, element))
    return f"<{element.tag}{attributes}>{inner}</{element.tag}>{_escape(element.tail or '')}"


def _escape(text, attribute=False):
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("\n", "&#10;") if attribute else text


def _box(group):
    """(left, top, right, bottom) of every coordinate the group's shapes and texts use."""
    xs, ys = [], []
    for element in group.iter():
        numbers = [float(v) for v in re.findall(r"-?[\d.]+", element.get("points") or element.get("d") or "")]
        xs += numbers[0::2]
        ys += numbers[1::2]
        if element.get("cx") is not None:
            rx, ry = float(element.get("rx")), float(element.get("ry"))
            xs += [float(element.get("cx")) - rx, float(element.get("cx")) + rx]
            ys += [float(element.get("cy")) - ry, float(element.get("cy")) + ry]
        if element.tag == "text":
            xs.append(float(element.get("x")))
            ys.append(float(element.get("y")))
    return (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, 0.0, 0.0)


def least_scale(svg):
    """The smallest scale at which every text of an SVG drawn in points is READABLE_PX CSS px.

    >>> least_scale('<svg font-size="12.00"><text font-size="10.00">x</text></svg>')
    0.6
    """
    smallest = min(float(size) for size in re.findall(r'font-size="([\d.]+)"', svg))
    return round(READABLE_PX / (smallest * PX), 4)


def _union(*boxes):
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _overlaps(box, window):
    return box[0] <= window[2] and box[2] >= window[0] and box[1] <= window[3] and box[3] >= window[1]


def _look(key, attrs, lines, defaults):
    """An element's look from its DOT attributes and the (node, edge) defaults; `lines` caches label_lines."""
    edge = key.startswith("e")
    attrs = {**defaults[edge], **attrs}
    label = attrs.get("label", "")
    if label not in lines:
        lines[label] = label_lines(label, record=not edge and attrs["shape"] in ("record", "Mrecord"))
    if edge:
        return {"stroke": attrs["color"], "width": attrs["penwidth"], "font": attrs["fontcolor"],
                "texts": lines[label]}
    return {"fill": attrs["fillcolor"], "stroke": attrs["color"], "width": attrs["penwidth"],
            "font": attrs["fontcolor"], "texts": lines[label]}


def _change(before, after):
    """What differs between two looks of one element; texts as [position from the end, text]."""
    change = {key: value for key, value in after.items() if key != "texts" and value != before[key]}
    old, new = before["texts"], after["texts"]
    if old != new:
        # Lines are matched from the end; a label that goes away leaves "" in its place.
        m = max(len(old), len(new))
        old, new = [""] * (m - len(old)) + old, [""] * (m - len(new)) + new
        change["texts"] = [[k - m, line] for k, (was, line) in enumerate(zip(old, new)) if was != line]
    return change


def label_lines(label, record):
    """The lines of text dot draws for a label: a record's fields, each split at line breaks.

    >>> label_lines("{ a | data 2 | grad }", record=True)
    ['a', 'data 2', 'grad']
    >>> label_lines("two\\\\nlines", record=False)
    ['two', 'lines']
    """
    text = str(label)
    if record and text.startswith("{ ") and text.endswith(" }"):
        text = text[2:-2]
    fields = _FIELD_BREAK.split(text) if record else [text]
    lines = []
    for field in fields:
        for line in re.split(r"(?<!\\)\\n", field.strip() if record else field):
            line = _ESCAPE.sub(r"\1", line)
            if line:
                lines.append(line)
    return lines


def _apply(group, look):
    """Give one SVG group (a node or an edge) its new look, as the page's script does."""
    is_edge = group.get("class") == "edge"
    shapes = [e for e in group.iter() if e.tag in ("polygon", "ellipse", "path")]
    outline = shapes if is_edge else shapes[:1]  # a node's outline; an edge's line and arrowhead
    for shape in outline:
        if "fill" in look:
            shape.set("fill", look["fill"])
        if "stroke" in look:
            shape.set("stroke", look["stroke"])
            if is_edge and shape.tag == "polygon":
                shape.set("fill", look["stroke"])
        if "width" in look:
            shape.set("stroke-width", look["width"])
    texts = [e for e in group.iter() if e.tag == "text"]
    for text in texts:
        if "font" in look:
            text.set("fill", look["font"])
    for position, line in look.get("texts", ()):
        texts[position].text = line
