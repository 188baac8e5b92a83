"""The stepper as one self-contained HTML page, built by progressive enhancement.

With no script (JupyterLab strips an untrusted output's scripts, ids and
`hidden` attributes), the page is a storyboard: the frames (at most
STORYBOARD_FRAMES, evenly spaced) as <img>s of the part of the graph around
each frame's step, at full size, with their captions, and one line saying
how to step through it. When its script runs,
the same page replaces the storyboard with the stepper: one shared SVG,
changed frame by frame (see film.py and stepper.js).

Nothing is fetched from the network. The page's data is JSON inside a
<script type="application/json">, with <, > and & written as \\u003c and
so on, so no label can end that element or start another: nothing a user
types changes the page's structure. Each page gets its own id prefix, so
several steppers can live in one notebook.
"""

import html
import json
import re
import urllib.parse
import uuid
from pathlib import Path

from .film import least_scale

PLAY_INTERVAL_MS = 900
CONTROLLER = (Path(__file__).with_name("stepper.js")).read_text(encoding="utf-8")

_URL_ESCAPES = {ord(c): f"%{ord(c):02X}" for c in "%#&'" + "".join(map(chr, range(32))) + "\x7f"}
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")

# A storyboard shows at most this many frames, evenly spaced.
STORYBOARD_FRAMES = 60

# CSS px of a stepper's width taken by its border and padding, not its pictures.
STORYBOARD_CHROME = 24

# A storyboard frame, caption included, is at most this many CSS px tall, like the live stepper's
# view (stepper.js: max-height 640px), so its caption and its highlighted node are seen together.
STORYBOARD_HEIGHT = 640
_CAPTION_LINE = 20  # CSS px a caption line takes (14 px text), more than any browser's normal line height
_CAPTION_CHAR = 9  # CSS px a character of it takes, at most, on average: wider than sans-serif's digits
_PICTURE_MARGIN = 4  # CSS px above and below each picture and the caption (the figure's styles)


def figure_caption(index, count, caption):
    """The caption a storyboard shows above frame `index` of `count`: its number, then its caption.

    >>> figure_caption(6, 7, "Backward done.")
    'Frame 7 of 7. Backward done.'
    """
    return f"{frame_number(index, count)}. {caption}"


def picture_room(index, count, caption, width):
    """(CSS px, gap px): the height the pictures of a storyboard's frame `index` of `count` may take
    together under its caption, and the gap between two pictures, so that the frame stays
    STORYBOARD_HEIGHT px tall at most.

    The caption's height is estimated wrapping its words at `width` px, generously.

    >>> picture_room(6, 7, "Backward done.", 928)
    (608, 4)
    """
    lines, used = 1, 0.0
    for word in figure_caption(index, count, caption).split():
        size = (len(word) + 1) * _CAPTION_CHAR
        if used and used + size > width:
            lines, used = lines + 1, 0.0
        used += size
    return STORYBOARD_HEIGHT - lines * _CAPTION_LINE - 3 * _PICTURE_MARGIN, _PICTURE_MARGIN


def svg_data_uri(svg):
    """An SVG document as a data: URI, for an <img> that needs no file.

    Percent-encoded rather than base64, which is a third longer. It goes in a
    single-quoted attribute, so ' is encoded with & % # and every character
    that is not printable ASCII.

    >>> svg_data_uri('<svg a="1 & 2#"/>')
    'data:image/svg+xml,<svg a="1 %26 2%23"/>'
    """
    ascii_safe = svg.translate(_URL_ESCAPES)
    return "data:image/svg+xml," + _NOT_ASCII.sub(lambda m: urllib.parse.quote(m[0], safe=""), ascii_safe)


def frame_number(index, count):
    """How every view of a stepper numbers frame `index` (from 0) of `count`: from 1.

    >>> frame_number(0, 6)
    'Frame 1 of 6'
    """
    return f"Frame {index + 1} of {count}"


def script_json(data):
    """data as JSON that is safe inside any HTML element: no <, > or & appears.

    >>> script_json({"label": "</script><!--"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def stepper_data(shared, captions, width, boxes=None, scopes=None):
    """What the controller script reads: the shared SVG, every frame's change, highlighted and
    named ids and caption, the width to fit (CSS px, None for no limit), the least readable scale,
    and the collapsed boxes and open scopes ({element id: [scope, short name]}) a click reshapes."""
    return {
        "boxes": boxes or {},
        "scopes": scopes or {},
        "svg": shared.svg,
        "changes": shared.changes,
        "focus": shared.focus,
        "named": shared.named,
        "captions": captions,
        "width": width,
        "least": least_scale(shared.svg),
        "interval": PLAY_INTERVAL_MS,
    }


def fragment(data, storyboard, title):
    """The stepper as an HTML fragment for a notebook cell, with a fresh id prefix.

    `storyboard` is {frame index: [(data URI, width px, height px)]} for
    the frames shown, with their captions, when no script runs.
    """
    uid = "pathgrad-stepper-" + uuid.uuid4().hex[:12]
    count = len(data["captions"])
    figures = "\n".join(
        f'<figure style="margin:10px 0">'
        f'<figcaption style="margin:{_PICTURE_MARGIN}px 0">{html.escape(figure_caption(i, count, caption))}</figcaption>'
        + "".join(
            f'<img src=\'{uri}\' width="{width}" height="{height}" alt="{frame_number(i, count).lower()}" '
            f'style="display:block;margin:{_PICTURE_MARGIN}px 0;max-width:100%;height:auto">'
            for uri, width, height in pictures
        )
        + "</figure>"
        for i, pictures in storyboard.items()
        for caption in [data["captions"][i]]
    )
    start = (
        f"(function () {{\n{CONTROLLER}\n"
        f"var uid = {json.dumps(uid)};\n"
        'var data = JSON.parse(document.getElementById(uid + "-data").textContent);\n'
        'document.getElementById(uid + "-storyboard").remove();\n'
        'mountStepper(document.getElementById(uid + "-live"), data);\n'
        "})();"
    )
    return f"""<div id="{uid}" class="pathgrad-stepper" style="background:#ffffff;color:#1a1a1a;\
border:1px solid #ccc;border-radius:6px;padding:8px;font:14px sans-serif;box-sizing:border-box;max-width:100%">
<div style="font-weight:bold;margin-bottom:4px">{html.escape(title)}</div>
<div id="{uid}-storyboard">
<p style="margin:4px 0;font-style:italic">The storyboard of this stepper, {count} frames\
{"" if len(storyboard) == count else f" ({len(storyboard)} of them shown here)"}. \
To step through it, run the notebook from the top (the stepper needs the cells above it), \
or trust it (JupyterLab: Trust Notebook in the command palette) to run its saved script.</p>
{figures}
</div>
<div id="{uid}-live"></div>
<script type="application/json" id="{uid}-data">{script_json(data)}</script>
<script>{start}</script>
</div>"""


def document(data, storyboard, title):
    """The stepper as a whole HTML document, to save and open in a browser."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
</head>
<body style="background:#ffffff;margin:12px">
{fragment(data, storyboard, title)}
</body>
</html>
"""
