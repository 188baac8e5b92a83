"""Stepper.widget(): the stepper as an anywidget, for a live kernel in any Jupyter client.

The widget runs the page's own controller (stepper.js) on the same data, so
its controls and frame numbers are the page's. It also reshapes live:
clicking a collapsed box (or Enter or Space on it) asks the kernel to expand
it, clicking a node of an open scope to collapse that scope; the kernel makes
the stepper again that way and sends the new picture and frames. The learner
keeps their place: the new stepper opens at the same backward step (the same
node's frame, or the first frame that reaches the box), not at frame 1.

>>> from pathgrad import Value
>>> from pathgrad.viz import step_through
>>> widget = step_through(Value(3.0, "x") * 2).widget()
>>> type(widget).__name__, '"captions"' in widget.data
('StepperWidget', True)
"""

import sys

if sys.platform == "emscripten":  # Pyodide's kernel loads only what a cell imports: anywidget on request
    from ..browser import require
    require("anywidget")

import anywidget
import traitlets

from .frames import same_place
from .page import CONTROLLER, script_json

_ESM = CONTROLLER + """
export default {
  render({ model, el }) {
    function reshape(request) { model.send(request); }
    function mount() { mountStepper(el, JSON.parse(model.get("data")), reshape, model.get("frame")); }
    model.on("change:data", mount);
    mount();
  }
};
"""


class StepperWidget(anywidget.AnyWidget):
    """The stepper's shared SVG, frame changes and captions, stepped through in the notebook;
    `frame` is the frame (from 0) it opens at after a reshape."""

    _esm = _ESM
    data = traitlets.Unicode("{}").tag(sync=True)
    frame = traitlets.Int(0).tag(sync=True)

    def __init__(self, stepper, **kwargs):
        super().__init__(data=script_json(stepper.page_data()), **kwargs)
        self.stepper = stepper
        self.on_msg(self._reshape)

    def _reshape(self, _widget, content, _buffers):
        """A click in the browser: {"expand": scope} or {"collapse": scope}, with the "frame" shown;
        the new stepper goes back, opening at the frame of the same step (frames.same_place)."""
        if not isinstance(content, dict):
            return
        shown = content.get("frame")
        shown = shown if isinstance(shown, int) and not isinstance(shown, bool) else self.frame
        if isinstance(content.get("expand"), str):
            stepper = self.stepper.expanded(content["expand"])
        elif isinstance(content.get("collapse"), str):
            stepper = self.stepper.collapsed(content["collapse"])
        else:
            return
        place = same_place(_states(self.stepper), _states(stepper), shown)
        self.stepper = stepper
        with self.hold_sync():  # one message: the page mounts once, at its place
            self.frame = place
            self.data = script_json(stepper.page_data())


def _states(stepper):
    """A stepper's FrameStates, in frame order."""
    return [frame._state for frame in stepper]
