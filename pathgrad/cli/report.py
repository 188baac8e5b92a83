"""What `pathgrad graph` and `pathgrad demo` print: the gradient table and the paths.

Both read the graph after `output.backward()`, so every grad printed is
d output / d value, and the paths' products sum to it.
"""

from pathgrad.engine import PathLimitExceeded, all_paths, count_paths, node_name

from .errors import InputError


def _number(x):
    """A number as a person writes it (6 significant digits): 2, 0.5, -1.5."""
    return f"{x:.6g}"


def _factor(x):
    """A number inside a product: negatives in parentheses."""
    return f"({_number(x)})" if x < 0 else _number(x)


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
        lines.append(f"{name:<{width}} {_number(value.data):>12} {_number(value.grad):>12}")
    lines.append(f"grad = d{out}/d(name)" if output.label else "grad = d(output)/d(name), the output being the last row")
    return "\n".join(lines)


def paths_text(output, wrt):
    """Every path from wrt up to the output with its local grads and product, then their sum.

    The sum of the products is the chain rule written out; backward's grad is
    printed beside it, and they agree.

    >>> from pathgrad import Value
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"; y.backward()
    >>> print(paths_text(y, x))
    paths from x to y: 2
      x -> y: dy/dx = 3
      x -> y: dy/dx = 3
    sum of the products: 3 + 3 = 6; backward gives dy/dx = 6
    """
    out, start = node_name(output), node_name(wrt)
    try:
        paths = all_paths(output, wrt)
    except PathLimitExceeded:
        raise InputError(
            f"--paths {start}: there are {count_paths(output, wrt)} paths from {start} to {out}, "
            f"too many to list; the grad column is their sum, which backward finds without listing them"
        ) from None
    if wrt is output:
        return f"{out} is the output: one path of no edges, d{out}/d{out} = 1"
    if not paths:
        return f"no path from {start} to {out}, so d{out}/d{start} = 0"
    lines = [f"paths from {start} to {out}: {len(paths)}"]
    for path in paths:
        names = [node_name(node) for node in path.nodes]
        symbols = " * ".join(f"d{top}/d{bottom}" for bottom, top in zip(names, names[1:]))
        numbers = " * ".join(_factor(g) for g in path.local_grads)
        product = f" = {_number(path.product)}" if len(path.local_grads) > 1 else ""
        lines.append(f"  {' -> '.join(names)}: {symbols} = {numbers}{product}")
    backward = f"backward gives d{out}/d{start} = {_number(wrt.grad)}"
    if len(paths) == 1:
        lines.append(f"one path, so its product is the gradient; {backward}")
        return "\n".join(lines)
    total = 0.0
    for path in paths:
        total += path.product
    addends = " + ".join(_factor(path.product) for path in paths) if len(paths) <= 10 else "..."
    lines.append(f"sum of the products: {addends} = {_number(total)}; {backward}")
    return "\n".join(lines)
