# Two commands a student or maintainer needs:  make lab   and   make test
# Both create (or refresh) the virtual environment in .venv first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
START  := notebooks/00_start_here.ipynb
# Jupyter refuses to run as root (e.g. in a container) unless told; a normal user needs nothing.
AS_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.DEFAULT_GOAL := help
.PHONY: help lab test unit browser notebooks bench execute answer-key export-bank clean

help:  ## Show the available commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=/path/to/python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

lab: $(STAMP)  ## Open the course in JupyterLab (localhost only, with a login token)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(CURDIR) $(AS_ROOT) $(START)

test: $(STAMP)  ## Run the whole test suite: data, helpers, every notebook (strict nbval), browser
	$(BIN)/python -m pytest --nbval --nbval-current-env -n 2 --dist loadscope

unit: $(STAMP)  ## Only the fast unit tests (no notebooks, no browser)
	$(BIN)/python -m pytest -p no:nbval -m "not browser and not slow" tests

browser: $(STAMP)  ## Only the real-browser tests (JupyterLab in Debian's chromium; apt-get install chromium)
	$(BIN)/python -m pytest -p no:nbval -m browser tests/test_browser.py

notebooks: $(STAMP)  ## Only the notebooks, compared with their stored outputs
	$(BIN)/python -m pytest --nbval --nbval-current-env notebooks

execute: $(STAMP)  ## Re-execute every notebook and store its outputs (after changing data or lessons)
	$(BIN)/python tools/update_navigation.py
	$(BIN)/python tools/make_synthetic_class.py
	$(BIN)/python tools/execute_notebooks.py

answer-key: $(STAMP)  ## Write the teacher's answer key to build/answer-key/ (Markdown and HTML)
	$(BIN)/python -m helpers.teacher.answer_key build/answer-key

export-bank: $(STAMP)  ## Export the question bank to build/export/ (Moodle GIFT, jupyterquiz JSON)
	$(BIN)/python -m helpers.teacher.bank_export build/export

bench: $(STAMP)  ## Run the benchmarks and print their table
	$(BIN)/python benchmarks/run.py

clean:  ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache
