"""Stop `make test` before its compiled pass unless the compiled core is in use, built from this checkout.

Run with PATHGRAD_PURE unset. Fails, saying why, when pathgrad.ENGINE is not
"compiled" (the build failed: its output is above), when the core imported is
not this checkout's, or when a C source is newer than the core (a stale core
that survived a failed rebuild). `make test PURE_ONLY=1` skips this check and
the compiled pass, on purpose.
"""

import glob
import os
import sys
import sysconfig

import pathgrad


def fail(why):
    sys.exit(f"make test: {why}.\nFix the build (its output is above), or test only the pure engine, on purpose, "
             f"with: make test PURE_ONLY=1")


root = os.path.dirname(os.path.abspath(pathgrad.__file__))
if pathgrad.ENGINE != "compiled":
    fail(f"the compiled core is not in use (pathgrad.ENGINE is {pathgrad.ENGINE!r}): it was not built")
suffix = sysconfig.get_config_var("EXT_SUFFIX")
cores = sorted({os.path.abspath(module.__file__) for module in list(sys.modules.values())
                if module.__name__.startswith("pathgrad.") and (getattr(module, "__file__", None) or "").endswith(suffix)})
if not cores:
    fail("pathgrad.ENGINE says 'compiled' but no compiled module of pathgrad is imported")
elsewhere = [core for core in cores if not core.startswith(root + os.sep)]
if elsewhere:
    fail(f"the compiled core imported is not this checkout's: {', '.join(elsewhere)}")
sources = glob.glob(os.path.join(root, "**", "*.c"), recursive=True)
for core in cores:
    newer = [source for source in sources if os.path.getmtime(source) > os.path.getmtime(core)]
    if newer:
        fail(f"{os.path.relpath(core)} is older than {', '.join(map(os.path.relpath, newer))}: "
             f"a stale core, left by a build that failed")
print(f"pathgrad runs its compiled engine: {', '.join(map(os.path.relpath, cores))}, built from this checkout")
