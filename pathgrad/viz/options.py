"""Every drawing option in one place: a frozen `Look`, checked once.

draw, to_svg, save, draw_paths and step_through take their options as
keywords, as users write them; each makes one Look of them and passes it
down, so no other signature lists options and no other place checks them.
A wrong type is refused with RefusedType, a wrong value with RefusedValue,
each naming the option (`error.option`) and what would be accepted.

What depends on the graph (that `around` and `highlight` are nodes of it,
that `collapse` and `expand` name its scopes) is checked where the graph is
read: view.py and scene.py.

A refusal that suggests options says them as a Python caller writes them
(`around=node, depth=k`); its text is a `Wording`, which the command line
says again in its flags.

>>> Look("draw", fontsize=18).fontsize
18.0
>>> Look("draw", theme="sepia")
Traceback (most recent call last):
...
pathgrad.engine.validation.RefusedValue: draw: got theme='sepia'; use one of 'light', 'dark'
"""

from dataclasses import dataclass, replace
from numbers import Integral, Real

from pathgrad.engine.validation import RefusedType, RefusedValue, number

from .theme import THEMES

CELL_WIDTH = 952  # CSS px: a notebook cell's output area is 953 px in JupyterLab at 1400 px (960 scrolls)
PAGE_BYTES = 2_000_000  # bytes: a stepper's page (its HTML, and its notebook output) at most
TIMEOUT = 30.0  # seconds Graphviz may take to lay out and render one drawing
RANKDIRS = ("LR", "RL", "TB", "BT")
# The sizes a slide may want: scale from a tenth to ten times, text from 4 pt (footnotes) to 72 pt (a title).
RANGES = {"scale": (0.1, 10.0), "fontsize": (4.0, 72.0)}

# How a refusal suggests an option to a Python caller; the command line has its flags for the same names.
ADVICE = {
    "around": "around=node, depth=k",
    "collapse": "collapse=[scope names]",
    "timeout": "timeout=SECONDS",
}


def keyword(option, value=None, alone=False):
    """How a Python caller writes `option`: alone, with a value, or as advice.

    >>> keyword("max_frames", 500), keyword("max_frames"), keyword("around"), keyword("collapse", alone=True)
    ('max_frames=500', 'max_frames=', 'around=node, depth=k', 'collapse')
    """
    if alone:
        return option
    if value is not None:
        return f"{option}={value}"
    return ADVICE.get(option, f"{option}=")


class Wording(str):
    """A message that suggests options, worded for a Python caller by `keyword`.

    `compose(say)` writes the message, calling say(option), say(option, value)
    or say(option, alone=True) for each option it names (see `keyword`);
    `said_with(say)` words it again another way.

    >>> text = Wording(lambda say: f"try {say('around')}")
    >>> text, text.said_with(lambda option, value=None, alone=False: "--" + option)
    ('try around=node, depth=k', 'try --around')
    """

    def __new__(cls, compose):
        text = super().__new__(cls, compose(keyword))
        text.compose = compose
        return text

    def said_with(self, say):
        """The message with each option it names written by say(option, value=None, alone=False),
        or as a Python caller writes it where say gives None."""
        return self.compose(lambda option, value=None, alone=False:
                            say(option, value, alone) or keyword(option, value, alone))

    def __reduce__(self):  # pickled (say, across processes) as the plain text
        return str, (str(self),)


@dataclass(frozen=True, eq=False)
class Look:
    """How a graph is drawn: every option of draw, save, to_svg, draw_paths and step_through.

    `caller` names the function in refusals. Scope lists become tuples, numbers
    floats; everything else is kept as given, once checked.
    """

    caller: str = "draw"
    rankdir: str = None  # None: chosen to fit (see plan.py)
    show_grads: object = True  # True, False, or "blank": the grad field left empty, a worksheet
    show_local_grads: bool = False
    highlight: tuple = ()
    max_nodes: int = 2000
    precision: int = 4
    collapse: tuple = None  # None: chosen to fit
    expand: tuple = ()
    around: object = None  # a node of the graph, or None for all of it
    depth: int = 1
    theme: str = "light"
    fontsize: float = 12.0
    scale: float = 1.0
    width: float = CELL_WIDTH  # CSS px; None: no limit
    dpi: float = None
    size: tuple = None  # (width, height) px a PNG fits inside
    timeout: float = TIMEOUT  # seconds; None: no limit
    max_frames: int = 500
    max_bytes: int = PAGE_BYTES  # a stepper's page at most (see estimate.py)
    fold: object = None  # True, False, or None: fold repeated structure when too big to read (fold.py)
    sample: int = None  # k: the k-th sample of the graph's `samples` fold, drawn alone (folded.py)

    def __post_init__(self):
        caller = self.caller
        if self.rankdir is not None and self.rankdir not in RANKDIRS:
            _refuse_choice(caller, "rankdir", self.rankdir, ", ".join(RANKDIRS))
        if not isinstance(self.theme, str) or self.theme not in THEMES:
            _refuse_choice(caller, "theme", self.theme, ", ".join(map(repr, THEMES)))
        if self.show_grads not in (True, False, "blank"):
            raise RefusedType(f"{caller}: got show_grads={self.show_grads!r}; use True, False or 'blank'",
                              option="show_grads")
        if self.show_local_grads not in (True, False):
            raise RefusedType(f"{caller}: got show_local_grads={self.show_local_grads!r}; use True or False",
                              option="show_local_grads")
        _whole(caller, "precision", self.precision, 1, "a whole number of significant digits, 1 or more")
        _whole(caller, "max_nodes", self.max_nodes, 1, "a positive whole number")
        _whole(caller, "max_frames", self.max_frames, 1, "a positive whole number")
        _whole(caller, "max_bytes", self.max_bytes, 1, "a positive whole number of bytes")
        if self.fold not in (None, True, False):
            raise RefusedValue(f"{caller}: got fold={self.fold!r}; use True (fold repeated structure), False, "
                               f"or None (fold when the whole graph is too big to read)", option="fold")
        if self.sample is not None:
            _whole(caller, "sample", self.sample, 0, "a whole number: which sample to draw alone, from 0")
        _whole(caller, "depth", self.depth, 0, "a whole number of edges, 0 or more")
        for option in ("fontsize", "scale"):
            self._set(option, _number(caller, option, getattr(self, option), *RANGES[option]))
        for option in ("collapse", "expand"):
            names = getattr(self, option)
            if names is not None:
                self._set(option, _scope_list(caller, option, names))
        if not _iterable(self.highlight):
            raise RefusedType(f"{caller}: got highlight={self.highlight!r}; give a list of nodes of root's graph",
                              option="highlight")
        self._set("highlight", tuple(self.highlight))
        if self.width is not None and (isinstance(self.width, bool) or not isinstance(self.width, Real)
                                       or not self.width > 0):
            raise _refused(self.width, Real, f"{caller}: got width={self.width!r}; "
                                             f"use a positive number of CSS px, or None", "width")
        self._check_png()
        if self.timeout is not None:
            self._set("timeout", _number(caller, "timeout", self.timeout, 0.001))

    def _check_png(self):
        caller, dpi, size = self.caller, self.dpi, self.size
        if dpi is not None and (isinstance(dpi, bool) or not isinstance(dpi, Real) or not 0 < dpi <= 2400):
            raise _refused(dpi, Real, f"{caller}: got dpi={dpi!r}; use a positive number of dots per inch, e.g. 192",
                           "dpi")
        if size is not None:
            if dpi is not None:
                raise RefusedValue(f"{caller}: got both dpi={dpi!r} and size={size!r}; give one of them",
                                   option="size")
            if (not isinstance(size, (tuple, list)) or len(size) != 2
                    or not all(isinstance(v, Integral) and not isinstance(v, bool) and v > 0 for v in size)):
                raise _refused(size, (tuple, list), f"{caller}: got size={size!r}; use (width, height) in pixels, "
                                                    f"e.g. size=(1920, 1080)", "size")
            self._set("size", tuple(size))

    def _set(self, option, value):
        object.__setattr__(self, option, value)  # normalising a frozen field, before anyone reads it

    def but(self, **changes):
        """The same Look with some options changed, checked again.

        >>> Look("draw").but(rankdir="TB").rankdir
        'TB'
        """
        return replace(self, **changes)

    @property
    def height(self):
        """CSS px the picture may take: half a slide's pixels (size=, at twice the density), else None."""
        if self.size is not None and self.width == CELL_WIDTH:
            return self.size[1] / 2
        return None

    @property
    def fit_width(self):
        """CSS px the picture may take across: `width`, or half a slide's pixels (size=)."""
        if self.size is not None and self.width == CELL_WIDTH:
            return self.size[0] / 2
        return self.width

    @property
    def text(self):
        """The values' text size in points, scaled."""
        return self.fontsize * self.scale


def _refused(value, accepted, message, option):
    """RefusedType where value is not of the accepted type, else RefusedValue; the same message."""
    kind = RefusedValue if isinstance(value, accepted) and not isinstance(value, bool) else RefusedType
    return kind(message, option=option)


def _refuse_choice(caller, option, value, listed):
    raise _refused(value, str, f"{caller}: got {option}={value!r}; use one of {listed}", option)


def _whole(caller, option, value, low, accepted):
    if not isinstance(value, Integral) or isinstance(value, bool) or value < low:
        raise _refused(value, Integral, f"{caller}: got {option}={value!r}; use {accepted}", option)


def _number(caller, option, value, low=None, high=None):
    try:
        return number(caller, option, value, low, high)
    except (RefusedType, RefusedValue) as error:
        raise type(error)(str(error), option=option) from None


def _scope_list(caller, option, names):
    names = tuple(names) if _iterable(names) and not isinstance(names, str) else names
    if not isinstance(names, tuple) or not all(isinstance(name, str) for name in names):
        raise RefusedType(
            f"{caller}: got {option}={names!r}; give a list of scope names, e.g. {option}=['layers.0']",
            option=option,
        )
    return names


def _iterable(names):
    try:
        iter(names)
    except TypeError:
        return False
    return True
