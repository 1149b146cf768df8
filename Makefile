# Lantern: `make run` serves the app with demo data; `make test` runs the whole suite.
# Everything lives in the repository: the virtual environment in .venv/, npm packages in
# node_modules/, the SQLite database and generated keys in var/.

PYTHON ?= python3
VENV := .venv
# Python keeps the bytecode of what it imports in __pycache__/ (ignored by git), which the
# installs below count on (--no-compile). An environment that sets PYTHONDONTWRITEBYTECODE would
# have every process compile every module it imports again: each pytest process spent 4 s of
# CPU on it, and `make test` starts twelve (README.md, "CI time").
unexport PYTHONDONTWRITEBYTECODE
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test test-ruff test-imports test-mypy test-db test-pytest test-unit test-browser lint setup setup-dev assets migrate demo system-deps browser-deps pdf-deps lock clean

help:
	@echo "make run    install what is needed, load the demo partnership, serve http://$(HOST):$(PORT)"
	@echo "make test   install what the tests need and run the whole suite"
	@echo "            (its phases alone: make test-ruff, test-imports, test-mypy, test-pytest;"
	@echo "            the unit or browser tests alone: make test-unit, test-browser)"
	@echo "make lint   ruff, lint-imports (the layers, docs/architecture.md) and mypy"
	@echo "make lock   re-resolve requirements/*.txt from pyproject.toml"

# --- Python -------------------------------------------------------------------------------
$(BIN)/python:
	@scripts/ensure-system-deps python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# --no-compile: pip would byte-compile every module of every package (half its time in a fresh
# clone); Python compiles the modules actually imported, once, on first use.
$(VENV)/.main-installed: requirements/main.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --no-compile --require-hashes -r requirements/main.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --no-compile --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $(VENV)/.main-installed $@

# --- Front-end assets ---------------------------------------------------------------------
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lantern/foundation/static/build/lantern.css: node_modules/.package-lock.json scripts/build-assets.mjs lantern/foundation/assets/lantern.scss
	npm run --silent build

assets: lantern/foundation/static/build/lantern.css

# WeasyPrint (PDF minutes and plans) needs Pango from Debian, for running and for the tests.
pdf-deps:
	@scripts/ensure-system-deps pdf

setup: $(VENV)/.main-installed assets pdf-deps
setup-dev: $(VENV)/.dev-installed assets pdf-deps

# --- Running ------------------------------------------------------------------------------
migrate: setup
	@mkdir -p var
	$(BIN)/lantern migrate --no-input

demo: migrate
	DEBUG=1 $(BIN)/lantern demo --if-empty

run: demo
	@echo "Lantern on http://$(HOST):$(PORT)/ (demo accounts: README.md, or '$(BIN)/lantern demo --accounts-json')"
	DEBUG=1 $(BIN)/lantern runserver $(HOST):$(PORT)

# --- Tests --------------------------------------------------------------------------------
browser-deps:
	@scripts/ensure-system-deps browser

# `make test` runs every phase below in turn; scripts/timed records how long each took when
# LANTERN_TIMINGS names a file (.ci/run prints them). The unit tests run on PYTEST_WORKERS
# processes (pytest-xdist, one database each). Each worker takes an even, contiguous share of
# the tests in order and an idle one takes half of another's remaining share (worksteal), so
# data a module builds once (lantern/testing.py, built_once) is built about once per worker
# even for the access matrix, more than half of all tests. The browser tests then run on
# BROWSER_WORKERS processes, each with its own database, live server and Chromium: a browser
# test mostly waits (the whole browser suite used 150 s of CPU in 880 s on the busy 2-core
# machine), so two of them at once took 610 s there (issue 12's note). `make test-pytest` runs
# both kinds in one session on every core, which was no faster and let one browser test flake
# under the contention, so it is not the default.
PYTEST_WORKERS ?= auto
# BROWSER_WORKERS=0: the browser tests in one process.
BROWSER_WORKERS ?= 2
# PYTEST_ARGS: extra pytest options (-x, -k NAME, ...).
TIMED := scripts/timed

test:
	@$(TIMED) setup $(MAKE) --no-print-directory setup-dev browser-deps
	@$(TIMED) ruff $(MAKE) --no-print-directory test-ruff
	@$(TIMED) lint-imports $(MAKE) --no-print-directory test-imports
	@$(TIMED) "mypy, test db" $(MAKE) --no-print-directory -j2 test-mypy test-db
	@$(TIMED) "pytest unit" $(MAKE) --no-print-directory test-unit
	@$(TIMED) "pytest browser" $(MAKE) --no-print-directory test-browser

test-ruff: setup-dev
	$(BIN)/ruff check .

test-imports: setup-dev
	$(BIN)/lint-imports --no-logo

test-mypy: setup-dev
	$(BIN)/mypy

# The migrated test database every pytest worker copies (lantern/testdb.py): `make test` makes
# it while mypy, which uses one core, runs; without it the first worker migrates.
test-db: setup-dev
	$(BIN)/python -m lantern.testdb

test-pytest: setup-dev browser-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS) lantern tests/browser

test-unit: setup-dev
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS) lantern

test-browser: setup-dev browser-deps
	$(BIN)/pytest -n $(BROWSER_WORKERS) $(PYTEST_ARGS) tests/browser

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy
	$(BIN)/ruff format --check . || true

# Re-resolve the lock files (needs network). uv runs from a throwaway environment in var/.
lock:
	@mkdir -p var
	test -x var/tools/bin/uv || ($(PYTHON) -m venv var/tools && var/tools/bin/pip install --quiet uv)
	var/tools/bin/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/main.txt --quiet
	var/tools/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.txt --quiet

clean:
	rm -rf $(VENV) node_modules lantern/foundation/static/build
