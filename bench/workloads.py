"""One timed workload in this fresh process; prints its measurements as JSON.

    python bench/workloads.py CASE ENGINE [--width W] [--repeats N]

CASE is demo, sample, memory, chain or gpt; ENGINE is micrograd, pathgrad
(fused neurons, the default), pathgrad-unfused (micrograd's graph, node for
node) or minimal (bench/minimal_value.py, the scalar GPT's baseline). Set
PATHGRAD_PURE=1 to run pathgrad's pure-Python engine instead of its compiled core.
bench/run.py starts one process per measurement, alternating the engines, so
that garbage one engine leaves behind is never collected on the other's clock.
The workload code is the same for every engine: micrograd's own demo loop, and
microgpt's training loop. As in those loops, the previous step's graph is still
alive while the next one is built (micrograd's notebook holds it in total_loss).
"""

import argparse
import json
import random
import statistics
import sys
import time
import tracemalloc


def value_class(engine):
    """The engine's Value class."""
    if engine == "micrograd":
        from micrograd.engine import Value
    elif engine == "minimal":
        from minimal_value import Value
    else:
        from pathgrad import Value
    return Value


def load(engine, width):
    """The engine's Value class and a seeded MLP(2, [width, width, 1])."""
    random.seed(1337)
    if engine == "micrograd":
        # micrograd's topological sort recurses once per node along the deepest
        # path; past width 16 the L2 sum alone is over 1000 deep, beyond
        # Python's default limit. Raise it so micrograd can be measured at all.
        sys.setrecursionlimit(20_000)
        from micrograd.engine import Value
        from micrograd.nn import MLP

        return Value, MLP(2, [width, width, 1])
    from pathgrad import Value
    from pathgrad.nn import MLP

    return Value, MLP(2, [width, width, 1], fused=engine == "pathgrad")


def moons():
    """micrograd's demo data: 100 two-moons samples, labels -1 or +1."""
    from pathgrad.nn.data import make_moons

    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    return X, y * 2 - 1


def demo_loss(Value, model, X, y):
    """micrograd's demo loss, verbatim: SVM max-margin plus L2 regularization."""
    inputs = [list(map(Value, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum((p * p for p in model.parameters()))
    return data_loss + reg_loss


def demo_step(Value, model, X, y, k):
    """One step of micrograd's demo: forward, zero_grad, backward, SGD update."""
    total_loss = demo_loss(Value, model, X, y)
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return total_loss


def case_demo(engine, width, repeats):
    Value, model = load(engine, width)
    X, y = moons()
    total_loss = demo_step(Value, model, X, y, 0)  # warm-up: first allocations, caches
    start = time.perf_counter()
    for k in range(1, repeats + 1):
        total_loss = demo_step(Value, model, X, y, k)  # noqa: F841  (the old graph lives until this returns)
    return {"seconds": (time.perf_counter() - start) / repeats}


def case_sample(engine, width, repeats):
    Value, model = load(engine, width)
    x = [0.5, -0.3]
    start = time.perf_counter()
    for _ in range(repeats):
        out = model([Value(v) for v in x])
        out.backward()
    return {"seconds": (time.perf_counter() - start) / repeats}


def count_nodes(root):
    """Nodes reachable from root, by children (micrograd's `_prev`)."""
    seen, stack = {root}, [root]
    while stack:
        node = stack.pop()
        for child in node._prev if hasattr(node, "_prev") else node.children:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return len(seen)


def case_memory(engine, width, repeats):
    Value, model = load(engine, width)
    X, y = moons()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    loss = demo_loss(Value, model, X, y)
    loss.backward()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    nodes = count_nodes(loss)
    return {"bytes_per_node": used / nodes, "nodes": nodes}


def case_chain(engine, width, repeats, length=1_000_000):
    Value, _ = load(engine, 1)
    start = time.perf_counter()
    x = Value(1.0)
    y = x
    for _ in range(length):
        y = y * 1.0
    built = time.perf_counter()
    try:
        y.backward()
    except RecursionError:
        return {"build_seconds": built - start, "backward": "RecursionError"}
    done = time.perf_counter()
    return {"build_seconds": built - start, "backward_seconds": done - built, "grad": x.grad}


def case_gpt(engine, width, repeats):
    """microgpt's training loop: one name per step, Adam, the last loss kept alive."""
    from gpt import GPT

    from pathgrad.nn.data import load_names

    model = GPT(value_class(engine), load_names())
    steps = repeats + 1
    loss = model.step(0, steps)  # warm-up
    losses, seconds = [loss.data], []
    for step in range(1, steps):
        start = time.perf_counter()
        loss = model.step(step, steps)
        seconds.append(time.perf_counter() - start)
        losses.append(loss.data)
    return {"seconds": statistics.median(seconds), "losses": losses, "nodes": count_nodes(loss)}


CASES = {
    "demo": case_demo,
    "sample": case_sample,
    "memory": case_memory,
    "chain": case_chain,
    "gpt": case_gpt,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", choices=sorted(CASES))
    parser.add_argument("engine", choices=["micrograd", "pathgrad", "pathgrad-unfused", "minimal"])
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(CASES[args.case](args.engine, args.width, args.repeats)))


if __name__ == "__main__":
    main()
