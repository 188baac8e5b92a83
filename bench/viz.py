"""How long pathgrad.viz takes to render: medians over repeats.

    python bench/viz.py [--repeats N]

Each with a goal of under a second on this machine (and the issue's sizes):
- to_svg of a fused MLP(2, [16, 16, 1]) graph after backward (one dot run);
- the stepper of an unfused MLP(2, [4, 4, 1]): built and shown as HTML
  (goal: at most 1 s and 1 MB);
- the stepper of a 1,000-node graph (a 249-term dot product, 499 frames,
  just under the default frame limit; goal: at most 2 s and 5 MB);
- a 20-step stepper saved as one HTML page;
- the readable picture (draw() fitted to a 960 px cell, then its SVG) of a
  1,028-node graph, the unfused MLP(3, [16, 16, 1]) (goal: at most 0.5 s);
- a scalar-GPT step (bench/gpt.py, ~55,000 nodes, with its weights and each
  position in a scope, as notebook 08 does) drawn collapsed (goal: at most 2 s);
- micrograd's moons loss (nn/lecture.py: 100 samples through MLP(2, [16, 16,
  1]), 8,318 nodes): finding its folds, and draw() shown as a notebook shows
  it (folded, readable; goal: at most 2 s); the stepper of one sample (goal:
  at most 1 MB), of the whole batch stepped folded (its samples one box; goal:
  at most 2 MB, built and shown in a few seconds, where it used to build 57 MB
  in 20 s), and of the batch unfolded (fold=False: refused before building,
  in how long).
Each repeat builds fresh graphs, so nothing is cached between repeats. The
machine is shared and noisy: the median is the figure to read.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pathgrad import Value, scope, topological_order  # noqa: E402
from pathgrad.nn import MLP  # noqa: E402
from pathgrad.nn.lecture import moons_loss, sample_loss  # noqa: E402
from pathgrad.viz.fold import find_folds  # noqa: E402
from pathgrad.viz import draw, step_through, to_svg  # noqa: E402

import gpt  # noqa: E402  (bench/gpt.py)


def fused_mlp(seed=0):
    """Squared-error loss of pathgrad.nn's MLP(2, [16, 16, 1]), fused: one wsum node per neuron."""
    random.seed(seed)
    model = MLP(2, [16, 16, 1])
    x = [Value(0.5, "x0"), Value(-1.0, "x1")]
    loss = (model(x) - 1.0) ** 2
    loss.label = "loss"
    return loss


def unfused_mlp(seed=0):
    """The output of pathgrad.nn's MLP(2, [4, 4, 1], fused=False): about a hundred nodes."""
    random.seed(seed)
    model = MLP(2, [4, 4, 1], fused=False)
    return model([Value(0.5, "x0"), Value(-1.0, "x1")])


def thousand_nodes(seed=0):
    """A dot product of 249 pairs summed left to right: 995 nodes, 497 backward steps (499 frames)."""
    rng = random.Random(seed)
    total = None
    for i in range(249):
        term = Value(rng.uniform(-1, 1), f"a{i}") * Value(rng.uniform(-1, 1), f"b{i}")
        total = term if total is None else total + term
    total.label = "y"
    return total


def twenty_step_network(seed=0):
    """Four unfused 2-input tanh neurons (5 operations each): 20 backward steps.

    Two read the inputs, a third reads those two, and the output reads the
    third and the first (a skip connection, so paths branch and rejoin).
    """
    rng = random.Random(seed)
    inputs = [Value(rng.uniform(-1, 1), f"x{i}") for i in range(2)]

    def neuron(xs, name):
        w1, w2 = (Value(rng.uniform(-1, 1), f"{name}.w{k}") for k in range(2))
        out = (w1 * xs[0] + w2 * xs[1] + Value(0.1, f"{name}.b")).tanh()
        out.label = name
        return out

    first, second = neuron(inputs, "h0"), neuron(inputs, "h1")
    third = neuron([first, second], "h2")
    return neuron([third, first], "o")


def wide_unfused_mlp(seed=0):
    """The output of pathgrad.nn's MLP(3, [16, 16, 1], fused=False) after backward: 1,028 nodes."""
    random.seed(seed)
    model = MLP(3, [16, 16, 1], fused=False)
    y = model([Value(0.5, "x0"), Value(-1.0, "x1"), Value(2.0, "x2")])
    y.label = "y"
    y.backward()
    return y


class ScopedGPT(gpt.GPT):
    """bench/gpt.py's GPT with its weights in scope "weights" and each position in its own scope."""

    def __init__(self, *args):
        with scope("weights"):
            super().__init__(*args)

    def forward(self, token, position, keys, values):
        return scope.run(f"position{position}", super().forward, token, position, keys, values)


def gpt_step_loss():
    """The loss of one scalar-GPT step on one name, after backward."""
    model = ScopedGPT(Value, ["emma", "olivia", "ava", "isabella", "sophia"])
    loss = model.loss(3)
    loss.backward()
    return loss


def median_seconds(task, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=7)
    repeats = parser.parse_args().repeats
    folder = tempfile.mkdtemp(prefix="pathgrad-bench-viz-")

    def render_mlp():
        loss = fused_mlp()
        loss.backward()
        to_svg(loss)

    def stepper_page():
        root = twenty_step_network()
        stepper = step_through(root)
        stepper.save_html(os.path.join(folder, "stepper.html"))
        return stepper

    nodes = len(topological_order(fused_mlp()))
    steps = len(stepper_page()) - 2
    print(f"pathgrad.viz render times, median of {repeats} (goal: under 1 s each)")
    mlp_seconds = median_seconds(render_mlp, repeats)
    print(f"  to_svg, fused MLP(2, [16, 16, 1]) loss, {nodes} nodes: {mlp_seconds:.3f} s")
    for name, graph, goal in [("unfused MLP(2, [4, 4, 1])", unfused_mlp, "1 s, 1 MB"),
                              ("1,000-node graph", thousand_nodes, "1 s, 5 MB")]:
        pages = []
        # max_bytes: the 1,000-node page (4 MB) is over the default 2 MB, which refuses it
        seconds = median_seconds(lambda: pages.append(step_through(graph(), max_bytes=10**8)._repr_html_()), repeats)
        size = len(pages[-1].encode("utf-8")) / 1e6
        print(f"  stepper of the {name}, {len(topological_order(graph()))} nodes, built and shown: "
              f"{seconds:.3f} s, {size:.2f} MB (goal: {goal})")
    page_seconds = median_seconds(stepper_page, repeats)
    print(f"  step_through(...).save_html, {steps} backward steps: {page_seconds:.3f} s")
    for name, graph, goal in [("1,028-node unfused MLP(3, [16, 16, 1])", wide_unfused_mlp, 0.5),
                              ("scalar-GPT step", gpt_step_loss, 2.0)]:
        roots = [graph() for _ in range(repeats)]  # built beforehand: the drawing alone is timed
        shown = []
        seconds = median_seconds(lambda: shown.append(draw(roots[len(shown)]).svg()), repeats)
        caption = draw(roots[0]).graph_attr.get("label", "").replace("\\l", " ").strip()
        print(f"  draw(...).svg(), the {name}, {len(topological_order(roots[0]))} nodes, fitted to 960 px: "
              f"{seconds:.3f} s (goal: {goal} s); {caption or 'nothing collapsed'}")

    moons_figures(repeats)


def one_moons_sample():
    """One moons sample's hinge loss through micrograd's MLP(2, [16, 16, 1]), after backward."""
    return sample_loss()[0]


def moons_figures(repeats):
    """micrograd's moons loss: folds found, drawn and shown, and the steppers of one sample and the batch."""
    roots = [moons_loss()[0] for _ in range(repeats)]
    found = []
    fold_seconds = median_seconds(lambda: found.append(find_folds(roots[len(found)])), repeats)
    counts = ", ".join(f"{fold.count} {fold.name} of {fold.size} nodes" for fold in found[0].folds)
    print(f"  find_folds, micrograd's moons loss, {len(topological_order(roots[0]))} nodes: "
          f"{fold_seconds:.3f} s ({counts})")
    shown = []
    seconds = median_seconds(lambda: shown.append(draw(roots[len(shown)])._repr_mimebundle_()[0]), repeats)
    what = "SVG and PNG" if "image/svg+xml" in shown[0] else "one line: " + shown[0]["text/plain"][:60]
    print(f"  draw(moons loss) shown as in a notebook: {seconds:.3f} s (goal: 2 s); {what}")
    pages = []
    seconds = median_seconds(lambda: pages.append(step_through(one_moons_sample())._repr_html_()), repeats)
    print(f"  stepper of one moons sample, built and shown: {seconds:.3f} s, "
          f"{len(pages[-1].encode('utf-8')) / 1e6:.2f} MB (goal: 1 MB)")
    folded = []
    seconds = median_seconds(lambda: folded.append(step_through(roots[len(folded)])), repeats)
    shown = []
    shown_seconds = median_seconds(lambda: shown.append(folded[len(shown)]._repr_html_()), repeats)
    print(f"  stepper of the whole moons batch, folded: built in {seconds:.3f} s, shown in {shown_seconds:.3f} s, "
          f"{len(folded[0])} frames, {len(shown[-1].encode('utf-8')) / 1e6:.2f} MB (goal: 2 MB)")
    refusals = []

    def batch_stepper():
        try:
            step_through(roots[0], fold=False)
        except ValueError as refusal:
            refusals.append(str(refusal))

    seconds = median_seconds(batch_stepper, max(1, repeats // 3))
    print(f"  stepper of the whole moons batch unfolded (fold=False): refused in {seconds:.3f} s: "
          f"{refusals[-1][:90]}...")


if __name__ == "__main__":
    main()
