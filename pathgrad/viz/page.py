"""The stepper as one self-contained HTML page: frames, caption, slider, buttons.

Frames are embedded as SVG data URIs inside <img> tags, so the page needs no
network, no CDN and no fonts from elsewhere: it works offline, in exported
notebooks and as a file opened in a browser. Each page gets its own id
prefix, so several steppers can live in one notebook. Colours are explicit,
so the controls read well on light and dark themes alike.
"""

import base64
import html
import json
import uuid

_CONTROL_STYLE = (
    "background:#f0f0f0;color:#1a1a1a;border:1px solid #888;border-radius:4px;"
    "padding:2px 10px;font:14px sans-serif;cursor:pointer"
)

_PLAY_INTERVAL_MS = 900

_SCRIPT = """
(function () {
  var uid = %(uid)s;
  var captions = JSON.parse(document.getElementById(uid + "-captions").textContent);
  var frames = [];
  for (var i = 0; i < captions.length; i++) {
    frames.push(document.getElementById(uid + "-frame-" + i));
  }
  var slider = document.getElementById(uid + "-slider");
  var caption = document.getElementById(uid + "-caption");
  var counter = document.getElementById(uid + "-counter");
  var play = document.getElementById(uid + "-play");
  var current = 0, timer = null;
  function show(i) {
    i = Math.max(0, Math.min(frames.length - 1, i));
    frames[current].hidden = true;
    frames[i].hidden = false;
    current = i;
    slider.value = i;
    caption.textContent = captions[i];
    counter.textContent = (i + 1) + " / " + frames.length;
  }
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = "\\u25B6 play";
  }
  document.getElementById(uid + "-prev").onclick = function () { stop(); show(current - 1); };
  document.getElementById(uid + "-next").onclick = function () { stop(); show(current + 1); };
  slider.oninput = function () { stop(); show(Number(slider.value)); };
  play.onclick = function () {
    if (timer !== null) { stop(); return; }
    if (current === frames.length - 1) show(0);
    play.textContent = "\\u275A\\u275A pause";
    timer = setInterval(function () {
      if (current >= frames.length - 1) stop(); else show(current + 1);
    }, %(interval)d);
  };
})();
"""


def svg_data_uri(svg):
    """An SVG document as a data: URI, for an <img> that needs no file."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def fragment(svgs, captions, title):
    """The stepper as an HTML fragment for a notebook cell, with a fresh id prefix."""
    uid = "pathgrad-stepper-" + uuid.uuid4().hex[:12]
    last = len(svgs) - 1
    images = "\n".join(
        f'<img id="{uid}-frame-{i}" src="{svg_data_uri(svg)}" alt="frame {i + 1} of {last + 1}"'
        f'{" hidden" if i else ""}>'
        for i, svg in enumerate(svgs)
    )
    # "</" would end the <script> element early; JSON allows "<\/".
    captions_json = json.dumps(captions).replace("</", "<\\/")
    script = _SCRIPT % {"uid": json.dumps(uid), "interval": _PLAY_INTERVAL_MS}
    return f"""<div id="{uid}" class="pathgrad-stepper" style="background:#ffffff;color:#1a1a1a;\
border:1px solid #ccc;border-radius:6px;padding:8px;font:14px sans-serif">
<div style="font-weight:bold;margin-bottom:4px">{html.escape(title)}</div>
<div style="display:flex;gap:6px;align-items:center;flex-wrap:wrap">
<button type="button" id="{uid}-prev" style="{_CONTROL_STYLE}">&#9664; prev</button>
<button type="button" id="{uid}-play" style="{_CONTROL_STYLE}">&#9654; play</button>
<button type="button" id="{uid}-next" style="{_CONTROL_STYLE}">next &#9654;</button>
<input type="range" id="{uid}-slider" min="0" max="{last}" value="0" step="1" \
aria-label="frame" style="flex:1;min-width:120px">
<span id="{uid}-counter">1 / {last + 1}</span>
</div>
<p id="{uid}-caption" aria-live="polite" style="margin:6px 0;min-height:2.6em">\
{html.escape(captions[0])}</p>
<div style="overflow:auto;max-height:80vh;background:#ffffff">
{images}
</div>
<script type="application/json" id="{uid}-captions">{captions_json}</script>
<script>{script}</script>
</div>"""


def document(svgs, captions, title):
    """The stepper as a whole HTML document, to save and open in a browser."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
</head>
<body style="background:#ffffff;margin:12px">
{fragment(svgs, captions, title)}
</body>
</html>
"""
