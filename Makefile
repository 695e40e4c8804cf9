# The PSO register: every target is a verb; `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
#: what the browser tests (tests/browser) need besides Python: Debian's Chromium with its driver
#: and its Dutch interface (a browser build cannot be downloaded here), axe-core from npm
BROWSER := /usr/bin/chromedriver /usr/lib/chromium/locales/nl.pak
AXE := var/axe/node_modules/axe-core/axe.min.js
#: what WeasyPrint (the documents' PDF) needs from Debian: pango with its FreeType backend,
#: HarfBuzz's subsetter (fonts embedded as subsets) and the fonts the documents name; and
#: poppler-utils (pdftoppm), with which the document tests look at a PDF's pages
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
PDF := $(foreach p,$(PDF_PACKAGES),/usr/share/doc/$(p)/copyright)

.PHONY: help install messages run test test-unit test-integration test-e2e test-browser fuzz lint bench bench-scale bench-search clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml | $(BROWSER) $(AXE) $(PDF)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(BROWSER) &:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		chromium chromium-driver chromium-l10n

$(PDF) &:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES)

$(AXE):
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	npm install --prefix var/axe --no-audit --no-fund --loglevel=error axe-core@4

install: $(STAMP) ## create .venv and install the project with dev extras (idempotent)

messages: $(STAMP) ## add the pages' new texts to the English catalog (api/i18n) to be translated
	$(BIN)/pybabel extract --no-location --sort-output --no-wrap --project=pso-register --version=1 -k N_ \
		-F api/i18n/babel.cfg -o var/messages.pot .
	$(BIN)/pybabel update --no-wrap --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date \
		-i var/messages.pot -d api/i18n -D messages

run: $(STAMP) ## serve the register on the embedded SQLite database (demo data when empty)
	$(BIN)/pso serve --demo

test: $(STAMP) ## run unit, integration, e2e and browser tests (PostgreSQL too when PSO_TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-unit: $(STAMP) ## the unit tests: domain, norms and folds without a database (seconds)
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

test-integration: $(STAMP) ## storage, read models, scheduler and outbox on SQLite (and PostgreSQL when set)
	$(BIN)/python -m pytest tests/integration $(PYTEST_ARGS)

test-e2e: $(STAMP) ## the API over HTTP and the pso command line (and PostgreSQL when set)
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

test-browser: $(STAMP) ## the pages in headless Chromium: forms, language, axe-core, screenshots (var/screenshots)
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

fuzz: $(STAMP) ## the OpenAPI fuzz run at length: 200 random examples per operation (minutes)
	PSO_FUZZ_EXAMPLES=$${PSO_FUZZ_EXAMPLES:-200} $(BIN)/python -m pytest tests/e2e/test_openapi_fuzz.py $(PYTEST_ARGS)

lint: $(STAMP) ## ruff, mypy --strict and the layer contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP) ## benchmarks: ratios against baselines measured in the same run (var/bench.json)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench

bench-scale: $(STAMP) ## the register at 100,000 organisations: generation, size, rebuild, start-up, memory
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.scale $(BENCH_ARGS)

bench-search: $(STAMP) ## p99 of a register search at 100,000 synthetic organisations (a few minutes)
	$(BIN)/python -m bench.search $(BENCH_ARGS)

clean: ## remove the virtualenv, caches and local databases
	rm -rf $(VENV) var/*.sqlite3* .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
