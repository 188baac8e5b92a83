"""Stepper.widget(): the stepper as an anywidget, for a live kernel in any Jupyter client.

The widget runs the page's own controller (stepper.js) on the same data, so
its controls and frame numbers are the page's.

>>> from pathgrad import Value
>>> from pathgrad.viz import step_through
>>> widget = step_through(Value(3.0, "x") * 2).widget()
>>> type(widget).__name__, '"captions"' in widget.data
('StepperWidget', True)
"""

import anywidget
import traitlets

from .page import CONTROLLER

_ESM = CONTROLLER + """
export default {
  render({ model, el }) { mountStepper(el, JSON.parse(model.get("data"))); }
};
"""


class StepperWidget(anywidget.AnyWidget):
    """The stepper's shared SVG, frame changes and captions, stepped through in the notebook."""

    _esm = _ESM
    data = traitlets.Unicode("{}").tag(sync=True)
