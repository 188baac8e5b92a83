"""Stepper.widget(): the stepper as an anywidget, for a live kernel in any Jupyter client.

The widget runs the page's own controller (stepper.js) on the same data, so
its controls and frame numbers are the page's. It also reshapes live:
clicking a collapsed box (or Enter or Space on it) asks the kernel to expand
it, clicking a node of an open scope to collapse that scope; the kernel makes
the stepper again that way and sends the new picture and frames.

>>> from pathgrad import Value
>>> from pathgrad.viz import step_through
>>> widget = step_through(Value(3.0, "x") * 2).widget()
>>> type(widget).__name__, '"captions"' in widget.data
('StepperWidget', True)
"""

import anywidget
import traitlets

from .page import CONTROLLER, script_json

_ESM = CONTROLLER + """
export default {
  render({ model, el }) {
    function reshape(request) { model.send(request); }
    function mount() { mountStepper(el, JSON.parse(model.get("data")), reshape); }
    model.on("change:data", mount);
    mount();
  }
};
"""


class StepperWidget(anywidget.AnyWidget):
    """The stepper's shared SVG, frame changes and captions, stepped through in the notebook."""

    _esm = _ESM
    data = traitlets.Unicode("{}").tag(sync=True)

    def __init__(self, stepper, **kwargs):
        super().__init__(data=script_json(stepper.page_data()), **kwargs)
        self.stepper = stepper
        self.on_msg(self._reshape)

    def _reshape(self, _widget, content, _buffers):
        """A click in the browser: {"expand": scope} or {"collapse": scope}; the new stepper goes back."""
        if not isinstance(content, dict):
            return
        if isinstance(content.get("expand"), str):
            stepper = self.stepper.expanded(content["expand"])
        elif isinstance(content.get("collapse"), str):
            stepper = self.stepper.collapsed(content["collapse"])
        else:
            return
        self.stepper = stepper
        self.data = script_json(stepper.page_data())
