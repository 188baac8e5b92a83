"""The stepper: the chain rule played one step at a time.

- frames.py: the frames, one FrameState and caption per step of backward (or forward mode);
- film.py: one shared SVG laid out once, and what each frame changes in it (a Film plays them);
- stepper.py: step_through and the Stepper, shown in Jupyter, saved as a page or a PDF;
- page.py and stepper.js: the self-contained HTML page, a storyboard where no script runs;
- pdf.py: one PDF page per frame; widget.py: the anywidget for a live kernel.

>>> from pathgrad import Value
>>> y = Value(3.0, "x") * 2; y.label = "y"
>>> [frame.caption.split(":")[0] for frame in step_through(y)][::2]
['Forward pass done', 'Backward done']
>>> step_through(y)[1].caption.split(" and passes")[0]
'y, the root, has its full grad dy/dy = 1'
"""

from .stepper import Frame, Stepper, step_through

__all__ = ["Frame", "Stepper", "step_through"]
