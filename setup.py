"""Build pathgrad's compiled core, pathgrad/engine/_core.c, as a C extension (pyproject.toml holds the rest).

One C file, the compiler and the Python headers: no other build dependency.
`-ffp-contract=off` keeps a * b + c two roundings, as Python computes it, so
the core gives value.py's bits. Where the core cannot be built (no compiler,
no Python.h), installation still succeeds: one line says so, and pathgrad
runs its pure-Python engine (`pathgrad.ENGINE == "pure"`).
"""

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


setup(
    ext_modules=[
        Extension(
            "pathgrad.engine._core",
            sources=["pathgrad/engine/_core.c"],
            libraries=[] if sys.platform == "win32" else ["m"],
            optional=True,
        )
    ],
    cmdclass={"build_ext": OptionalBuildExt},
)
