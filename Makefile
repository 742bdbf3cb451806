# The two commands of a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint typecheck unit bench clean

setup: $(VENV)/.installed
	bash scripts/install-system-packages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: setup
	$(BIN)/hotline asterisk install
	$(BIN)/hotline asterisk start
	$(BIN)/hotline serve

test: setup
	bash scripts/ensure-postgres
	! git grep -nIE '^(<<<<<<<|>>>>>>>)( |$$)' -- .  # a merge's leftovers (ruff sees only Python)
	$(BIN)/ruff check .
	$(BIN)/mypy
	PYTHON=$(PYTHON) bash scripts/check-package  # the wheel alone, as a deployment installs it
	$(BIN)/pytest -q

unit: setup
	$(BIN)/pytest -q -m "not postgres"

bench: setup
	$(BIN)/python bench/tickets_api.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
