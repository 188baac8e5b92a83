"""step_through: the chain rule played one step at a time, in Jupyter or a browser.

>>> from pathgrad import Value
>>> y = Value(3.0, "x") * 2; y.label = "y"
>>> stepper = step_through(y)
>>> len(stepper), stepper[2].caption
(3, 'Backward done: every grad is known, the same numbers as after y.backward(): x.grad = 2.')
"""

import html
import math
import os
import sys
from functools import partial

from pathgrad.engine import node_name
from pathgrad.engine.validation import RefusedType, RefusedValue
from pathgrad.files import write_atomically

from ..digraph import to_digraph
from ..estimate import page_refusal
from ..folded import check_opened, folded, opened_folds, sample_root, wants_folding
from ..options import CELL_WIDTH, PAGE_BYTES, Look
from ..draw import warn_small_slide
from ..plan import PX_PER_PT, SLIDE_LINES, SLIDE_TEXT, fit, plans, svg_size, text_px
from ..text import short_name
from ..view import resolve, scope_names
from .film import Film, picture
from .frames import forward_frames, reverse_frames
from .page import STORYBOARD_CHROME, STORYBOARD_FRAMES, document, fragment, frame_number, picture_room, stepper_data
from .page import svg_data_uri
from .pdf import page_room, stepper_pdf

MODES = ("reverse", "forward")


class Frame:
    """One frame of a Stepper: its caption, its DOT source and its SVG.

    `source` is the drawing before layout (so the last frame of a reverse
    stepper has the source of draw(root) after backward()); `svg` is the
    stepper's one shared picture as it looks at this frame.
    """

    def __init__(self, stepper, index, state, caption):
        self._stepper = stepper
        self.index = index
        self.caption = caption
        self._state = state

    def _drawing(self):
        state = self._state
        scene = self._stepper._scenes.scene(state.numbers.get, state.focus, state.edge_attrs)
        return to_digraph(scene, self._stepper._look)  # fits the stepper's place, as draw() does

    @property
    def source(self):
        return self._drawing().source

    @property
    def svg(self):
        return self._stepper._svgs()[self.index]

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        # The frame drawn alone, with a PNG beside the SVG, as every drawing is shown.
        bundle, metadata = self._drawing()._repr_mimebundle_()
        return {**bundle, "text/plain": repr(self)}, metadata

    def __repr__(self):
        return f"<{frame_number(self.index, len(self._stepper))}: {self.caption}>"


class Stepper:
    """The frames of one pass through the graph, with a caption each.

    len(stepper) frames; stepper[i] is a Frame. Jupyter shows the stepper as
    a page that steps through one shared picture (buttons, slider, keys
    \u2190 \u2192 space Home End, speed, whole or readable), and, where scripts do
    not run, as a storyboard of its frames with their captions. save() writes
    the page (.html) or one PDF page per frame (.pdf).

    >>> import os, tempfile
    >>> from pathgrad import Value
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
    >>> stepper = step_through(y)
    >>> len(stepper)  # forward done, one backward step, backward done
    3
    >>> print(stepper[1].caption.split("edge: ")[1])  # each of y's two edges to x brings x * 1
    ∂y/∂x × dy/dy = 3 × 1 = 3, so x.grad = 3 so far; ∂y/∂x × dy/dy = 3 × 1 = 3, so x.grad = 3 + 3 = 6.
    >>> folder = tempfile.mkdtemp()
    >>> page = stepper.save_html(os.path.join(folder, "y.html"))
    >>> [os.path.basename(p) for p in stepper.save_frames(folder)]
    ['frame_000.svg', 'frame_001.svg', 'frame_002.svg']
    """

    def __init__(self, scenes, frames, title, look, remake=None):
        self.title = title
        self.width = look.width
        self._scenes = scenes  # the SceneMaker that draws every frame
        self._look = look  # the options asked for (the plan chose scenes.look's rankdir and collapse)
        self._frames = [Frame(self, i, state, caption) for i, (state, caption) in enumerate(frames)]
        self._shared = None  # the Picture: one SVG and each frame's changes
        self._frame_svgs = None
        self._collapsed = scenes.look.collapse or ()  # the scopes drawn as boxes (full names)
        self._remake = remake  # Look -> the same stepper drawn with that Look
        self._plan = None  # the plan.Plan it was drawn with, if known

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

    def _picture(self):
        """The shared SVG and each frame's changes, made once (one dot run)."""
        if self._shared is None:
            self._shared = picture(self._scenes, [frame._state for frame in self._frames])
        return self._shared

    def _svgs(self):
        """Every frame's whole SVG."""
        if self._frame_svgs is None:
            film = Film(self._picture())
            self._frame_svgs = [film.whole() for _ in film]
        return self._frame_svgs

    def _captions(self):
        return [frame.caption for frame in self._frames]

    def page_data(self):
        """What the page's script and the widget read (see page.stepper_data), as plain data."""
        view, index = self._scenes.view, self._scenes.index
        boxes = {f"s{b}": [name, short_name(name)] for b, name in enumerate(view.boxes)}
        scopes = {f"v{i}": [view.scopes[node], short_name(view.scopes[node])]
                  for node, i in index.items() if view.scopes.get(node) and view.shows(node)}
        return stepper_data(self._picture(), self._captions(), self.width, boxes, scopes)

    def expanded(self, scope):
        """The same stepper with the collapsed box `scope` (full or short name) opened.

        A box holding smaller scopes opens one level: they become boxes of their own. A fold's
        box (`samples`, see folded.py) opens to sample 0 drawn standing for all.

        >>> import random
        >>> from pathgrad.nn import MLP
        >>> random.seed(0)
        >>> stepper = step_through(MLP(2, [3, 1])([1.0, -2.0]), collapse=["L0"])
        >>> len(stepper), len(stepper.expanded("L0")), len(stepper.expanded("L0").expanded("L0.n1"))
        (4, 6, 7)
        """
        folds = self._scenes.folded.boxes if self._scenes.folded else ()
        if scope in folds:
            return self._remake(self._look.but(expand=(*self._look.expand, scope)))
        known = scope_names(self._scenes.view.scopes)
        (full,) = resolve("Stepper.expanded", "scope", [_scope_name("Stepper.expanded", scope)], known)
        if full not in self._collapsed:
            raise RefusedValue(
                f"Stepper.expanded: {scope!r} is not a collapsed box of this stepper; its boxes are "
                f"{', '.join(short_name(name) for name in self._collapsed) or '(none)'}"
            )
        made_in = set(self._scenes.view.scopes.values())
        inner = [name for name in known if name.startswith(full + ".") and name in made_in]
        level = [name for name in inner if not any(name.startswith(other + ".") for other in inner)]
        return self._reshaped([name for name in self._collapsed if name != full] + level)

    def collapsed(self, scope):
        """The same stepper with the open scope `scope` (full or short name) drawn as one box.

        >>> from pathgrad import Value, scope
        >>> a = Value(1.0, "a")
        >>> with scope("double"):
        ...     b = a * 2
        >>> c = b + 1; c.label = "c"
        >>> len(step_through(c)), len(step_through(c).collapsed("double"))
        (4, 4)
        >>> step_through(c).collapsed("double")[2].caption.split(":")[0]
        'double (collapsed)'
        """
        known = scope_names(self._scenes.view.scopes)
        (full,) = resolve("Stepper.collapsed", "scope", [_scope_name("Stepper.collapsed", scope)], known)
        kept = [name for name in self._collapsed if name != full and not name.startswith(full + ".")]
        return self._reshaped(kept + [full])

    def _reshaped(self, collapse):
        """The same stepper with the scopes `collapse` drawn as boxes, and no other (folds opened stay open)."""
        return self._remake(self._look.but(collapse=collapse, expand=opened_folds(self._look)[0]))

    def _storyboard(self):
        """{frame index: its pictures, each (data URI, width px, height px)}.

        Each frame's pictures show whole its highlighted node and the nodes
        its caption names, at readable size within the stepper's width (the
        whole graph when it fits), and no taller, with the caption, than
        STORYBOARD_HEIGHT px (windows around the highlight when the graph is
        taller). At most STORYBOARD_FRAMES frames, evenly
        spaced from the first to the last, so a big stepper's page stays
        small; the script shows them all.
        """
        shared = self._picture()
        film = Film(shared)
        count = len(self)
        kept = {round(j * (count - 1) / (STORYBOARD_FRAMES - 1)) for j in range(STORYBOARD_FRAMES)} \
            if count > STORYBOARD_FRAMES else set(range(count))
        width = math.inf if self.width is None else self.width - STORYBOARD_CHROME
        return {
            i: [(svg_data_uri(svg), w, h) for svg, w, h in
                film.pictures(shared.focus[i], shared.named[i], width, *picture_room(i, count, self[i].caption, width))]
            for i in film
            if i in kept
        }

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
        try:
            return self._page(fragment)
        except RefusedValue as refusal:  # shown as its one line: display never raises
            return f"<pre>{html.escape(str(refusal))}</pre>"

    def save_html(self, path):
        """Write the stepper as one self-contained HTML page (no network needed); return path."""
        write_atomically(path, self._page(document).encode("utf-8"))
        return path

    def _page(self, make):
        """The page (`make` is page.fragment or page.document) as UTF-8, held to max_bytes. The
        estimate refuses most pages over it before any frame is built (estimate.py); it is within
        a factor of three, so the page built is checked too, and refused whole."""
        page = make(self.page_data(), self._storyboard(), self.title)
        size = len(page.encode("utf-8"))
        if size > self._look.max_bytes:
            raise page_refusal(f"came out at {size / 1e6:.2f} MB", len(self), self._look.max_bytes)
        return page

    def save(self, path, size=None):
        """Write the stepper to path: .html is the page (save_html), .pdf one page per frame.

        A PDF page is the frame, its caption above it, for slides and print:
        every page is the one layout at one size, so nodes never move. The
        page fits the picture, or is `size=(width, height)` pixels as a PNG
        of that size printed at 96 dpi: size=(1920, 1080) gives 16:9 slides
        (see pdf.py), the default for a stepper made with step_through(size=). On such pages the graph is laid out for the page, not
        the notebook cell: the same frames, captions and boxes, in the
        direction giving the largest text in the room under the captions
        (chosen as draw(size=) chooses, see plan.py), with a SmallSlideText
        warning when even that is under 20 px on a 1080-line slide. The
        HTML page and the widget keep the stepper's own layout. Needs no
        system Graphviz. Returns path.
        """
        extension = os.path.splitext(os.fspath(path))[1].lower()
        if extension == ".pdf" and size is None:
            size = self._look.size  # a stepper made for slides (step_through(size=)) saves them
        if extension == ".html" and size is not None:
            raise RefusedValue(f"Stepper.save: got size={size!r} for {os.fspath(path)!r}; size= sizes a .pdf's "
                               f"pages, so save a .pdf or leave size out", option="size")
        if extension == ".html":
            return self.save_html(path)
        if extension != ".pdf":
            raise RefusedValue(
                f"Stepper.save: cannot tell the format of {os.fspath(path)!r} from its extension "
                f"{extension or '(none)'!r}; use .html (the stepper page) or .pdf (a page per frame)"
            )
        styles = self._scenes.styles["graph"]
        laid_out = self if size is None else self._on_page(size)
        write_atomically(path, stepper_pdf(laid_out._picture(), self._captions(), styles["bgcolor"],
                                           styles["fontcolor"], size))
        return path

    def _on_page(self, size):
        """This stepper laid out for PDF pages of `size` pixels (see pdf.py): the same frames, captions,
        boxes and folds, in the direction that gives the largest text in the picture's room under the
        captions, planned as draw(size=) plans a slide (plan.py) and, like draw, laid out both ways
        unless rankdir= was given. Warns SmallSlideText once when the text is still under SLIDE_TEXT px
        on a page SLIDE_LINES high."""
        room = page_room(self._captions(), size)  # points; refuses a size too small
        if self._remake is None:
            return self
        room_px = tuple(max(1, int(points * PX_PER_PT)) for points in room)  # a page's px are 4/3 of its pt
        look = self._look.but(width=CELL_WIDTH, size=room_px, collapse=list(self._collapsed),
                              fold=self._scenes.folded is not None)  # the same boxes and folds: the same frames
        tried = []
        for rankdir in [self._look.rankdir] if self._look.rankdir else [None, "other"]:
            if rankdir == "other":
                rankdir = {"LR": "TB", "TB": "LR"}[tried[0][1]._plan.rankdir]
            try:
                stepper = self._remake(look.but(rankdir=rankdir))
            except RefusedValue as error:  # too big to make another way: keep the layout it has
                if error.option in _TOO_BIG:
                    break
                raise
            if stepper._plan is None or stepper._captions() != self._captions():
                break
            tried.append((text_px(stepper._plan, svg_size(stepper._picture().svg)), stepper))
        if not tried:
            return self
        text, best = max(tried, key=lambda pair: pair[0])
        on_page = text * 2 * SLIDE_LINES / size[1]  # output px are twice CSS px, on a page SLIDE_LINES high
        if on_page < SLIDE_TEXT:
            warn_small_slide("Stepper.save", size, best._plan, on_page)
        return best

    def widget(self):
        """The stepper as a Jupyter widget (anywidget): the page's controls and frame numbers.

        Works wherever anywidget does: JupyterLab, Notebook 7, VS Code, Colab.
        Optional: needs anywidget. The stepper's own HTML works without it.
        """
        try:
            from .widget import StepperWidget
        except ImportError:
            raise ImportError(
                "Stepper.widget: needs anywidget, which is not installed; install it with "
                "`pip install anywidget`, or display the stepper itself, whose HTML needs nothing"
            ) from None
        return StepperWidget(self)


def step_through(
    root,
    mode="reverse",
    wrt=None,
    *,
    rankdir=None,
    show_local_grads=False,
    max_nodes=2000,
    max_frames=500,
    max_bytes=PAGE_BYTES,
    precision=4,
    collapse=None,
    expand=(),
    around=None,
    depth=1,
    theme="light",
    fontsize=12,
    scale=1.0,
    width=CELL_WIDTH,
    size=None,
    fold=None,
    sample=None,
):
    """A Stepper that replays the chain rule on root's graph one node at a time.

    mode="reverse" replays backward(): frame 0 has every grad blank, then
    each backward step highlights the node being processed and labels its
    edges local × upstream = contribution (child.grad += local * upstream),
    and the last frame shows every grad, as draw(root) does after backward().
    mode="forward" with wrt=x fills in tangents d node/dx from the inputs up:
    tangent(node) = sum over edges of local × tangent(child).
    theme=, fontsize= and scale= are draw()'s, for slides. Like draw(), it
    fits `width` CSS px (952, a notebook cell; None: no limit), choosing the
    direction and collapsing scopes, deepest first, unless rankdir= or
    collapse= say otherwise (expand= keeps scopes open). With size=(1920, 1080)
    it is made for slides of that many pixels, as draw(size=) is: the scopes
    collapsed and the direction are chosen for the slide, and save("x.pdf")
    makes pages of that size (see Stepper.save).
    collapse=, around= and depth= draw part of the graph, as in draw(); only
    the steps of nodes drawn as themselves get frames. Past max_frames frames,
    or when its page would take more than max_bytes (2 MB; see estimate.py),
    it refuses before building any, in one line that says what to do: a
    RefusedValue in a script; in IPython or Jupyter, where an exception would
    stop Run All, a TooBigStepper that is shown as that line and raises it on
    any other use.
    A graph too big to read whole is stepped folded, as draw() draws it
    (`fold=`: None, True, False): a batch's samples are one box (see
    folded.py), through which backward passes in one frame; `expand=['samples']`
    opens it, and `sample=k` steps through sample k's own graph alone.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> e = (a + b) * (b + 1); e.label = "e"
    >>> stepper = step_through(e)
    >>> len(stepper)  # forward done, 3 backward steps, backward done
    5
    >>> stepper[1]  # the display numbers the frames; the caption says the step  # doctest: +ELLIPSIS
    <Frame 2 of 5: e, the root, has its full grad de/de = 1 and passes local × upstream down each edge: ...>
    """
    options = dict(locals())  # every keyword is an option of the Look
    root, mode, wrt = (options.pop(name) for name in ("root", "mode", "wrt"))
    look = Look("step_through", **options)
    try:
        return stepper_of(root, mode, wrt, look)
    except RefusedValue as error:
        if error.option in _TOO_BIG and _in_ipython():
            return TooBigStepper(error)
        raise


_TOO_BIG = ("max_frames", "max_bytes")  # the options of the refusals of a stepper too big to make


def _in_ipython():
    """Whether step_through runs in IPython (a Jupyter kernel, or IPython's shell), where its
    result is shown and an exception stops Run All."""
    ipython = sys.modules.get("IPython")
    return ipython is not None and ipython.get_ipython() is not None


class TooBigStepper:
    """What step_through returns in IPython for a stepper too big to make (max_frames, max_bytes).

    A notebook shows it as the refusal's one line, in the cell's output, and
    Run All goes on; any other use (len, frames, save, widget, ...) raises the
    refusal, as step_through does in a script.

    >>> from pathgrad.engine.validation import RefusedValue
    >>> stepper = TooBigStepper(RefusedValue("step_through: its page would take about 3 MB", option="max_bytes"))
    >>> stepper._repr_mimebundle_()
    {'text/plain': 'step_through: its page would take about 3 MB'}
    >>> stepper.save("x.html")
    Traceback (most recent call last):
    ...
    pathgrad.engine.validation.RefusedValue: step_through: its page would take about 3 MB
    """

    def __init__(self, refusal):
        self._refusal = refusal

    def _refuse(self):
        refusal = self._refusal
        raise type(refusal)(*refusal.args, option=refusal.option) from None

    def __repr__(self):
        return str(self._refusal)

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        return {"text/plain": str(self._refusal)}

    def __getattr__(self, name):
        if name.startswith("_"):  # IPython looks for _repr_html_, _ipython_display_, ...: not there
            raise AttributeError(name)
        self._refuse()

    def __len__(self):  # noqa: PLE0303 (it never returns: every use of a refused stepper is refused)
        self._refuse()

    def __getitem__(self, index):
        self._refuse()

    def __iter__(self):
        self._refuse()


def stepper_of(root, mode, wrt, look):
    """step_through(root, mode, wrt) with the options of `look`."""
    if look.sample is not None:  # one sample's own graph
        return stepper_of(sample_root(look.caller, root, look.sample), mode, wrt, look.but(sample=None))
    remake = partial(stepper_of, root, mode, wrt)
    opened, scoped = opened_folds(look)
    plan = fit(root, scoped)
    folding = None
    if mode == "reverse" and (opened or wants_folding(look, plan)):
        # folded as draw() folds, with a batch's samples one box unless expand= opens them
        folding = folded(root, boxed=[name for name in ("samples",) if name not in opened])
        check_opened(look.caller, opened, folding)
        if folding is not None:
            plan = next(plans(root, scoped, folding))
    planned = scoped.but(rankdir=plan.rankdir, collapse=plan.collapse)
    if mode == "reverse":
        if wrt is not None:
            raise RefusedValue(
                f"step_through: got wrt={wrt!r} with mode='reverse', which finds every grad "
                f"at once; use mode='forward' to follow one input, or leave wrt out"
            )
        title = _title(f"backward pass of {node_name(root)}", plan, folding, opened, look.fold is True)
        stepper = Stepper(*reverse_frames(root, planned, folding), title, look, remake)
        stepper._plan = plan
        return stepper
    if mode == "forward":
        if wrt is None:
            raise RefusedValue(
                "step_through: mode='forward' needs wrt=, the input to differentiate by"
            )
        scenes, frames = forward_frames(root, wrt, planned)  # wrt is checked there
        title = _title(f"forward mode: d{node_name(root)}/d{node_name(wrt)}", plan)
        stepper = Stepper(scenes, frames, title, look, remake)
        stepper._plan = plan
        return stepper
    raise RefusedValue(
        f"step_through: got mode={mode!r}; use one of {', '.join(map(repr, MODES))}"
    )


def _scope_name(caller, scope):
    """scope, if it is a str: a scope's name, full or short."""
    if not isinstance(scope, str):
        raise RefusedType(f"{caller}: got scope={scope!r}; give a scope's name, e.g. 'layers.0'")
    return scope


def _title(title, plan, folding=None, opened=(), every=False):
    """A stepper's title, with what folding folded and the fitting collapsed, and how to open it
    (in a stepper; the folds opened staying open)."""
    collapsed = plan.caption.replace("draw(...", "step_through(...", 1)
    if opened:
        collapsed = collapsed.replace("expand=[", "expand=[" + "".join(f"{name!r}, " for name in opened), 1)
    captions = [folding.caption("step_through", every) if folding else "", collapsed]
    return ". ".join([title, *filter(None, captions)])
