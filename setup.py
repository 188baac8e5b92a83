"""Build pathgrad's compiled core, pathgrad/engine/_core.c, as a C extension (pyproject.toml holds the rest).

One C file, the compiler and the Python headers: no other build dependency.
`-ffp-contract=off` keeps a * b + c two roundings, as Python computes it, so
the core gives value.py's bits. Where the core cannot be built (no compiler,
no Python.h), installation still succeeds: one line says so, and pathgrad
runs its pure-Python engine (`pathgrad.ENGINE == "pure"`).

`PATHGRAD_PURE_WHEEL=1 python -m build --wheel` leaves the core out: a
py3-none-any wheel that installs anywhere Python runs, Pyodide in the
browser included (notebooks/site/build.py makes the site's wheel this way).
"""

import os
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# GCC and Clang: -O2, and no fused multiply-add (value.py's bits). MSVC: /fp:precise does not contract.
FLAGS = {"msvc": ["/O2", "/fp:precise"]}
UNIX_FLAGS = ["-O2", "-ffp-contract=off"]


class OptionalBuildExt(build_ext):
    """build_ext that turns a failed compile into one line: the pure engine will run."""

    def run(self):
        try:
            super().run()
        except Exception as error:  # noqa: BLE001  (no compiler at all: DistutilsPlatformError, OSError, ...)
            self.say_pure(error)

    def build_extension(self, ext):
        ext.extra_compile_args = FLAGS.get(self.compiler.compiler_type, UNIX_FLAGS)
        try:
            super().build_extension(ext)
        except Exception as error:  # noqa: BLE001  (CompileError, LinkError, a missing Python.h)
            self.say_pure(error)

    @staticmethod
    def say_pure(error):
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        print(f"pathgrad: the compiled core did not build ({reason}); pathgrad will run its pure-Python engine.",
              file=sys.stderr)


# The pure build switch: no extension at all, so setuptools tags the wheel py3-none-any.
PURE_WHEEL = os.environ.get("PATHGRAD_PURE_WHEEL") == "1"

setup(
    ext_modules=[] if PURE_WHEEL else [
        Extension(
            "pathgrad.engine._core",
            sources=["pathgrad/engine/_core.c"],
            libraries=[] if sys.platform == "win32" else ["m"],
            optional=True,
        )
    ],
    cmdclass={"build_ext": OptionalBuildExt},
)
