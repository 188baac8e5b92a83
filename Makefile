# Set-up and checks for pathgrad. Two commands do everything on a fresh machine:
#   make demo   create .venv, install pathgrad, build its core, run `pathgrad demo`
#   make test   install the dev and test extras, build the core, and run the
#               whole suite twice: on the compiled core, then on the pure engine
#               (PURE_ONLY=1: the pure engine alone, on purpose, where no core can be built);
#               then the browser site's test, once (it builds site/ offline-checked)
# and: make lab (JupyterLab on notebooks/), make lint (ruff, as make test runs it),
# make bench, make bench-wheel (the scalar GPT on the wheel a pip user gets),
# make test-pythons (3.10 to 3.13), make site and make serve-site (the notebooks
# and a playground in the browser).
# The core is built one way: setup.py's extension, by pip (`pip install -e .` here).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
# pip install -e, without setuptools' nine-line "Editable installation" banner
# (a warning its build backend prints on every editable install).
EDITABLE := PYTHONWARNINGS="ignore:Editable installation" $(PIP) install --quiet -e
# PyTorch is never a dependency of pathgrad, but `make test` installs it: its
# float64 cross-checks are the suite's independent oracle, and must not skip.
TORCH := torch==2.13.0

# The compiled core, built in place beside value.py by the one build there is:
# setup.py's Extension, through `pip install -e .` (as `pip install .` builds wheels).
CORE := pathgrad/engine/_core$(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")

.PHONY: test test-pythons lint demo bench bench-wheel lab notebooks dot chromium poppler fonts compiler core check-core clean site serve-site npm

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.base: pyproject.toml | compiler $(PY)
	@echo "Installing pathgrad and its dependencies into $(VENV)"
	@$(EDITABLE) .
	@touch $@

$(VENV)/.dev: pyproject.toml | compiler $(PY)
	$(EDITABLE) ".[dev,test,notebooks,plot]"
	$(PIP) install --quiet "$(TORCH)" || { \
	  echo "The PyTorch cross-checks need PyTorch. Install it with: $(PIP) install '$(TORCH)'"; exit 1; }
	@touch $@

# Graphviz's dot and Debian's Chromium: apt-get installs them where we are
# root; otherwise we stop with the exact command to run.
dot:
	@command -v dot >/dev/null 2>&1 || ./.ci/apt-install graphviz || { \
	  echo "pathgrad needs Graphviz's dot. Install it with: sudo apt-get install graphviz   (macOS: brew install graphviz; conda: conda install -c conda-forge graphviz)"; exit 1; }

chromium:
ifeq ($(NO_BROWSER),)
	@{ command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; } || ./.ci/apt-install chromium chromium-driver || { \
	  echo "The stepper's browser test needs Chromium. Install it with: sudo apt-get install chromium chromium-driver"; \
	  echo "or run without it (that test then skips, saying why): make test NO_BROWSER=1"; exit 1; }
endif

# poppler's pdftoppm, for the tests that look at a PDF's pages.
poppler:
	@command -v pdftoppm >/dev/null 2>&1 || ./.ci/apt-install poppler-utils || { \
	  echo "The PDF tests need poppler's pdftoppm. Install it with: sudo apt-get install poppler-utils"; exit 1; }

# Liberation Sans (Helvetica's metrics) and DejaVu Sans, for the tests that check that a PNG's text
# is drawn in the font it was measured in (tests/viz/test_fonts.py), with dot and without.
fonts:
	@{ fc-list "Liberation Sans" | grep -q . && fc-list "DejaVu Sans" | grep -q .; } 2>/dev/null \
	  || ./.ci/apt-install fontconfig fonts-liberation fonts-dejavu-core || { \
	  echo "The font tests need Liberation Sans and DejaVu Sans. Install them with: sudo apt-get install fonts-liberation fonts-dejavu-core"; exit 1; }

# A C compiler and the Python headers come from apt where they are missing.
# A failed build is one line, and pathgrad then runs its pure-Python engine
# (make test then stops before its compiled pass: see check-core).
compiler:
	@command -v "$$($(PYTHON) -c "import sysconfig; print((sysconfig.get_config_var('CC') or 'cc').split()[0])")" >/dev/null 2>&1 \
	  || ./.ci/apt-install gcc || true
	@$(PYTHON) -c "import sysconfig, pathlib, sys; sys.exit(not pathlib.Path(sysconfig.get_paths()['include'], 'Python.h').exists())" \
	  || ./.ci/apt-install python3-dev || true

$(CORE): pathgrad/engine/_core.c setup.py | compiler $(PY)
	@echo "Building pathgrad's compiled core (pathgrad/engine/_core.c)"
	@$(EDITABLE) . --no-deps
	@$(PY) -c "import pathgrad; print(f'pathgrad runs its {pathgrad.ENGINE} engine')"

core: $(CORE)

# Before the compiled pass: the compiled core is in use, and built from this
# checkout's _core.c (not a stale one a failed rebuild left). PURE_ONLY=1 skips
# the check and the compiled pass, on purpose.
check-core: core
ifeq ($(PURE_ONLY),)
	@env -u PATHGRAD_PURE $(PY) .ci/check_core.py
endif

# No dot needed: without it pathgrad draws through Graphviz compiled to WebAssembly.
demo: $(VENV)/.base core
	$(VENV)/bin/pathgrad demo

# Each pass prints its skips (-rs) and, with PATHGRAD_REQUIRE_ALL=1, fails on any
# skip tests/conftest.py does not allow: every part make test installs must run.
# The browser site's test (tests/site) runs once, not per engine: it builds the
# site and opens it offline in Chromium. Here it is required: where a registry
# is unreachable it fails instead of skipping.
test: dot chromium poppler fonts npm $(VENV)/.dev check-core lint
ifeq ($(PURE_ONLY),)
	env -u PATHGRAD_PURE PATHGRAD_REQUIRE_ALL=1 $(PY) -m pytest -q -rs --ignore=tests/site
endif
	PATHGRAD_REQUIRE_ALL=1 PATHGRAD_PURE=1 $(PY) -m pytest -q -rs --ignore=tests/site
	PATHGRAD_SITE_REQUIRED=1 $(PY) -m pytest -q -rs tests/site

# The wheel built, installed and tested on every supported Python (pyenv's
# 3.10 to 3.13), against the installed package, on both engines.
test-pythons: compiler
	./.ci/test-pythons

# ruff's checks, as pyproject.toml's [tool.ruff] chooses them: defects, not style.
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

bench: $(VENV)/.dev core
	$(PY) bench/run.py
	$(PY) bench/viz.py

# The scalar GPT as a pip user gets it: the wheel built and installed in a fresh
# venv (out/bench-wheel), the benchmark run from / so only site-packages is imported.
BENCH_WHEEL := $(CURDIR)/out/bench-wheel
bench-wheel: compiler
	rm -rf $(BENCH_WHEEL)
	env -u PYTHONPATH $(PYTHON) .ci/wheel_venv.py $(BENCH_WHEEL)
	cd / && env -u PYTHONPATH $(BENCH_WHEEL)/venv/bin/python $(CURDIR)/bench/run.py --gpt --rounds 5

# The notebooks in JupyterLab: the notebooks extra (JupyterLab, anywidget,
# ipykernel, tqdm) into .venv, then JupyterLab opened on notebooks/.
$(VENV)/.notebooks: pyproject.toml | compiler $(PY)
	@echo "Installing pathgrad with the notebooks extra (JupyterLab, anywidget, ipykernel, tqdm) into $(VENV):"
	@echo "about a minute the first time, then JupyterLab opens on notebooks/"
	@$(EDITABLE) ".[notebooks]"
	@touch $@

lab: $(VENV)/.notebooks core
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

# Re-run every notebook in place, so its committed outputs are real ones.
notebooks: dot $(VENV)/.dev
	$(PY) notebooks/execute.py

# The browser site (docs/browser.md): the notebooks in JupyterLite and the
# playground, on Pyodide with pathgrad's pure wheel, as static files in site/.
# Built into an emptied site/ from pinned registry packages (PyPI and npm),
# cached in $$PATHGRAD_SITE_CACHE (~/.cache/pathgrad-site): a second build
# downloads nothing. npm comes from apt where it is missing.
npm:
	@command -v npm >/dev/null 2>&1 || ./.ci/apt-install npm || { \
	  echo "The browser site needs npm (for Pyodide and @viz-js/viz). Install it with: sudo apt-get install npm"; exit 1; }

site: npm
	$(PYTHON) notebooks/site/build.py --out site

serve-site:
	$(PYTHON) notebooks/site/serve.py site

clean:
	rm -rf $(VENV) .pytest_cache pathgrad/engine/_core*.so build pathgrad.egg-info out/bench-wheel
