# IEH portal. `make serve` runs the portal locally; `make test` runs every test. Both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAM_VENV := .venv-sam
SAM_CLI_VERSION := 1.170.0
PORT ?= 8000
# pytest-xdist workers for `make fast`: one per core, each with its own embedded AWS
WORKERS ?= auto
# pytest's exit status 5 is "no tests collected" (e.g. `-k` leaves none in a step): not a failure
PYTEST_OK := || [ $$? -eq 5 ]
export PYTHONPATH := $(CURDIR)/functions:$(CURDIR)
export SAM_CLI_TELEMETRY := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve test fast slow lint typecheck site template unit api e2e chromium npm clean bench soak

help:
	@echo "make serve   – set up and run the portal at http://127.0.0.1:$(PORT) with the demo world"
	@echo "make test    – set up and run every check and test (lint, template, then \`fast\` and \`slow\`)"
	@echo "make fast    – every test not marked slow: the browser kit (node --test), then unit, api, e2e in parallel (WORKERS=$(WORKERS))"
	@echo "make slow    – the tests marked slow: load, scale, local stack restarts, schemathesis"
	@echo "make lint    – ruff and mypy"
	@echo "make site    – build the static site into build/site"
	@echo "make bench   – every performance figure (imports, site, login, upload, risk, fuzz, load, Lighthouse, scale 1x and 10x)"
	@echo "make soak    – the long runs of fuzzing, schemathesis and load"
	@echo "make clean   – remove build output and local data (.local)"

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(SAM_VENV)/.installed:
	test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	env -u PYTHONPATH $(SAM_VENV)/bin/pip install --quiet aws-sam-cli==$(SAM_CLI_VERSION)
	touch $@

site: $(BIN)/.installed
	$(BIN)/mkdocs build --strict --quiet

serve: $(BIN)/.installed site
	$(BIN)/python -m infra.local --port $(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check functions infra tests site/hooks
	$(BIN)/ruff format --check functions infra tests site/hooks
	$(BIN)/mypy

template: $(BIN)/.installed $(SAM_VENV)/.installed
	$(BIN)/cfn-lint template.yaml
	env -u PYTHONPATH AWS_DEFAULT_REGION=eu-north-1 $(SAM_VENV)/bin/sam validate --lint --template template.yaml --region eu-north-1

# Debian's chromium for the browser tests (never `playwright install`: it downloads browsers).
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Install Debian's chromium (sudo apt-get install chromium) to run the browser tests."; exit 1; fi

# axe-core (accessibility test) and Lighthouse (bench), pinned, from the npm registry into .npm-tools/.
NPM_TOOLS := .npm-tools/node_modules
AXE := $(NPM_TOOLS)/axe-core/axe.min.js
JSDOM := $(NPM_TOOLS)/jsdom/package.json
LIGHTHOUSE := $(NPM_TOOLS)/.bin/lighthouse

npm:
	@command -v npm >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	else echo "Install Node.js and npm (sudo apt-get install nodejs npm) for the accessibility checks."; exit 1; fi; }

$(AXE): | npm
	npm install --prefix .npm-tools --no-audit --no-fund --save-exact axe-core@4.14.1

# jsdom for the browser kit's unit tests (tests/js, `node --test`): 27.0.1 runs on Debian's Node 20 (jsdom 31 needs Node 22).
$(JSDOM): | npm
	npm install --prefix .npm-tools --no-audit --no-fund --save-exact jsdom@27.0.1

$(LIGHTHOUSE): | npm
	npm install --prefix .npm-tools --no-audit --no-fund --save-exact lighthouse@12.8.2

unit: $(BIN)/.installed
	$(BIN)/pytest tests/unit -q

api: $(BIN)/.installed
	$(BIN)/pytest tests/api -q

e2e: $(BIN)/.installed site chromium $(AXE)
	$(BIN)/pytest tests/e2e -q

test: $(BIN)/.installed site chromium $(AXE) lint template
	$(MAKE) --no-print-directory fast
	$(MAKE) --no-print-directory slow

# Everything but the long runs, spread over the cores by pytest-xdist: each worker starts its own
# moto server and local stack on free ports, with its own temporary folders. The unit tests run on
# their own: they switch sockets off in the whole worker process, which would fail the local
# stack's background snapshot of a browser test that ran just before in the same worker. The
# use-case tests (tests/usecases: use cases on an embedded moto, no gateway, no browser) run with them.
fast: $(BIN)/.installed site chromium $(AXE) $(JSDOM)
	JSDOM_PATH=$(CURDIR)/$(NPM_TOOLS)/jsdom node --test tests/js/
	$(BIN)/pytest -q -n $(WORKERS) -m "not slow" tests/unit tests/usecases $(PYTEST_OK)
	$(BIN)/pytest -q -n $(WORKERS) -m "not slow" tests/api tests/e2e $(PYTEST_OK)

# The long runs in one process: each starts servers of its own and keeps the cores busy itself.
slow: $(BIN)/.installed site
	$(BIN)/pytest -q -m slow $(PYTEST_OK)

bench: $(BIN)/.installed site chromium $(LIGHTHOUSE)
	$(BIN)/python -m infra.bench

# The long forms of the bounded tests in `make test`: fuzzing, schemathesis, load (the scale test's
# long form, 1x and 10x, is part of `make bench`).
soak: $(BIN)/.installed site
	FUZZ_EXAMPLES=20000 $(BIN)/pytest -q tests/unit/test_upload_fuzz.py
	FUZZ_EXAMPLES=20000 $(BIN)/pytest -q tests/api/test_supply.py -k fuzz  # form reuse: 666 examples
	$(BIN)/python -m infra.bench.schemathesis_run 200
	$(BIN)/python -m infra.load.run --users 100 --seconds 600

clean:
	rm -rf build .local .pytest_cache .mypy_cache .ruff_cache
