# Set-up and checks for pathgrad. Two commands do everything on a fresh machine:
#   make demo   create .venv, install pathgrad, run `pathgrad demo`
#   make test   install the dev and test extras and run the whole suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
EXTRAS ?= dev

# apt-get runs only where we are root and apt-get exists; elsewhere we stop
# with the exact command to run.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: test demo bench system-deps clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

.installed-$(EXTRAS): pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[$(EXTRAS)]"
	@touch $@

system-deps:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz; \
	  else \
	    echo "Graphviz's dot is missing. Install it with: $(SUDO) apt-get install graphviz  (macOS: brew install graphviz)"; exit 1; \
	  fi; }

test: system-deps .installed-$(EXTRAS)
	$(PY) -m pytest -q

bench: .installed-$(EXTRAS)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .installed-* .pytest_cache
