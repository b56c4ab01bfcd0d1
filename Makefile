# The two entry points: `make book` (install and build the course) and `make test`.
# Both install from uv.lock, the lock file that pins every package with its hashes, so
# every machine gets the environment CI tested. Nothing else is assumed but Python 3.11+
# (and, for the browser tests, root or sudo to install Debian's chromium, and Node.js with
# npm for the conformance suite's GIFT parser, from package-lock.json).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UVENV  := .uv
UV     := UV_PYTHON=$(PYTHON) UV_PYTHON_DOWNLOADS=never $(UVENV)/bin/uv

.PHONY: book test install install-test lock-check lock upgrade browser clean bench screenshots pdf

# uv itself, pinned by hash in .ci/uv.txt, in a small venv of its own (so syncing .venv
# never removes the tool doing the syncing).
$(UVENV)/bin/uv: .ci/uv.txt
	$(PYTHON) -m venv $(UVENV)
	$(UVENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r .ci/uv.txt
	touch $@

lock-check: $(UVENV)/bin/uv
	@$(UV) lock --check --quiet 2>/dev/null || { \
	  echo "uv.lock does not match pyproject.toml: run 'make lock' and commit uv.lock." >&2; exit 2; }

# The book's packages only; --inexact keeps the test packages if `make test` added them.
install: lock-check
	$(UV) sync --locked --inexact --quiet

install-test: lock-check
	$(UV) sync --locked --extra test --quiet

book: install
	$(BIN)/quiz validate
	$(BIN)/quiz book build

browser:
	sh .ci/install-chromium.sh

# gift-pegjs (the conformance suite reads GIFT back with it) and axe-core (the browser
# tests' accessibility check), pinned with their hashes in package-lock.json.
test: install-test browser
	npm ci --no-audit --no-fund --silent
	$(BIN)/python -m pytest

# The README's screenshots, from the real build of the book.
screenshots: install browser
	$(BIN)/python docs/screenshots.py

# The course reader (book/_build/course-reader.pdf); `quiz book pdf --instructor` for solutions.
pdf: install browser
	$(BIN)/quiz book pdf

# After editing pyproject.toml: record the change in uv.lock, keeping every other pin.
lock: $(UVENV)/bin/uv
	$(UV) lock

# Move every package to the newest release pyproject.toml allows (then run `make test`).
upgrade: $(UVENV)/bin/uv
	$(UV) lock --upgrade

bench: install-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf book/_build book/lessons book/sources book/generated node_modules
