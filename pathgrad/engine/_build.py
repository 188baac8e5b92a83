"""Compile the core (_core.c) in place, next to value.py:  python pathgrad/engine/_build.py

One C file, the compiler and the Python headers: no other build dependency.
`-ffp-contract=off` keeps a * b + c two roundings, as Python computes it, so
the core gives value.py's bits. The library is written beside its final name
and renamed, so a running process never sees half a file. If the build fails,
one line says so and pathgrad runs its pure-Python engine.
"""

import os
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    target = HERE / f"_core{sysconfig.get_config_var('EXT_SUFFIX')}"
    include = sysconfig.get_paths()["include"]
    compiler = shlex.split(sysconfig.get_config_var("CC") or "cc")
    if not (Path(include) / "Python.h").exists():
        return fail(f"no Python.h in {include} (install python3-dev)")
    partial = target.with_suffix(".partial")
    command = compiler + [
        "-O2", "-fPIC", "-shared", "-ffp-contract=off", f"-I{include}",
        str(HERE / "_core.c"), "-o", str(partial), "-lm",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except OSError as error:
        return fail(f"{compiler[0]}: {error.strerror}")
    if done.returncode:
        partial.unlink(missing_ok=True)
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        return fail(f"{compiler[0]} failed: {first}")
    os.replace(partial, target)
    return 0


def fail(reason):
    print(f"pathgrad: the compiled core did not build ({reason}); pathgrad runs its pure-Python engine.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
