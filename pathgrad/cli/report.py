"""What `pathgrad graph` and `pathgrad demo` print: the gradient table and the paths.

Both read the graph after `output.backward()`, so every grad printed is
d output / d value, and the paths' products sum to it.
"""

from pathgrad.engine import PathSum, derivative_name, node_name, number_text


def gradient_table(output, named):
    """One row per named value: its name, value and grad = d output / d value.

    The output gets a row of its own when no name was given to it.

    >>> from pathgrad import Value
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"; y.backward()
    >>> print(gradient_table(y, {"x": x, "y": y}))
    name        value         grad
    x               3            6
    y               9            1
    grad = dy/d(name)
    """
    rows = list(named.items())
    if output not in named.values():
        rows.append((node_name(output), output))
    out = node_name(output)
    width = max(len("name"), *(len(name) for name, _ in rows))
    lines = [f"{'name':<{width}} {'value':>12} {'grad':>12}"]
    for name, value in rows:
        lines.append(f"{name:<{width}} {number_text(value.data):>12} {number_text(value.grad):>12}")
    lines.append(f"grad = d{out}/d(name)" if output.label else "grad = d(output)/d(name), the output being the last row")
    return "\n".join(lines)


def paths_text(output, wrt, max_chars=20_000):
    """Every path from wrt up to the output with its local grads and product, then their sum.

    The sum of the products is the chain rule written out; backward's grad is
    printed beside it, and they agree. Past max_chars characters the rest of
    the paths are counted, not listed.

    >>> from pathgrad import Value
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"; y.backward()
    >>> print(paths_text(y, x))
    paths from x to y: 2
      x -> y: ∂y/∂x = 3
      x -> y: ∂y/∂x = 3
    sum of the products: 3 + 3 = 6; backward gives dy/dx = 6
    """
    path_sum = PathSum(output, wrt)
    text = path_sum.text(max_chars)
    if wrt is output or not path_sum.count:
        return text
    return f"{text}; backward gives {derivative_name(output, wrt, path_sum.names)} = {number_text(wrt.grad)}"
