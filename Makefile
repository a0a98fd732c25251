# Baton: `make run` starts the app, `make test` runs every check. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
BOOTSTRAP := .venv-uv
UV := $(shell command -v uv 2>/dev/null || echo $(BOOTSTRAP)/bin/uv)
PORT ?= 8501
export UV_PYTHON_DOWNLOADS ?= never

.PHONY: setup run dev test lint benchmarks clean

$(BOOTSTRAP)/bin/uv:
	@echo "uv not found: installing it into $(BOOTSTRAP) with pip"
	$(PYTHON) -m venv $(BOOTSTRAP)
	$(BOOTSTRAP)/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --quiet
	@touch $@

setup: .venv/.synced

# serve.py serves app.py, creating or migrating the database as it starts (one process, so no race).
run: setup
	BATON_DEMO=$${BATON_DEMO:-1} $(UV) run --no-sync streamlit run serve.py \
		--server.address=127.0.0.1 --server.port=$(PORT) --server.headless=true

# As `make run`, but reloads the app when a source file changes (the watcher costs CPU per rerun).
dev: setup
	BATON_DEMO=$${BATON_DEMO:-1} $(UV) run --no-sync streamlit run serve.py \
		--server.address=127.0.0.1 --server.port=$(PORT) --server.headless=true \
		--server.fileWatcherType=auto --server.runOnSave=true

lint: setup
	$(UV) run --no-sync ruff check .
	$(UV) run --no-sync ruff format --check .
	$(UV) run --no-sync lint-imports
	$(UV) run --no-sync mypy
	$(UV) run --no-sync python -m exercises validate exercises/packs

test: lint
	$(UV) run --no-sync pytest

benchmarks: setup
	$(UV) run --no-sync python benchmarks/simulate.py

clean:
	rm -rf .venv $(BOOTSTRAP) .pytest_cache .ruff_cache .mypy_cache test-results
