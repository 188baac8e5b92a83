"""pathgrad against micrograd 0.1.0 and a minimal Value, in one run: medians and ratios.

    python bench/run.py [--rounds N] [--quick] [--gpt]      (or: make bench)

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="processes per engine and case (default 5)")
    parser.add_argument("--quick", action="store_true", help="3 rounds, and widths 8 and 16 only")
    parser.add_argument("--gpt", action="store_true",
                        help="the scalar GPT table only (needs no micrograd: make bench-wheel)")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    gpt_table(rounds)
    if args.gpt:
        return
    micrograd_table(rounds, [8, 16] if args.quick else [8, 16, 32, 64])
    chain_lines()


if __name__ == "__main__":
    main()
