"""How numbers and names are written inside drawings and captions."""

from graphviz import nohtml

from ..engine import node_name


def derivative(top, bottom):
    """d top / d bottom written with the nodes' names, e.g. "dc/da".

    >>> from pathgrad import Value
    >>> a = Value(2.0, "a"); c = a + 1; c.label = "c"
    >>> derivative(c, a)
    'dc/da'
    """
    return f"d{node_name(top)}/d{node_name(bottom)}"


def plain(text):
    """Text for a Graphviz label, shown as written (never as an HTML-like label)."""
    return nohtml(text.replace("\\", "\\\\"))


def record_field(text):
    """Text for one field of a record label, with Graphviz's field syntax escaped."""
    for special in "\\{}|<>":
        text = text.replace(special, "\\" + special)
    return text
