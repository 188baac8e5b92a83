"""pathgrad against micrograd 0.1.0, in one run: medians and ratios.

    python bench/run.py [--rounds N] [--quick]      (or: make bench)

Every measurement runs in its own fresh Python process, and the engines take
turns (micrograd first in one round, pathgrad first in the next), so neither
is charged for the other's garbage and both see the same machine load. Each
figure is the median over rounds; the ratio is micrograd's median over
pathgrad's. This machine is shared and noisy: read the ratios, not the times.
"""

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

WORKLOADS = Path(__file__).with_name("workloads.py")
ENGINES = ["micrograd", "pathgrad", "pathgrad-unfused"]


def measure(case, engine, **options):
    """Run one workload in a fresh process and return what it printed."""
    command = [sys.executable, str(WORKLOADS), case, engine]
    for name, value in options.items():
        command += [f"--{name}", str(value)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"bench: {' '.join(command[1:])} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def alternating(case, key, rounds, engines=ENGINES, **options):
    """{engine: median of `key`} over rounds, the engines' order rotating each round."""
    samples = {engine: [] for engine in engines}
    for r in range(rounds):
        order = engines[r % len(engines) :] + engines[: r % len(engines)]
        for engine in order:
            samples[engine].append(measure(case, engine, **options)[key])
    return {engine: statistics.median(values) for engine, values in samples.items()}


def _amount(x, unit):
    """3 significant digits, without exponents: 1,210 ms, 25.5 ms."""
    return f"{x:,.0f} {unit}" if x >= 100 else f"{x:.3g} {unit}"


def row(name, medians, unit_scale, unit, goals=None):
    """A table row: each engine's median and micrograd's median over pathgrad's."""
    base = medians["micrograd"]
    cells = [_amount(medians[e] * unit_scale, unit) for e in ENGINES]
    ratios = []
    for engine in ENGINES[1:]:
        ratio = base / medians[engine]
        goal = (goals or {}).get(engine)
        ratios.append(f"{ratio:.1f}x" + (f" (goal {goal}x)" if goal else ""))
    return f"| {name} | " + " | ".join(cells + ratios) + " |"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="processes per engine and case (default 5)")
    parser.add_argument("--quick", action="store_true", help="3 rounds, and widths 8 and 16 only")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    widths = [8, 16] if args.quick else [8, 16, 32, 64]

    print("| workload | micrograd | pathgrad (fused) | pathgrad (unfused) | speed-up fused | speed-up unfused |")
    print("| --- | --- | --- | --- | --- | --- |")
    demo = alternating("demo", "seconds", rounds, repeats=3)
    print(row("moons demo step, MLP 2-16-16-1, 100 samples", demo, 1e3, "ms",
              {"pathgrad": 30, "pathgrad-unfused": 7}), flush=True)
    sample = alternating("sample", "seconds", rounds, repeats=300)
    print(row("one sample, forward + backward", sample, 1e6, "µs",
              {"pathgrad": 8, "pathgrad-unfused": 4}), flush=True)
    for width in widths:
        if width == 16:
            continue  # the demo row above
        scaled = alternating("demo", "seconds", max(3, rounds // 2), width=width, repeats=1)
        print(row(f"moons demo step, MLP 2-{width}-{width}-1", scaled, 1e3, "ms"), flush=True)

    memory = {e: measure("memory", e) for e in ENGINES}
    cells = [f"{memory[e]['bytes_per_node']:.0f} B ({memory[e]['nodes']} nodes)" for e in ENGINES]
    shares = [f"{memory[e]['bytes_per_node'] / memory['micrograd']['bytes_per_node']:.2f} of micrograd's"
              for e in ENGINES[1:]]
    print("| bytes per node, demo graph after backward | " + " | ".join(cells + shares) + " |")

    print()
    print("1,000,000-node chain y = x * 1.0 * 1.0 * ... (pathgrad: median of 3 processes):")
    for engine, times in [("micrograd", 1), ("pathgrad", 3)]:
        runs = [measure("chain", engine) for _ in range(times)]
        build = statistics.median(r["build_seconds"] for r in runs)
        if "backward_seconds" in runs[0]:
            backward = statistics.median(r["backward_seconds"] for r in runs)
            print(f"  {engine:<10} build {build:.2f} s, backward {backward:.2f} s, x.grad = {runs[0]['grad']}")
        else:
            print(f"  {engine:<10} build {build:.2f} s, backward fails: {runs[0]['backward']}")


if __name__ == "__main__":
    main()
