// The stepper's controls, shared by the HTML page and the Jupyter widget.
// data: {svg, captions, changes, focus, named, width, least, interval}. Frame i
// is the shared SVG with changes[0..i] applied; each change gives elements (by id) a new look:
// fill, stroke, width (outline), font (text colour), texts ([position from the
// end, text] pairs). film.py applies the same changes to draw the storyboard.
// data.boxes {id: [scope, short name]} are collapsed scopes, data.scopes {id: [scope, short name]}
// the open scope each node is in. Clicking a box (or Enter or Space on it) asks reshape({expand: scope}),
// clicking a node in an open scope reshape({collapse: scope}); the widget's kernel then sends new data.
// Without reshape (a saved page), the caption says how to open the box. A request carries the
// frame shown, and the new data opens at `place`: the frame of the same step (frames.same_place).
function mountStepper(root, data, reshape, place) {
  var count = data.captions.length;
  function make(tag, style, text) {
    var element = document.createElement(tag);
    if (style) element.style.cssText = style;
    if (text !== undefined) element.textContent = text;
    return element;
  }
  var control = "background:#f0f0f0;color:#1a1a1a;border:1px solid #888;border-radius:4px;" +
    "padding:2px 10px;font:14px sans-serif;cursor:pointer";
  function button(text, title) {
    var b = make("button", control, text);
    b.type = "button";
    b.title = title;
    return b;
  }
  root.textContent = "";
  var bar = make("div", "display:flex;gap:6px;align-items:center;flex-wrap:wrap");
  var first = button("\u00AB first", "first frame (Home)");
  var prev = button("\u25C0 prev", "previous frame (\u2190)");
  var play = button("\u25B6 play", "play or pause (space)");
  var next = button("next \u25B6", "next frame (\u2192)");
  var last = button("last \u00BB", "last frame (End)");
  var slider = make("input", "flex:1;min-width:120px");
  slider.type = "range"; slider.min = 0; slider.max = count - 1; slider.step = 1; slider.value = 0;
  slider.setAttribute("aria-label", "frame");
  var counter = make("span", "font:14px sans-serif;min-width:7em", "");
  counter.className = "pathgrad-counter";
  var speed = make("select", control);
  speed.title = "speed";
  [["0.5", "0.5\u00D7"], ["1", "1\u00D7"], ["2", "2\u00D7"], ["4", "4\u00D7"]].forEach(function (pair) {
    var option = make("option", "", pair[1]);
    option.value = pair[0];
    speed.appendChild(option);
  });
  speed.value = "1";
  var fit = button("whole", "show the whole graph at once, or at a readable size");
  [first, prev, play, next, last, slider, counter, speed, fit].forEach(function (c) { bar.appendChild(c); });
  var caption = make("p", "margin:6px 0;min-height:2.6em;font:14px sans-serif");
  caption.setAttribute("aria-live", "polite");
  caption.className = "pathgrad-caption";
  // No taller than the visible notebook area, so the view and its scroll bars are seen whole.
  var view = make("div", "overflow:auto;max-height:min(70vh,640px);max-width:100%;background:#ffffff;" +
    "border:1px solid #ddd;outline:none");
  view.tabIndex = 0;
  view.className = "pathgrad-view";
  [bar, caption, view].forEach(function (part) { root.appendChild(part); });

  var svg, groups, current = -1, timer = null, fitted = false;
  function reset() {
    var parsed = new DOMParser().parseFromString(data.svg, "image/svg+xml").documentElement;
    svg = document.importNode(parsed, true);
    view.textContent = "";
    view.appendChild(svg);
    groups = {};
    svg.querySelectorAll("g[id]").forEach(function (g) { groups[g.id] = g; });
    current = -1;
    sizeView();
    wire();
  }
  function wire() {
    // Collapsed boxes open and open scopes close: titles say how, clicks and keys do it.
    Object.keys(data.boxes || {}).forEach(function (id) {
      var g = groups[id], scope = data.boxes[id];
      if (!g) return;
      var how = reshape ? "click (or Enter) to expand " + scope[1] :
        scope[1] + " is collapsed: step_through(..., expand=" + JSON.stringify([scope[1]]) + ") steps through it";
      label(g, how);
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("data-pathgrad-expand", scope[0]);
      g.onclick = function () { open(scope, how); };
    });
    if (!reshape) return;
    Object.keys(data.scopes || {}).forEach(function (id) {
      var g = groups[id], scope = data.scopes[id];
      if (!g) return;
      label(g, "in " + scope[1] + ": click to collapse " + scope[1] + " into one box");
      g.onclick = function () { stop(); reshape({collapse: scope[0], frame: current}); };
    });
  }
  function label(g, text) {
    var title = g.querySelector("title");
    if (!title) { title = document.createElementNS(svg.namespaceURI, "title"); g.insertBefore(title, g.firstChild); }
    title.textContent = text;
    g.setAttribute("aria-label", text);
    g.style.cursor = "pointer";
  }
  function open(scope, how) {
    stop();
    if (reshape) reshape({expand: scope[0], frame: current}); else caption.textContent = how + ".";
  }
  function sizeView() {
    // Readable: the target width (data.width, or the view's if narrower) but never below the
    // scale at which the smallest text is 8 CSS px (data.least); whole: all of it in the view.
    var natural = svg.viewBox.baseVal.width * 4 / 3;
    var room = view.clientWidth || natural;
    var target = data.width === null ? natural : Math.min(data.width, room);
    var scale = fitted ? Math.min(1, room / natural) : Math.max(data.least, Math.min(1, target / natural));
    svg.style.maxWidth = "none";
    svg.style.width = (natural * scale) + "px";
    svg.style.height = "auto";
    svg.style.display = "block";
    fit.textContent = fitted ? "readable" : "whole";
  }
  function apply(change) {
    Object.keys(change).forEach(function (id) {
      var look = change[id], group = groups[id], isEdge = group.getAttribute("class") === "edge";
      var shapes = group.querySelectorAll("polygon, ellipse, path");
      var outline = isEdge ? Array.prototype.slice.call(shapes) : Array.prototype.slice.call(shapes, 0, 1);
      outline.forEach(function (shape) {
        if ("fill" in look) shape.setAttribute("fill", look.fill);
        if ("stroke" in look) {
          shape.setAttribute("stroke", look.stroke);
          if (isEdge && shape.tagName === "polygon") shape.setAttribute("fill", look.stroke);
        }
        if ("width" in look) shape.setAttribute("stroke-width", look.width);
      });
      var texts = group.querySelectorAll("text");
      if ("font" in look) texts.forEach(function (t) { t.setAttribute("fill", look.font); });
      (look.texts || []).forEach(function (pair) { texts[texts.length + pair[0]].textContent = pair[1]; });
    });
  }
  function union(ids) {
    var box = null;
    ids.forEach(function (id) {
      if (!groups[id]) return;
      var r = groups[id].getBoundingClientRect();
      box = box ? {left: Math.min(box.left, r.left), top: Math.min(box.top, r.top),
                   right: Math.max(box.right, r.right), bottom: Math.max(box.bottom, r.bottom)} : r;
    });
    return box;
  }
  function follow(i) {
    // Keep frame i's highlighted node (with its grad) wholly in view, and its edges too where
    // they fit; with nothing highlighted, the nodes its caption names.
    var ids = data.focus[i].length ? data.focus[i] : data.named[i];
    var nodes = ids.filter(function (id) { return id.charAt(0) !== "e"; });
    var frame = view.getBoundingClientRect();
    var width = view.clientWidth, height = view.clientHeight;
    var box = union(ids);
    if (!box || box.right - box.left > width || box.bottom - box.top > height) box = union(nodes.slice(0, 1));
    if (!box) return;
    var x = box.left - frame.left - view.clientLeft, y = box.top - frame.top - view.clientTop;
    var w = box.right - box.left, h = box.bottom - box.top;
    var left = view.scrollLeft, top = view.scrollTop;
    if (x < 0 || x + w > width) left += x + w / 2 - width / 2;
    if (y < 0 || y + h > height) top += y + h / 2 - height / 2;
    view.scrollTo(left, top);
  }
  function show(i) {
    i = Math.max(0, Math.min(count - 1, i));
    if (i < current) reset();
    for (var k = current + 1; k <= i; k++) apply(data.changes[k]);
    current = i;
    slider.value = i;
    caption.textContent = data.captions[i];
    counter.textContent = "Frame " + (i + 1) + " of " + count;  // as page.frame_number writes it
    follow(i);
  }
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = "\u25B6 play";
  }
  function start() {
    if (current === count - 1) show(0);
    play.textContent = "\u275A\u275A pause";
    timer = setInterval(function () {
      if (current >= count - 1) stop(); else show(current + 1);
    }, data.interval / Number(speed.value));
  }
  function toggle() { if (timer !== null) stop(); else start(); }
  first.onclick = function () { stop(); show(0); };
  prev.onclick = function () { stop(); show(current - 1); };
  next.onclick = function () { stop(); show(current + 1); };
  last.onclick = function () { stop(); show(count - 1); };
  play.onclick = toggle;
  slider.oninput = function () { stop(); show(Number(slider.value)); };
  speed.onchange = function () { if (timer !== null) { stop(); start(); } };
  fit.onclick = function () { fitted = !fitted; sizeView(); follow(current); };
  root.addEventListener("keydown", function (event) {
    var box = event.target.getAttribute && event.target.getAttribute("data-pathgrad-expand");
    if (box && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      event.stopPropagation();
      event.target.onclick();
      return;
    }
    var keys = {ArrowRight: next.onclick, ArrowLeft: prev.onclick, " ": toggle,
                Home: first.onclick, End: last.onclick};
    if (!(event.key in keys) || event.target === speed) return;
    event.preventDefault();
    event.stopPropagation();  // notebook shortcuts must not also act on these keys
    keys[event.key]();
  });
  reset();
  show(place || 0);
}
