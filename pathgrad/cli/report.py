"""What `pathgrad graph` and `pathgrad demo` print: the gradient table and the paths.

Both read the graph after `output.backward()`, so every grad printed is
d output / d value, and the paths' products sum to it.
"""

from pathgrad.engine import PathLimitExceeded, all_paths, count_paths, factor_text, node_name, number_text

from .errors import InputError


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
        numbers = " * ".join(factor_text(g) for g in path.local_grads)
        product = f" = {number_text(path.product)}" if len(path.local_grads) > 1 else ""
        lines.append(f"  {' -> '.join(names)}: {symbols} = {numbers}{product}")
    backward = f"backward gives d{out}/d{start} = {number_text(wrt.grad)}"
    if len(paths) == 1:
        lines.append(f"one path, so its product is the gradient; {backward}")
        return "\n".join(lines)
    total = 0.0
    for path in paths:
        total += path.product
    addends = " + ".join(factor_text(path.product) for path in paths) if len(paths) <= 10 else "..."
    lines.append(f"sum of the products: {addends} = {number_text(total)}; {backward}")
    return "\n".join(lines)
