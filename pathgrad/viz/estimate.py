"""Too big to read: decided from the graph alone, before Graphviz lays anything out.

A drawing shown in a notebook cell is either readable (every text at 8 CSS
px or more at the cell's width, see fit.py) or, in its place, one line of
text that says what is too big and what to do. Graphviz's layout of a graph
of thousands of nodes takes longer than anyone waits (micrograd's moons
loss: 8,318 values, over 30 s), so the decision comes from fit.py's
estimate (ranks and label lengths, a few milliseconds), which is rough:

- a plan of more than LAID_OUT (500) nodes whose estimated text is under
  half the readable size is refused without a layout. The drawing is an
  `Oversized`: shown as its one line (text/plain, never a traceback), and
  its rendering (`to_svg`, `save`, the command line) raises RefusedValue
  with that line;
- a smaller plan is laid out by dot (well within a second or two), and if
  dot's picture has text under 8 px, a notebook shows the one line instead
  of the picture, while `save` and `to_svg` still write it (a file can be
  zoomed).

>>> from pathgrad.nn.lecture import moons_loss
>>> from pathgrad.viz import draw
>>> total, model = moons_loss()
>>> drawing = draw(total, fold=False)
>>> print(drawing._repr_mimebundle_()[0]["text/plain"][:65])
draw: too big to read: this graph of 8318 values draws 2561 nodes
"""

from pathgrad.engine import topological_order
from pathgrad.engine.validation import RefusedValue

from .digraph import Drawing
from .options import PAGE_BYTES
from .plan import LEAST_TEXT, UNLAID, readable_px, text_px

SURE = 0.5  # an estimate of text under SURE * LEAST_TEXT is unreadable whatever dot makes of it
PAGE_BASE = 100_000  # bytes every stepper page takes: its controller script, styles and captions
ELEMENT_FRAME_BYTES = 135  # bytes for each node and edge drawn, in each storyboard picture
LAID_OUT = 500  # nodes: a graph this small is laid out (a second or so) to find out


def too_big(plan):
    """Whether the plan is unreadable for certain, from its estimate alone, and too big to lay out
    to find out: more than LAID_OUT nodes, with text under SURE * 8 px in its place.

    >>> from pathgrad import Value
    >>> from pathgrad.viz.plan import fit
    >>> too_big(fit(Value(1.0, "a") * 2))
    False
    """
    return (plan.width is not None and plan.units > LAID_OUT
            and text_px(plan) < SURE * LEAST_TEXT)


def refusal(caller, root, plan, size=None, folded=""):
    """The one line that says why root's drawing is not made and what to draw instead.

    `size` is dot's measured size in points (None: the estimate's);
    `folded` says what folding already left out.
    """
    size = size or plan.estimate
    values = len(topological_order(root))
    where = (f"a {plan.width:.0f} px cell" if plan.height is None
             else f"{plan.width:.0f}\u00d7{plan.height:.0f} px")
    boxes = f" with {len(plan.collapse)} scopes as boxes" if plan.collapse else ""
    if size[0] >= UNLAID:
        why = f"this graph of {values} values draws {plan.units} nodes{boxes}{folded}, more than max_nodes"
    else:
        why = (f"this graph of {values} values draws {plan.units} nodes{boxes}{folded}, its text "
               f"{text_px(plan, size):.1f} px in {where} (readable: {readable_px(plan):g} px or more)")
    return (
        f"{caller}: too big to read: {why}. Draw one sample's loss instead of the batch's, "
        f"part of it (around=node, depth=2), scopes as boxes (collapse=['L0', 'L1']), "
        f"or at full size to a file (width=None, max_nodes=...)"
    )


class Oversized(Drawing):
    """A drawing refused as too big to read: shown as its one line, refused when rendered.

    >>> Oversized.of("draw: too big to read: 5000 nodes")
    draw: too big to read: 5000 nodes
    """

    refusal = ""

    @classmethod
    def of(cls, refusal):
        """An Oversized drawing saying `refusal`."""
        drawing = cls("pathgrad")
        drawing.refusal = drawing.unreadable = refusal
        return drawing

    def __repr__(self):
        return self.refusal

    def _run(self, source, format):
        raise RefusedValue(self.refusal)

    def check(self, caller="draw"):
        """Raise the refusal, as said by `caller` (save, to_svg): nothing is written of a drawing too big to read."""
        raise RefusedValue(self.refusal.replace("draw:", f"{caller}:", 1))


def page_bytes(frames, maker, pictured):
    """About how many bytes a stepper's page takes: PAGE_BASE, and ELEMENT_FRAME_BYTES for each node
    and edge drawn in each storyboard picture (at most `pictured` of them).

    Measured against six pages (one moons sample with every neuron a box: estimated 1.92 MB,
    1.94 to 2.00 MB built, as dot's fonts vary its layout; with four boxes, 4.3 and 5.0 MB; micrograd's unfused MLP(2, [4, 4, 1]) with
    layer 0 a box, 1.65 and 1.19 MB; a chain of 100 products, 5.0 and 13.5 MB): within a factor
    of three either way, and refusing a page of 5 MB or more.
    """
    scene = maker.scene(lambda node: None)
    elements = len(scene.nodes) + len(scene.edges)
    return PAGE_BASE + ELEMENT_FRAME_BYTES * elements * min(frames, pictured)


def check_page(frames, maker, pictured, max_bytes=PAGE_BYTES):
    """Refuse, before any frame is built, a stepper whose page would take more than max_bytes;
    `pictured` is how many frames its storyboard pictures at most.

    >>> from pathgrad import Value
    >>> from pathgrad.viz import step_through
    >>> x = Value(1.0, "x")
    >>> for _ in range(60):
    ...     x = x * 1.5
    >>> step_through(x)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pathgrad.engine.validation.RefusedValue: step_through: its page would take about 3 MB (62 frames), ...
    """
    size = page_bytes(frames, maker, pictured)
    if size > max_bytes:
        raise page_refusal(f"would take about {size / 1e6:.0f} MB", frames, max_bytes)


def page_refusal(how_big, frames, max_bytes):
    """The one refusal of a stepper page over max_bytes, estimated (check_page) or built (Stepper)."""
    return RefusedValue(
        f"step_through: its page {how_big} ({frames} frames), "
        f"more than max_bytes={max_bytes}; step through one sample's loss instead of the batch's, "
        f"part of it (around=node, depth=2), scopes as boxes (collapse=['L0', 'L1']), "
        f"or pass a larger max_bytes=", option="max_bytes"
    )
