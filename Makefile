# The two entry points: `make book` (install and build the course) and `make test`.
# Each creates .venv when missing and installs what it needs; nothing else is assumed
# but Python 3.11+ (and, for the browser tests, root or sudo to install Debian's chromium).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test install browser clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

book: $(STAMP)
	$(BIN)/quiz validate
	$(BIN)/quiz book build

browser: $(STAMP)
	sh .ci/install-chromium.sh

test: $(STAMP) browser
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf book/_build book/lessons book/sources book/generated
