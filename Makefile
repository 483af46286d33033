# kvquant_nb: two commands for a fresh machine (`make demo`, `make test`); each sets itself up first.
# TORCH picks the torch to install into the venv; TORCH=keep makes a venv that sees the torch you already have.
PYTHON ?= python3
VENV   ?= .venv
TORCH  ?= torch==2.14.1 torchvision==0.29.1
EXTRAS ?= dev,eval,explore,fp,longlive
BIN    := $(VENV)/bin
SHELL  := /bin/bash

.PHONY: demo test venv export readme clean-nbs check browser-deps
$(VENV)/.installed: setup.py settings.ini
	test -x $(BIN)/python || $(PYTHON) -m venv $(if $(filter keep,$(TORCH)),--system-site-packages) $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(if $(filter keep,$(TORCH)),$(BIN)/python -c "import torch",$(BIN)/python -m pip install -q $(TORCH))
	$(BIN)/python -m pip install -q -e ".[$(EXTRAS)]" $(if $(filter keep,$(TORCH)),,$(TORCH))
	touch $@

venv: $(VENV)/.installed

demo: venv          ## the main job on the embedded default: the tiny model, on CPU
	$(BIN)/kvquant demo

browser-deps:       ## Debian's chromium for tests/test_browser.py (installed when missing and we are root, as in CI)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else echo "note: /usr/bin/chromium is missing and we are not root: the browser test will skip (under CI=true it fails)"; fi

test: venv browser-deps  ## every notebook's tests (GPU cells skipped), README and export checks, the explorer in Chromium
	$(BIN)/python -m pytest -n 2 -q tests

export: venv        ## notebooks -> kvquant_nb/, then README.md from nbs/index.ipynb
	$(BIN)/nbdev_export && $(BIN)/python tools/render_readme.py

clean-nbs: venv
	$(BIN)/nbdev_clean
