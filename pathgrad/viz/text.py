"""How names and labels are written inside drawings."""

import re
import textwrap
import unicodedata

from graphviz import nohtml

from ..engine import Value, node_names
from ..engine.validation import RefusedValue

# pathgrad.nn's parameter names, shortened for drawings: layers.0.neurons.3.w.1 -> L0.n3.w1.
_SHORT = {"layers": "L", "neurons": "n", "w": "w"}
_NN_PART = re.compile(r"(?:^|(?<=\.))(layers|neurons|w)\.(\d+)")


def short_name(name):
    """A node's name as drawn: pathgrad.nn's dotted parameter names in short, others as they are.

    The short form stays unambiguous: L is a layer, n a neuron, w a weight.

    >>> short_name("layers.0.neurons.3.w.1"), short_name("layers.1.neurons.0.b"), short_name("x1")
    ('L0.n3.w1', 'L1.n0.b', 'x1')
    """
    return _NN_PART.sub(lambda part: _SHORT[part[1]] + part[2], name)


def display_names(root):
    """{node: its name as drawings show it} for root's graph: node_names, nn's names in short,
    and a negative constant an operand bracketed: `x - (-1)`, never `x - -1`.

    The one name of a node that drawings, tooltips and captions all use.

    >>> from pathgrad import Value
    >>> w = Value(0.5, "layers.1.neurons.3.w.1"); y = w * 2; y.label = "y"
    >>> display_names(y)[w], display_names(y)[y.children[1]]
    ('L1.n3.w1', '2')
    >>> list(display_names(Value(2.0, "x") - (-1)).values())[-1]
    '(x - (-1))'
    """
    return {node: _NEGATIVE_OPERAND.sub(r"(\1)", short_name(name)) for node, name in node_names(root).items()}


_NEGATIVE_OPERAND = re.compile(r"(?<= [-+*/] )(-\d[\d.]*(?:e[-+]?\d+)?)")
_TEMPORARY = re.compile(r"\bt\d+\b")  # node_names' t1, t2, ...: an operation named by its place


def renamed(names, called):
    """names with each node of `called` ({node: new name}) renamed, and every name made of a
    temporary name (t33) so renamed written with the new one: `(1 * t33)` becomes `(1 * L2.n0)`.

    >>> from pathgrad import Value
    >>> a = Value(2.0, "a"); t = a * 3 + 1; y = t * 2
    >>> names = display_names(y); names[y]
    '(t1 * 2)'
    >>> renamed(names, {t: "L0.n0"})[y]
    '(L0.n0 * 2)'
    """
    rewrite = rewriting(names, called)
    return {**{node: rewrite(name) for node, name in names.items()}, **called}


def rewriting(names, called):
    """A function that writes a text (a name, a tooltip) with the temporary names of `called`'s
    nodes replaced by their new names, as `renamed` does."""
    tokens = {names[node]: name for node, name in called.items() if _TEMPORARY.fullmatch(names[node])}
    if not tokens:
        return lambda text: text
    return lambda text: _TEMPORARY.sub(lambda m: tokens.get(m[0], m[0]), text)


def shown_number(x):
    """The number a field shows: x itself, or x.data where x is a Value (a grad after create_graph=True).

    >>> from pathgrad import Value
    >>> shown_number(Value(3.0)), shown_number(2.5), shown_number(None)
    (3.0, 2.5, None)
    """
    return x.data if isinstance(x, Value) else x


def visible(text):
    """Text with each character XML or a terminal cannot carry written out: control characters but the
    newline as \\x1b, lone surrogates and the non-characters U+FFFE and U+FFFF as \\ud800.

    >>> visible("a\\x1bb\\nc")
    'a\\\\x1bb\\nc'
    >>> visible("a\\ufffeb\\ud800")
    'a\\\\ufffeb\\\\ud800'
    """
    return "".join(_written_out(c) for c in text)


def _written_out(c):
    if unicodedata.category(c) == "Cc" and c != "\n":
        return f"\\x{ord(c):02x}"
    if "\ud800" <= c <= "\udfff" or c in "\ufffe\uffff":
        return f"\\u{ord(c):04x}"
    return c


# The graphviz package's quoting scans a run of backslashes once from each of its characters, so a
# run of n takes n² steps (16,380 backslashes: 77 s). Labels are checked here, before it sees them.
LONGEST_BACKSLASH_RUN = 128  # as typed; written for Graphviz, each is doubled
_BACKSLASHES = re.compile(r"\\{%d,}" % (LONGEST_BACKSLASH_RUN + 1))


def _checked(text):
    if _BACKSLASHES.search(text):
        raise RefusedValue(
            f"draw: a label holds a run of more than {LONGEST_BACKSLASH_RUN} backslashes, which Graphviz "
            f"cannot take in reasonable time; shorten the label starting {text[:30] + '...'!r}"
        )
    return text


def plain(text):
    """Text for a Graphviz label, shown as written (never as an HTML-like label); a newline breaks the line."""
    return nohtml(_checked(visible(text)).replace("\\", "\\\\").replace("\n", "\\n"))


def record_field(text):
    """Text for one field of a record label, with Graphviz's field syntax escaped; a newline breaks the line."""
    text = _checked(visible(text))
    for special in "\\{}|<>":
        text = text.replace(special, "\\" + special)
    return text.replace("\n", "\\n")


def caption_label(text, width=100):
    """A caption as a Graphviz label: wrapped at `width` characters, lines left-justified.

    >>> print(caption_label("a b", width=1))
    a\\lb\\l
    """
    lines = textwrap.wrap(_checked(visible(text)), width) or [""]
    return nohtml("".join(line.replace("\\", "\\\\") + "\\l" for line in lines))
