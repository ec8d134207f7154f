# plancheck — `make` lists the targets.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# worker processes for `make serve`; empty: one per CPU, at most 4 (api/serve.py)
WORKERS ?=
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## install: create .venv and install plancheck with its dev extras
install: $(STAMP)

## model: train the default model when models/ has none
model: install
	@if [ -f models/current ]; then echo "model: using $$(cat models/current)"; \
	else $(BIN)/plancheck train; fi

## serve: install, train the default model if needed, serve the API and page on http://$(HOST):$(PORT) (WORKERS=N: worker processes, default one per CPU up to 4)
serve: model
	$(BIN)/python -m api.serve --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS))

## test: install and run the whole test suite
test: install
	$(BIN)/python -m pytest

## lint: ruff check and format check
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## types: mypy, strict on src/plancheck
types: install
	$(BIN)/mypy

## check: lint, format check, types and the whole test suite (what CI runs)
check: lint types test

## format: apply ruff formatting and safe fixes
format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## evaluate: evaluate the current model on the test split (reports/<version>/)
evaluate: install
	$(BIN)/plancheck evaluate --split test

## bench: run the benchmarks by hand (results in bench/RESULTS.md)
bench: install
	$(BIN)/python bench/run_all.py

## notebooks: open the retraining notebooks in Jupyter Lab (as root too: Docker, cloud VMs)
notebooks: install
	$(BIN)/pip install --quiet -e '.[dev,notebooks]'
	$(BIN)/jupyter lab --allow-root notebooks/

.PHONY: help install model serve test lint format evaluate bench notebooks
