# aical — `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test bench fuzz docs clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-7s %s\n", $$1, $$2}'

# pip's and setuptools' chatter goes to a log, shown only when the install fails, so
# `make run` prints the build's result and how to run aical.
$(STAMP): pyproject.toml
	@echo "Installing aical and its dependencies into $(VENV)/ (log: $(VENV)/install.log)"
	@$(PYTHON) -m venv $(VENV)
	@{ $(BIN)/python -m pip install --upgrade pip && \
	   $(BIN)/python -m pip install -e '.[test,bench]'; } > $(VENV)/install.log 2>&1 \
	   || { cat $(VENV)/install.log; echo "make: installing into $(VENV)/ failed (see above)"; exit 1; }
	@touch $@

# ical.js (Mozilla's parser, used by Thunderbird) reads our feeds back in the tests.
tests/js/node_modules/.installed: tests/js/package.json tests/js/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/js && npm ci --silent --no-audit --no-fund && touch node_modules/.installed; \
	else echo "npm not found: the ical.js tests will be skipped"; fi

run: $(STAMP) ## build the sample report into build/
	@$(BIN)/aical build --year R2 --out build samples/
	@echo "Run aical yourself: .venv/bin/aical --help, or activate the environment first"
	@echo "(. .venv/bin/activate) and call aical by name; README: Running aical."

test: $(STAMP) tests/js/node_modules/.installed ## run the test suite
	$(BIN)/python -m pytest

bench: $(STAMP) ## measure aical against its peers (ratios, same run)
	$(BIN)/python -m bench

fuzz: $(STAMP) ## a long fuzzing run (FUZZ_SECONDS, default 600)
	$(BIN)/python -m bench.fuzz

docs: $(STAMP) ## regenerate the README's CLI reference from --help
	$(BIN)/python tools/cli_reference.py

clean: ## remove the environment and build output
	rm -rf $(VENV) build tests/js/node_modules .pytest_cache .hypothesis
