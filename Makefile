# Set-up and checks for pathgrad. Two commands do everything on a fresh machine:
#   make demo   create .venv, install pathgrad, build its core, run `pathgrad demo`
#   make test   install the dev and test extras, build the core, and run the
#               whole suite twice: on the compiled core, then on the pure engine
# and: make lab (JupyterLab on notebooks/), make lint (ruff, as make test runs it),
# make bench, make bench-wheel (the scalar GPT on the wheel a pip user gets),
# make test-pythons (3.10 to 3.13).
# The core is built one way: setup.py's extension, by pip (`pip install -e .` here).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
# pip install -e, without setuptools' nine-line "Editable installation" banner
# (a warning its build backend prints on every editable install).
EDITABLE := PYTHONWARNINGS="ignore:Editable installation" $(PIP) install --quiet -e
# PyTorch is never a dependency; where its CPU wheel for this Python lies on
# this disk, the optional cross-check tests use it, and elsewhere they skip.
# (--no-index first: never a multi-gigabyte download from the registry.)
TORCH_WHEEL := $(wildcard /opt/wheels/torch-2.13.0*.whl)

# The compiled core, built in place beside value.py by the one build there is:
# setup.py's Extension, through `pip install -e .` (as `pip install .` builds wheels).
CORE := pathgrad/engine/_core$(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")

.PHONY: test test-pythons lint demo bench bench-wheel lab notebooks dot chromium compiler core clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.base: pyproject.toml | compiler $(PY)
	@echo "Installing pathgrad and its dependencies into $(VENV)"
	@$(EDITABLE) .
	@touch $@

$(VENV)/.dev: pyproject.toml | compiler $(PY)
	$(PIP) install --quiet -e ".[dev,test,notebooks,plot]"
	$(if $(TORCH_WHEEL),{ $(PIP) install --quiet --no-index --no-deps --find-links /opt/wheels torch==2.13.0 \
	  && $(PIP) install --quiet torch==2.13.0; } || echo "No local PyTorch wheel for this Python: its cross-checks will skip")
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

# A C compiler and the Python headers come from apt where they are missing.
# A failed build is one line, and pathgrad then runs its pure-Python engine.
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

# No dot needed: without it pathgrad draws through Graphviz compiled to WebAssembly.
demo: $(VENV)/.base core
	$(VENV)/bin/pathgrad demo

test: dot chromium $(VENV)/.dev core lint
	$(PY) -m pytest -q
	PATHGRAD_PURE=1 $(PY) -m pytest -q

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
# matplotlib, ipykernel, tqdm) into .venv, then JupyterLab opened on notebooks/.
$(VENV)/.notebooks: pyproject.toml | compiler $(PY)
	@echo "Installing pathgrad with the notebooks extra (JupyterLab, anywidget, ipykernel, matplotlib, tqdm) into $(VENV):"
	@echo "about a minute the first time, then JupyterLab opens on notebooks/"
	@$(EDITABLE) ".[notebooks]"
	@touch $@

lab: $(VENV)/.notebooks core
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

# Re-run every notebook in place, so its committed outputs are real ones.
notebooks: dot $(VENV)/.dev
	$(PY) notebooks/execute.py

clean:
	rm -rf $(VENV) .pytest_cache pathgrad/engine/_core*.so build pathgrad.egg-info out/bench-wheel
