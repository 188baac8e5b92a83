"""Forward mode: push d node / d wrt from the inputs up to the output.

Where reverse mode answers "how does the one output depend on every node?"
in one sweep from the root, forward mode answers "how does every node depend
on one input?" in one sweep from the leaves, over the same local derivatives:
tangent(node) = sum over edges of local_grad * tangent(child).
"""

from .graph import topological_order


def forward_mode(root, wrt):
    """{node: d node / d wrt} for every node of root's graph, in one forward sweep.

    wrt's tangent is 1; a node that does not depend on wrt gets 0.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0), Value(1.0)
    >>> c = a + b; d = b + 1; e = c * d
    >>> tangents = forward_mode(e, b)
    >>> tangents[c], tangents[d], tangents[e]
    (1.0, 1.0, 5.0)
    """
    tangents = {}
    for node in topological_order(root):
        if node is wrt:
            tangents[node] = 1.0
            continue
        tangent = 0.0
        for child, local in zip(node.children, node.local_grads):
            tangent += local * tangents[child]
        tangents[node] = tangent
    return tangents
