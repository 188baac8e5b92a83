"""How names and labels are written inside drawings."""

import re
import unicodedata

from graphviz import nohtml

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


def visible(text):
    """Text with each control character but the newline written out, as \\x1b.

    >>> visible("a\\x1bb\\nc")
    'a\\\\x1bb\\nc'
    """
    return "".join(
        f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" and c != "\n" else c for c in text
    )


def plain(text):
    """Text for a Graphviz label, shown as written (never as an HTML-like label); a newline breaks the line."""
    return nohtml(visible(text).replace("\\", "\\\\").replace("\n", "\\n"))


def record_field(text):
    """Text for one field of a record label, with Graphviz's field syntax escaped; a newline breaks the line."""
    text = visible(text)
    for special in "\\{}|<>":
        text = text.replace(special, "\\" + special)
    return text.replace("\n", "\\n")
