# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app:server

.PHONY: run test lint bench bench-import clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Every install is held to constraints.txt: what CI installs is what was tested.
$(VENV)/.run-deps: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.test-deps: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e ".[test]"
	touch $@

## Install, create and migrate the store, seed the demo data (once), start the server.
run: $(VENV)/.run-deps
	$(FLASK) init-db
	$(FLASK) seed-demo
	$(BIN)/gunicorn -c config/gunicorn.conf.py app:server

## Lint and run every test (data tests on SQLite and PostgreSQL, browser tests in Chromium).
test: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: $(VENV)/.test-deps
	$(BIN)/python scripts/bench.py

## Import 100,000 and 1,000,000 indicator values into PostgreSQL: rows/s and peak memory.
bench-import: $(VENV)/.test-deps
	$(BIN)/python scripts/bench_import.py

## After a change to the dependencies in pyproject.toml: record every installed version.
lock: | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	{ echo "# Every package the app and its tests install, pinned (regenerate: make lock)."; \
	  $(BIN)/pip freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf $(VENV) instance .pytest_cache
