# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app:server

.PHONY: run test lint bench bench-briefings bench-import bench-screen bench-volume bench-cold loadtest clean lock system-deps

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

## What the PDF briefings need from the system (Debian): Pango for WeasyPrint, Chromium for the
## maps. Installed when run as root; otherwise the missing pieces are named (the page and the
## briefing command say so too).
system-deps:
	@missing=""; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else \
	      echo "简报（PDF）还需要系统软件包：$$missing（请以 root 运行 apt-get install -y$$missing）"; \
	    fi; \
	  fi

## Install, create and migrate the store, seed the demo data (once), start the server.
run: $(VENV)/.run-deps system-deps
	$(FLASK) briefing-ready
	$(FLASK) init-db
	$(FLASK) seed-demo
	$(BIN)/gunicorn -c config/gunicorn.conf.py app:server

## Lint and run every test (data tests on SQLite and PostgreSQL, browser tests in Chromium).
test: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: $(VENV)/.test-deps
	$(BIN)/python scripts/bench.py

## Seconds and bytes of a province, a city and a county briefing, cold and warm.
bench-briefings: $(VENV)/.test-deps
	$(BIN)/python scripts/bench_briefings.py

## The large screen left running: its JS heap through 1,000 refresh cycles with data changes,
## and the bytes and time of one refresh with no change and with one change.
bench-screen: $(VENV)/.test-deps
	$(BIN)/python scripts/bench_screen.py

## Import 100,000 and 1,000,000 indicator values into PostgreSQL: rows/s and peak memory.
bench-import: $(VENV)/.test-deps
	$(BIN)/python scripts/bench_import.py

## 50 simulated users browsing, filtering and drilling down for 5 minutes against gunicorn on
## PostgreSQL and Redis (loopback; a database and keys of its own): errors and p50/p95/p99.
loadtest: $(VENV)/.test-deps
	$(BIN)/pip install -q -c constraints.txt -e ".[load]"
	$(BIN)/python scripts/loadtest.py

## The cockpit's questions at 1x, 10x and 100x the demo's indicator values on PostgreSQL, with
## their plans (EXPLAIN ANALYZE).
bench-volume: $(VENV)/.test-deps
	$(BIN)/python scripts/bench_volume.py

## A cold city cockpit and the counties' rank history on a demo store: wall, CPU and GC time.
bench-cold: $(VENV)/.test-deps
	$(BIN)/python scripts/bench_cold.py

## After a change to the dependencies in pyproject.toml: record every installed version.
lock: | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	{ echo "# Every package the app and its tests install, pinned (regenerate: make lock)."; \
	  $(BIN)/pip freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf $(VENV) instance .pytest_cache
