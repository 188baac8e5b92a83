"""pathgrad against micrograd 0.1.0 and a minimal Value, in one run: medians and ratios.

    python bench/run.py [--rounds N] [--quick] [--gpt]      (or: make bench)
    python bench/run.py --against TREE [--rounds N]       this tree's engines against another checkout's

Every measurement runs in its own fresh Python process, and the engines take
turns (a different one first in each round), so none is charged for another's
garbage and all see the same machine load. In every loop the previous step's
graph is alive while the next is built, as in micrograd's notebook. Each figure
is the median over rounds; a ratio is the baseline's median over pathgrad's.
"pathgrad" is the compiled core where it is built; "pure" runs with
PATHGRAD_PURE=1. This machine is shared and noisy: read the ratios, not the times.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

WORKLOADS = Path(__file__).with_name("workloads.py")
MLP_ENGINES = ["micrograd", "pathgrad", "pathgrad-unfused"]
GPT_ENGINES = ["minimal", "pathgrad-pure", "pathgrad"]


def measure(case, engine, **options):
    """Run one workload in a fresh process and return what it printed."""
    pure = engine.endswith("-pure")
    command = [sys.executable, str(WORKLOADS), case, engine.removesuffix("-pure")]
    for name, value in options.items():
        command += [f"--{name}", str(value)]
    env = dict(os.environ, PATHGRAD_PURE="1") if pure else {
        k: v for k, v in os.environ.items() if k != "PATHGRAD_PURE"
    }
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode:
        sys.exit(f"bench: {' '.join(command[1:])} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def alternating(case, rounds, engines, **options):
    """{engine: [one result per round]}, the engines' order rotating each round."""
    samples = {engine: [] for engine in engines}
    for r in range(rounds):
        order = engines[r % len(engines) :] + engines[: r % len(engines)]
        for engine in order:
            samples[engine].append(measure(case, engine, **options))
    return samples


def medians(samples, key="seconds"):
    return {engine: statistics.median(s[key] for s in runs) for engine, runs in samples.items()}


def _amount(x, unit):
    """3 significant digits, without exponents: 1,210 ms, 25.5 ms."""
    return f"{x:,.0f} {unit}" if x >= 100 else f"{x:.3g} {unit}"


def row(name, times, engines, unit_scale, unit, goals=None):
    """A table row: each engine's median, then the first engine's median over each other's."""
    base = times[engines[0]]
    cells = [_amount(times[e] * unit_scale, unit) for e in engines]
    for engine in engines[1:]:
        goal = (goals or {}).get(engine)
        cells.append(f"{base / times[engine]:.1f}x" + (f" (goal {goal}x)" if goal else ""))
    return f"| {name} | " + " | ".join(cells) + " |"


def gpt_table(rounds):
    samples = alternating("gpt", rounds, GPT_ENGINES, repeats=5)
    losses = {e: runs[0]["losses"] for e, runs in samples.items()}
    gap = max(abs(a - b) for e in GPT_ENGINES[1:] for a, b in zip(losses["minimal"], losses[e]))
    nodes = samples["pathgrad"][0]["nodes"]
    print("| workload | minimal Value | pathgrad (pure) | pathgrad | speed-up pure | speed-up |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(row(f"scalar GPT training step (4,192 parameters, {nodes:,} nodes)", medians(samples),
              GPT_ENGINES, 1e3, "ms", {"pathgrad": 10}))
    print(f"\nLosses of {len(losses['minimal'])} steps from the same seed: largest difference "
          f"between engines {gap:.1e} (goal at most 1e-12).\n", flush=True)


def micrograd_table(rounds, widths):
    print("| workload | micrograd | pathgrad (fused) | pathgrad (unfused) | speed-up fused | speed-up unfused |")
    print("| --- | --- | --- | --- | --- | --- |")
    demo = medians(alternating("demo", rounds, MLP_ENGINES, repeats=3))
    print(row("moons demo step, MLP 2-16-16-1, 100 samples", demo, MLP_ENGINES, 1e3, "ms",
              {"pathgrad": 100, "pathgrad-unfused": 20}), flush=True)
    sample = medians(alternating("sample", rounds, MLP_ENGINES, repeats=300))
    print(row("one sample, forward + backward", sample, MLP_ENGINES, 1e6, "µs",
              {"pathgrad": 30, "pathgrad-unfused": 10}), flush=True)
    memory = {e: measure("memory", e) for e in MLP_ENGINES}
    cells = [f"{memory[e]['bytes_per_node']:.0f} B ({memory[e]['nodes']} nodes)" for e in MLP_ENGINES]
    shares = [f"{memory[e]['bytes_per_node'] / memory['micrograd']['bytes_per_node']:.2f} of micrograd's"
              for e in MLP_ENGINES[1:]]
    print("| bytes per node, demo graph after backward | " + " | ".join(cells + shares)
          + " (goal at most 0.17) |")

    for width in widths:
        if width == 16:
            continue  # the demo row above
        scaled = medians(alternating("demo", max(3, rounds // 2), MLP_ENGINES, width=width, repeats=1))
        print(row(f"moons demo step, MLP 2-{width}-{width}-1", scaled, MLP_ENGINES, 1e3, "ms"), flush=True)


def chain_lines():
    print()
    print("1,000,000-node chain y = x * 1.0 * 1.0 * ... (pathgrad: median of 3 processes):")
    for engine, times in [("micrograd", 1), ("pathgrad-pure", 3), ("pathgrad", 3)]:
        runs = [measure("chain", engine) for _ in range(times)]
        build = statistics.median(r["build_seconds"] for r in runs)
        if "backward_seconds" in runs[0]:
            backward = statistics.median(r["backward_seconds"] for r in runs)
            print(f"  {engine:<14} build {build:.2f} s, backward {backward:.3f} s, x.grad = {runs[0]['grad']}")
        else:
            print(f"  {engine:<14} build {build:.2f} s, backward fails: {runs[0]['backward']}")


# One process of --against: the moons demo's forward, backward and whole step,
# timed in the checkout at argv[1] (its bench/workloads.py, its pathgrad), in
# CPU time: on a shared machine, the time this process waited for a core is
# the other jobs', not the engine's.
AGAINST = """
import json, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/bench"]
import workloads
Value, model = workloads.load("pathgrad", 16)
X, y = workloads.moons()
times = {"forward": [], "backward": [], "step": []}
loss = workloads.demo_step(Value, model, X, y, 0)  # warm-up
for k in range(1, int(sys.argv[2]) + 1):
    start = time.process_time()
    loss = workloads.demo_loss(Value, model, X, y)  # the previous graph is alive while this one is built
    built = time.process_time()
    model.zero_grad()
    loss.backward()
    done = time.process_time()
    for p in model.parameters():
        p.data -= (1.0 - 0.9 * k / 100) * p.grad
    times["forward"].append(built - start)
    times["backward"].append(done - built)
    times["step"].append(time.process_time() - start)
import pathgrad
print(json.dumps({"file": pathgrad.__file__, "engine": pathgrad.engine.ENGINE, **{p: min(t) for p, t in times.items()}}))
"""


def against_table(tree, rounds, repeats=5):
    """This checkout against `tree`, on both engines: forward, backward and step of the moons demo.

    Each process times `repeats` steps in CPU time and reports the fastest of
    each part; a figure is the median over `rounds` processes, the trees alternating.
    """
    here = str(Path(__file__).resolve().parent.parent)
    print(f"| moons demo, MLP 2-16-16-1, 100 samples | engine | {tree} | this tree | before/after |")
    print("| --- | --- | --- | --- | --- |")
    for engine, pure in [("pure", "1"), ("compiled", "0")]:
        env = dict(os.environ, PATHGRAD_PURE=pure)
        samples = {tree: [], here: []}
        for r in range(rounds):
            for checkout in ([tree, here] if r % 2 == 0 else [here, tree]):
                done = subprocess.run([sys.executable, "-c", AGAINST, checkout, str(repeats)],
                                      capture_output=True, text=True, env=env, cwd="/")
                if done.returncode:
                    sys.exit(f"bench: --against {checkout} failed:\n{done.stderr}")
                sample = json.loads(done.stdout)
                if not sample["file"].startswith(checkout) or sample["engine"] != engine:
                    sys.exit(f"bench: --against ran {sample['engine']} {sample['file']}, not {engine} in {checkout}")
                samples[checkout].append(sample)
        for part in ("forward", "backward", "step"):
            before, after = (statistics.median(s[part] for s in samples[c]) for c in (tree, here))
            print(f"| {part} | {engine} | {_amount(before * 1e3, 'ms')} | {_amount(after * 1e3, 'ms')} "
                  f"| {before / after:.2f}x |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="processes per engine and case (default 5)")
    parser.add_argument("--quick", action="store_true", help="3 rounds, and widths 8 and 16 only")
    parser.add_argument("--gpt", action="store_true",
                        help="the scalar GPT table only (needs no micrograd: make bench-wheel)")
    parser.add_argument("--against", metavar="TREE",
                        help="only compare this checkout with the one at TREE (e.g. a git worktree of main)")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    if args.against:
        against_table(os.path.abspath(args.against), rounds)
        return
    gpt_table(rounds)
    if args.gpt:
        return
    micrograd_table(rounds, [8, 16] if args.quick else [8, 16, 32, 64])
    chain_lines()


if __name__ == "__main__":
    main()
