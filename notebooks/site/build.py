"""Build site/: pathgrad's notebooks in JupyterLite and the playground, static files only.

    make site            (or: python3 notebooks/site/build.py [--out site])

Everything comes from the registries at the versions pinned beside this file:
the build tools from PyPI (requirements-build.txt), Pyodide's core and
Graphviz as an ES module from npm (package.json, package-lock.json), and the
pure wheels the kernel loads (wheels.txt). Downloads are kept in a cache
folder outside the checkout ($PATHGRAD_SITE_CACHE, ~/.cache/pathgrad-site by
default), so a second build asks no registry anything.

How the site loads offline: Pyodide's core goes to static/pyodide/, with
every wheel the site ships beside it and a pyodide-lock.json written here
that lists them (sha256, imports, dependencies). Pyodide then loads a
package from that folder the first time a cell imports it, and never looks
elsewhere: jupyter-lite.json points the kernel at that copy (`pyodideUrl`)
and turns off its PyPI fallback. The site is built into an empty folder
each time: an incremental JupyterLite build once dropped the URL, and the
kernel then went to a CDN; the build checks the URL is there.
"""

import argparse
import email.parser
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = Path(os.environ.get("PATHGRAD_SITE_CACHE", Path.home() / ".cache" / "pathgrad-site"))
PYTHON_IN_BROWSER = "3.14"  # Pyodide 314's Python: markers are evaluated as there
EMSCRIPTEN = {
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "os_name": "posix",
    "platform_machine": "wasm32",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "python_version": PYTHON_IN_BROWSER,
    "python_full_version": PYTHON_IN_BROWSER + ".2",
    "extra": "",
}
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
PYODIDE_URL = "./static/pyodide/pyodide.mjs"


def say(text):
    print(f"[site] {text}", flush=True)


def digest(path, algorithm="sha256"):
    return hashlib.new(algorithm, Path(path).read_bytes()).hexdigest()


def run(*command, **options):
    subprocess.run([str(part) for part in command], check=True, **options)


def build_tools():
    """A virtualenv with requirements-build.txt, made once per version of that file."""
    requirements = HERE / "requirements-build.txt"
    venv = CACHE / f"build-venv-{digest(requirements)[:12]}"
    python = venv / "bin" / "python"
    if not (venv / ".complete").exists():
        say(f"installing the build tools into {venv}")
        shutil.rmtree(venv, ignore_errors=True)
        run(sys.executable, "-m", "venv", venv)
        run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements)
        (venv / ".complete").touch()
    return venv


def npm_packages():
    """node_modules with package-lock.json's exact tarballs, made once per version of the lock."""
    lock = HERE / "package-lock.json"
    folder = CACHE / f"npm-{digest(lock)[:12]}"
    if not (folder / ".complete").exists():
        say(f"installing Pyodide and @viz-js/viz from npm into {folder}")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        shutil.copy(HERE / "package.json", folder)
        shutil.copy(lock, folder)
        run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error",
            "--cache", CACHE / "npm-cache", cwd=folder)
        (folder / ".complete").touch()
    return folder / "node_modules"


def pins():
    """[(name, version)] of wheels.txt."""
    found = []
    for line in (HERE / "wheels.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            found.append((name.strip(), version.strip()))
    return found


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def cached_wheel(folder, name, version):
    prefix = re.sub(r"[-_.]+", "_", name).lower() + "-" + version + "-"
    return next((path for path in folder.glob("*.whl") if path.name.lower().startswith(prefix)), None)


def wheels():
    """The pinned pure wheels, downloaded from PyPI into the cache the first time."""
    folder = CACHE / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = pins()
    missing = [f"{name}=={version}" for name, version in wanted if cached_wheel(folder, name, version) is None]
    if missing:
        say(f"downloading {len(missing)} wheels from PyPI")
        run(sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
            "--only-binary=:all:", "--implementation", "py", "--abi", "none", "--platform", "any",
            "--python-version", PYTHON_IN_BROWSER, "--dest", folder, *missing)
    return [cached_wheel(folder, name, version) for name, version in wanted]


def pathgrad_wheel(venv, into):
    """pathgrad's pure wheel (py3-none-any: PATHGRAD_PURE_WHEEL=1 leaves the core out), built from this checkout."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "src"
        # A clean copy: no compiled core, no venv, nothing but what the wheel is made of.
        shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
            ".git", ".venv", "site", "out", "build", "dist", "*.egg-info", "__pycache__", "*.so", "node_modules",
            "notebooks", "tests", "bench", "docs"))
        run(venv / "bin" / "python", "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
            "--no-build-isolation", "--wheel-dir", into, source, env={**os.environ, "PATHGRAD_PURE_WHEEL": "1"})
    (wheel,) = Path(into).glob("pathgrad-*.whl")
    if not wheel.name.endswith("-py3-none-any.whl"):
        sys.exit(f"build.py: pathgrad's wheel is {wheel.name}, not a pure py3-none-any wheel")
    return wheel


def metadata(wheel):
    """(name, version, requirements, top-level imports) read from a wheel."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        message = email.parser.Parser().parsestr(archive.read(info).decode("utf-8"))
        tops = set()
        for name in names:
            top = name.split("/", 1)[0]
            if top.endswith((".dist-info", ".data")):
                continue
            if "/" in name:
                tops.add(top)
            elif name.endswith(".py"):
                tops.add(name[:-3])
    return message["Name"], message["Version"], message.get_all("Requires-Dist") or [], sorted(tops)


def requirement_names(requirements, venv):
    """The names among Requires-Dist lines that apply on emscripten (markers evaluated by packaging)."""
    script = (
        "import json, sys\n"
        "from packaging.requirements import Requirement\n"
        "env, lines = json.load(sys.stdin)\n"
        "print(json.dumps([r.name for r in map(Requirement, lines) if r.marker is None or r.marker.evaluate(env)]))\n"
    )
    done = subprocess.run([str(venv / "bin" / "python"), "-c", script], input=json.dumps([EMSCRIPTEN, requirements]),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def lockfile(core, shipped, venv):
    """Pyodide's pyodide-lock.json, listing only the wheels shipped beside it."""
    upstream = json.loads((core / "pyodide-lock.json").read_text())
    packages, needs = {}, {}
    for wheel in shipped:
        name, version, requirements, imports = metadata(wheel)
        key = normalized(name)
        needs[key] = [normalized(n) for n in requirement_names(requirements, venv)]
        packages[key] = {
            "name": key,
            "version": version,
            "file_name": wheel.name,
            "install_dir": "site",
            "sha256": digest(wheel),
            "package_type": "package",
            "imports": imports,
            "depends": needs[key],
            "unvendored_tests": False,
            "shared_library": False,
        }
    missing = sorted({f"{need} (for {key})" for key, deps in needs.items() for need in deps if need not in packages})
    if missing:
        sys.exit(f"build.py: wheels.txt lacks what these wheels need in the browser: {', '.join(missing)}")
    return {"info": upstream["info"], "packages": dict(sorted(packages.items()))}


def lite_dir(folder, node_modules, shipped, venv):
    """JupyterLite's input: its config, the notebooks, Pyodide with the wheels and their lock."""
    core = node_modules / "pyodide"
    pyodide = folder / "static" / "pyodide"
    pyodide.mkdir(parents=True)
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide.js"):
        shutil.copy(core / name, pyodide)
    for wheel in shipped:
        shutil.copy(wheel, pyodide)
    (pyodide / "pyodide-lock.json").write_text(json.dumps(lockfile(core, shipped, venv), indent=1))
    # Graphviz for pathgrad.viz.browser, found beside Pyodide's own files.
    shutil.copy(node_modules / "@viz-js" / "viz" / "dist" / "viz.js", pyodide / "viz.js")
    # Its npm package ships no LICENSE file; its package.json names the licence (MIT).
    shutil.copy(node_modules / "@viz-js" / "viz" / "package.json", pyodide / "viz.package.json")

    files = folder / "files"
    files.mkdir()
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):  # as they are: they need no numpy nor matplotlib
        shutil.copy(notebook, files / notebook.name)
    shutil.copy(HERE / "jupyter-lite.json", folder / "jupyter-lite.json")
    shutil.copy(HERE / "jupyter_lite_config.json", folder / "jupyter_lite_config.json")


def check_config(out):
    """The built jupyter-lite.json points the kernel at the site's own Pyodide, with no PyPI fallback."""
    config = json.loads((out / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"][KERNEL_PLUGIN]
    if kernel.get("pyodideUrl") != PYODIDE_URL or kernel.get("disablePyPIFallback") is not True:
        sys.exit(f"build.py: the built jupyter-lite.json lost its Pyodide settings: {kernel}")
    if not (out / PYODIDE_URL).exists():
        sys.exit(f"build.py: {PYODIDE_URL} is missing from the site")


def playground(out):
    """The playground's page and script, beside the JupyterLab app, on the same Pyodide."""
    shutil.copytree(HERE / "playground", out / "playground")


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--out", default=ROOT / "site", type=Path, help="the folder to build into (emptied first)")
    out = options.parse_args().out.resolve()
    started = time.monotonic()
    CACHE.mkdir(parents=True, exist_ok=True)
    venv = build_tools()
    node_modules = npm_packages()
    shipped = wheels()
    with tempfile.TemporaryDirectory() as scratch:
        shipped.append(pathgrad_wheel(venv, Path(scratch) / "dist"))
        lite = Path(scratch) / "lite"
        lite_dir(lite, node_modules, shipped, venv)
        if out.exists():
            shutil.rmtree(out)
        say(f"building the JupyterLite site into {out}")
        run(venv / "bin" / "jupyter", "lite", "build", "--lite-dir", lite, "--output-dir", out,
            cwd=lite, env={**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"})
    check_config(out)
    playground(out)
    size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    say(f"built {out} ({size / 1e6:.1f} MB) in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
