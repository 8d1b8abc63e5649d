# Two commands a student or maintainer needs:  make lab   and   make test
# Both create (or refresh) the virtual environment in .venv first: `make lab` installs the
# course's runtime stack only (requirements.txt), `make test` adds the test tools
# (requirements-dev.txt). Without make, see "Without make" in README.md.

PYTHON ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV     := $(VENV)/.installed-dev
START   := notebooks/00_start_here.ipynb
# Jupyter refuses to run as root (e.g. in a container) unless told; a normal user needs nothing.
AS_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.DEFAULT_GOAL := help
.PHONY: help lab check test lint unit browser notebooks bench execute answer-key export-bank hub-link hub-test clean

help:  ## Show the available commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(RUNTIME)

$(DEV): requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(RUNTIME) $(DEV)

lab: $(RUNTIME)  ## Open the course in JupyterLab (localhost only, with a login token)
	$(BIN)/python -m jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(CURDIR) $(AS_ROOT) $(START)

check: $(RUNTIME)  ## Check the files a teacher edits (data, course.yml, lesson files); print their problems
	$(BIN)/python tools/check.py

lint: $(DEV)  ## ruff (lint) and mypy (types) on helpers/; errors and unused names in tests, tools, benchmarks
	$(BIN)/python -m ruff check helpers
	$(BIN)/python -m ruff check --select F,E9 tests tools benchmarks
	$(BIN)/python -m mypy

test: lint  ## Lint, then the whole test suite: data, helpers, every notebook (strict nbval), browser
	$(BIN)/python -m pytest --nbval --nbval-current-env -n 2 --dist loadscope

unit: $(DEV)  ## Only the fast unit tests (no notebooks, no browser)
	$(BIN)/python -m pytest -p no:nbval -m "not browser and not slow" tests

browser: $(DEV)  ## Only the real-browser tests (JupyterLab, Notebook 7, Voilà in Debian's chromium; apt-get install chromium)
	$(BIN)/python -m pytest -p no:nbval -m browser tests/test_browser.py tests/test_frontends.py tests/test_dashboard.py

notebooks: $(DEV)  ## Only the notebooks, compared with their stored outputs
	$(BIN)/python -m pytest --nbval --nbval-current-env notebooks

execute: $(DEV)  ## Re-execute every notebook and store its outputs (after changing data or lessons)
	$(BIN)/python tools/update_navigation.py
	$(BIN)/python tools/make_synthetic_class.py
	$(BIN)/python tools/execute_notebooks.py

answer-key: $(RUNTIME)  ## Write the teacher's answer key to build/answer-key/ (Markdown and HTML)
	$(BIN)/python -m helpers.teacher.answer_key build/answer-key

export-bank: $(RUNTIME)  ## Export the question bank to build/export/ (Moodle GIFT, jupyterquiz JSON)
	$(BIN)/python -m helpers.teacher.bank_export build/export

bench: $(DEV)  ## Run the benchmarks and print their table
	$(BIN)/python benchmarks/run.py

BRANCH ?= main
hub-link:  ## Print the course link for a JupyterHub: make hub-link HUB=https://hub.example.edu REPO=https://github.com/ORG/REPO [BRANCH=main]
	@$(PYTHON) tools/hub_link.py --hub "$(HUB)" --repo "$(REPO)" --branch "$(BRANCH)"

hub-test: $(DEV)  ## Only the JupyterHub tests: the shipped config, the link, the drop box, a class of 12 on a real hub
	$(BIN)/python -m pytest -p no:nbval tests/test_hub.py

clean:  ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
