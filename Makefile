# Kibaru: the README's commands. `make demo` and `make test` do all the set-up themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kibaru-installed
SHARED ?= ../shared

.PHONY: install demo test test-fast lint acceptance bench browser serve clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[model,dev]"
	$(BIN)/python -m kibaru.resolve.places
	touch $(STAMP)

install: $(STAMP)  ## create .venv with Kibaru, the spaCy French model and the GeoNames index

demo: $(STAMP)  ## code the bundled sample corpus and show the events
	COLUMNS=$${COLUMNS:-160} $(BIN)/kibaru extract examples/ --format table

test: $(STAMP)  ## run the whole test suite (slow end-to-end tests included)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)  ## the suite without the slow end-to-end tests
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)  ## ruff and mypy
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

acceptance: $(STAMP)  ## the acceptance cases in ../shared/cases
	$(BIN)/python $(SHARED)/cases/check.py --cmd $(BIN)/kibaru

bench: $(STAMP)  ## seconds per article on the demo corpus
	$(BIN)/python benchmarks/demo_speed.py

browser:  ## Debian's Chromium for the browser tests (apt, as root; Playwright downloads nothing)
	@test -x /usr/bin/chromium || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@/usr/bin/chromium --version 2>/dev/null | head -1

serve: $(STAMP)  ## browse kibaru.duckdb at http://127.0.0.1:8000 (kibaru ingest examples/ first)
	$(BIN)/kibaru serve --db kibaru.duckdb

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache src/*.egg-info
