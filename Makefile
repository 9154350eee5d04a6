# LabCert: `make run` starts the demo lab, `make test` runs the suite. Both set themselves up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall only when the declared dependencies change.
DEPS_HASH := $(shell cat setup.cfg pyproject.toml | sha1sum | cut -c1-12)
RUN_STAMP  := $(VENV)/.stamp-run-$(DEPS_HASH)
TEST_STAMP := $(VENV)/.stamp-test-$(DEPS_HASH)
HOST ?= 127.0.0.1
PORT ?= 5000
# One pytest worker per core; a test file stays on one worker (the browser journey is ordered).
PYTEST_PARALLEL ?= -n auto --dist loadfile

.PHONY: run test lint sysdeps bench clean translations

run: sysdeps $(RUN_STAMP)
	$(BIN)/labcert db upgrade
	$(BIN)/labcert pki init
	@# The demo certificates' QR codes and links point where this server answers (unless
	@# LABCERT_PUBLIC_URL says otherwise); `labcert run` defaults the same way.
	LABCERT_PUBLIC_URL="$${LABCERT_PUBLIC_URL:-http://$(HOST):$(PORT)}" $(BIN)/labcert seed-demo
	@echo "LabCert is starting at http://$(HOST):$(PORT)  (Ctrl+C stops it)"
	$(BIN)/labcert run --host $(HOST) --port $(PORT)

test: sysdeps $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

bench: $(TEST_STAMP)
	for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

sysdeps:
	@scripts/sysdeps.sh

# After changing a page's words: extract them, merge into the ur/ar/ru catalogues, compile.
translations: $(TEST_STAMP)
	$(BIN)/python -m labcert.catalogues

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

$(RUN_STAMP): $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@rm -f $(VENV)/.stamp-run-* && touch $@

$(TEST_STAMP): $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.stamp-test-* $(VENV)/.stamp-run-* && touch $@ $(RUN_STAMP)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis artifacts *.egg-info
