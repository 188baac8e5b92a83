"""step_through: the chain rule played one step at a time, in Jupyter or a browser."""

import html
import os

from pathgrad.files import write_atomically

from ..engine import node_name
from .layout import render_frames
from .page import document, fragment, svg_data_uri
from .scene import to_digraph
from .steps import forward_frames, reverse_frames

MODES = ("reverse", "forward")


class Frame:
    """One frame of a Stepper: its caption, its DOT source and its SVG.

    `source` is the drawing before layout (so the last frame of a reverse
    stepper has the source of draw(root) after backward()); `svg` is rendered
    on the shared layout the first time any frame's svg is asked for.
    """

    def __init__(self, stepper, index, scene, caption):
        self._stepper = stepper
        self.index = index
        self.caption = caption
        self._scene = scene

    @property
    def source(self):
        return to_digraph(self._scene).source

    @property
    def svg(self):
        return self._stepper._svgs()[self.index]

    def _repr_svg_(self):
        return self.svg

    def __repr__(self):
        return f"<Frame {self.index} of {len(self._stepper)}: {self.caption}>"


class Stepper:
    """The frames of one pass through the graph, with a caption each.

    len(stepper) frames; stepper[i] is a Frame; Jupyter shows the stepper as a
    page with a slider, prev/next/play buttons and the caption.

    >>> import os, tempfile
    >>> from pathgrad import Value
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
    >>> stepper = step_through(y)
    >>> len(stepper)  # forward done, one backward step, backward done
    3
    >>> print(stepper[1].caption.split("edge: ")[1])  # each of y's two edges to x brings x * 1
    dy/dx × dy/dy = 3 × 1 = 3, so x.grad = 3 so far; dy/dx × dy/dy = 3 × 1 = 3, so x.grad = 6.
    >>> folder = tempfile.mkdtemp()
    >>> page = stepper.save_html(os.path.join(folder, "y.html"))
    >>> [os.path.basename(p) for p in stepper.save_frames(folder)]
    ['frame_000.svg', 'frame_001.svg', 'frame_002.svg']
    """

    def __init__(self, specs, title):
        self.title = title
        self._frames = [Frame(self, i, spec.scene, spec.caption) for i, spec in enumerate(specs)]
        self._rendered = None

    def __len__(self):
        return len(self._frames)

    def __getitem__(self, index):
        try:
            return self._frames[index]
        except (IndexError, TypeError):
            raise IndexError(
                f"Stepper: got frame index {index!r}; this stepper has {len(self)} frames, "
                f"use a whole number from 0 to {len(self) - 1} (or -{len(self)} to -1)"
            ) from None

    def __repr__(self):
        return f"<Stepper: {self.title}, {len(self)} frames>"

    def _svgs(self):
        """Every frame's SVG, rendered once on one shared layout."""
        if self._rendered is None:
            self._rendered = render_frames([frame._scene for frame in self._frames])
        return self._rendered

    def _captions(self):
        return [frame.caption for frame in self._frames]

    def save_frames(self, directory):
        """Write frame_000.svg, frame_001.svg, ... and captions.txt into directory.

        Returns the SVG files' paths, in frame order.
        """
        os.makedirs(directory, exist_ok=True)
        paths = []
        for i, svg in enumerate(self._svgs()):
            path = os.path.join(directory, f"frame_{i:03d}.svg")
            write_atomically(path, svg.encode("utf-8"))
            paths.append(path)
        captions = "".join(
            f"frame_{i:03d}: {caption}\n" for i, caption in enumerate(self._captions())
        )
        write_atomically(os.path.join(directory, "captions.txt"), captions.encode("utf-8"))
        return paths

    def _repr_html_(self):
        return fragment(self._svgs(), self._captions(), self.title)

    def save_html(self, path):
        """Write the stepper as one self-contained HTML page (no network needed); return path."""
        page = document(self._svgs(), self._captions(), self.title)
        write_atomically(path, page.encode("utf-8"))
        return path

    def widget(self):
        """The frames as an ipywidgets control: play button, slider, caption and picture.

        Optional: needs ipywidgets. The stepper's own HTML works without it.
        """
        try:
            import ipywidgets
        except ImportError:
            raise ImportError(
                "Stepper.widget: needs ipywidgets, which is not installed; install it with "
                "`pip install ipywidgets`, or display the stepper itself, whose HTML needs nothing"
            ) from None
        svgs, captions = self._svgs(), self._captions()
        play = ipywidgets.Play(min=0, max=len(self) - 1, interval=900)
        slider = ipywidgets.IntSlider(min=0, max=len(self) - 1, description="frame")
        ipywidgets.jslink((play, "value"), (slider, "value"))
        caption = ipywidgets.HTML()
        picture = ipywidgets.HTML()

        def show(change):
            i = change["new"]
            caption.value = f"<p>{html.escape(captions[i])}</p>"
            picture.value = f'<img src="{svg_data_uri(svgs[i])}">'

        slider.observe(show, names="value")
        show({"new": 0})
        return ipywidgets.VBox([ipywidgets.HBox([play, slider]), caption, picture])


def step_through(
    root,
    mode="reverse",
    wrt=None,
    *,
    rankdir="LR",
    show_local_grads=False,
    max_nodes=2000,
    precision=4,
):
    """A Stepper that replays the chain rule on root's graph one node at a time.

    mode="reverse" replays backward(): frame 0 has every grad blank, then
    each backward step highlights the node being processed and labels its
    edges local × upstream = contribution (child.grad += local * upstream),
    and the last frame shows every grad, as draw(root) does after backward().
    mode="forward" with wrt=x fills in tangents d node/dx from the inputs up:
    tangent(node) = sum over edges of local × tangent(child).

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> e = (a + b) * (b + 1); e.label = "e"
    >>> stepper = step_through(e)
    >>> len(stepper)  # forward done, 3 backward steps, backward done
    5
    >>> stepper[1].caption.split(":")[0]
    'Step 1 of 3'
    """
    options = dict(
        rankdir=rankdir, show_local_grads=show_local_grads, max_nodes=max_nodes, precision=precision
    )
    if mode == "reverse":
        if wrt is not None:
            raise ValueError(
                f"step_through: got wrt={wrt!r} with mode='reverse', which finds every grad "
                f"at once; use mode='forward' to follow one input, or leave wrt out"
            )
        return Stepper(reverse_frames(root, **options), f"backward pass of {node_name(root)}")
    if mode == "forward":
        if wrt is None:
            raise ValueError(
                "step_through: mode='forward' needs wrt=, the input to differentiate by"
            )
        return Stepper(
            forward_frames(root, wrt, **options),
            f"forward mode: d{node_name(root)}/d{node_name(wrt)}",
        )
    raise ValueError(
        f"step_through: got mode={mode!r}; use one of {', '.join(map(repr, MODES))}"
    )
