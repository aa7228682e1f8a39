# The two commands a newcomer needs: `make run` and `make test`. Every target installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BENCH_INSTALLED := $(VENV)/.installed-bench
REFERENCE := tests/reference

.DEFAULT_GOAL := help
.PHONY: help install run edge frontend frontend-types migrate seed compose schema-check dashboards k8s test test-unit test-integration lint format reference bench bench-profile loadtest clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(INSTALLED) ## create .venv and install the project with its dev tools

# The `bench` extra (Locust, py-spy): only the load test and the profile need it.
$(BENCH_INSTALLED): pyproject.toml | $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $@

run: $(INSTALLED) ## build the web front (with Node), migrate, seed and start every subgraph and the gateway (Ctrl-C stops all)
	@$(MAKE) --no-print-directory frontend || echo "warning: the web front did not build (see above); the API starts without it"
	$(BIN)/python -m devstack

edge: $(INSTALLED) ## what `make run` starts, plus nginx on :8080 in front of the gateway (config from nginx/ under var/nginx/)
	@$(MAKE) --no-print-directory frontend || echo "warning: the web front did not build (see above); the API starts without it"
	$(BIN)/python -m devstack edge

# The web front (frontend/): npm packages from the committed lock file, one Vite build of the SPA
# and GraphiQL into frontend/dist, redone only when a source changed.
FRONTEND := frontend
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src -type f 2>/dev/null) $(addprefix $(FRONTEND)/,index.html graphiql.html vite.config.ts tsconfig.json package-lock.json)
NPM := $(shell command -v npm 2>/dev/null)

$(FRONTEND)/node_modules/.package-lock.json: $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund --loglevel=error

$(FRONTEND)/dist/index.html: $(FRONTEND_SOURCES) | $(FRONTEND)/node_modules/.package-lock.json
	cd $(FRONTEND) && npm run --silent build

ifneq ($(NPM),)
frontend: $(FRONTEND)/dist/index.html ## build the shop SPA and GraphiQL into frontend/dist (Node 20+ and npm)
else
frontend:
	@echo "npm not found: the shop and GraphiQL are not built (install Node 20+ with npm, e.g. apt-get install nodejs npm); the API works without them"
endif

frontend-types: $(INSTALLED) ## write the API schema to frontend/schema.graphql and regenerate the SPA's types (frontend/src/gql/)
	$(BIN)/python -m schema api --out $(FRONTEND)/schema.graphql
	@if [ -n "$(NPM)" ]; then $(MAKE) --no-print-directory $(FRONTEND)/node_modules/.package-lock.json && cd $(FRONTEND) && npm run --silent codegen; \
	else echo "npm not found: frontend/src/gql/ not regenerated (a test fails while it is stale)"; fi

# The subgraphs of the stack, from devstack/stack.py (one list for make, `make run` and the tests).
SUBGRAPHS = $(shell $(BIN)/python -m devstack list)

migrate: $(INSTALLED) ## apply every subgraph's migrations to its database
	@for s in $(SUBGRAPHS); do $(BIN)/python -m subgraphs.$$s migrate || exit 1; done

seed: $(INSTALLED) ## load demo data into empty subgraph databases
	@for s in $(SUBGRAPHS); do $(BIN)/python -m subgraphs.$$s seed || exit 1; done

compose: $(INSTALLED) ## print each subgraph's SDL into schema/subgraphs/ and compose schema/supergraph.graphql
	@mkdir -p schema/subgraphs
	@for s in $(SUBGRAPHS); do $(BIN)/python -m subgraphs.$$s sdl > schema/subgraphs/$$s.graphql || exit 1; done
	$(BIN)/python -m schema compose
	@$(MAKE) --no-print-directory frontend-types

# Compare with the supergraph as committed at SCHEMA_BASE (CI: SCHEMA_BASE=origin/main).
SCHEMA_BASE ?= HEAD

schema-check: $(INSTALLED) ## list API changes of the subgraphs' SDL against schema/supergraph.graphql at SCHEMA_BASE (default HEAD); fails on breaking ones
	@mkdir -p schema/subgraphs var
	@for s in $(SUBGRAPHS); do $(BIN)/python -m subgraphs.$$s sdl > schema/subgraphs/$$s.graphql || exit 1; done
	@git show $(SCHEMA_BASE):schema/supergraph.graphql > var/supergraph.base.graphql
	$(BIN)/python -m schema check --against var/supergraph.base.graphql

dashboards: $(INSTALLED) ## write the Grafana dashboards of monitoring/grafana/dashboards/ from their generator
	$(BIN)/python monitoring/grafana/generate.py

k8s: $(INSTALLED) ## write the per-service Kubernetes manifests of deploy/k8s/base/ from their generator
	$(BIN)/python deploy/k8s/generate.py

$(REFERENCE)/node_modules/.package-lock.json: $(REFERENCE)/package-lock.json
	@if command -v npm >/dev/null; then cd $(REFERENCE) && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: reference tests will be skipped (they fail under CI=true)"; fi

reference: $(REFERENCE)/node_modules/.package-lock.json ## install @apollo/gateway, @apollo/composition and @graphql-hive/gateway for the reference tests

# pytest-xdist workers of `make test` (0: one process); tests sharing a stack stay on one worker.
# Three on the project's 2-core machine: much of the suite waits on processes starting, and a
# third worker fills those waits (943 s on two workers, 741 s on three, the same tests).
TEST_WORKERS ?= 3

test: $(INSTALLED) reference frontend ## run the whole test suite (unit, integration, reference, web front in Chromium and nginx)
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

test-unit: $(INSTALLED) ## only the unit tests (no processes, no network)
	$(BIN)/python -m pytest tests/unit

test-integration: $(INSTALLED) ## only the integration tests (real processes, SQLite and PostgreSQL)
	$(BIN)/python -m pytest tests/integration

lint: $(INSTALLED) ## ruff, mypy --strict on everything but the tests, import-linter
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(INSTALLED) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(INSTALLED) ## load-test our gateway beside Apollo Gateway, Hive Gateway and Grafbase; writes bench/RESULTS.md
	$(BIN)/python bench/run.py

bench-profile: $(BENCH_INSTALLED) ## `make bench` of our gateway alone with py-spy on it; profiles in bench/logs/ (see bench/PROFILE.md)
	BENCH_PROFILE=$${BENCH_PROFILE:-1} BENCH_GATEWAYS=$${BENCH_GATEWAYS:-ours} $(BIN)/python bench/run.py

loadtest: $(BENCH_INSTALLED) ## Locust against the real system on PostgreSQL (a stack of its own on free ports); writes bench/LOADTEST.md
	$(BIN)/python -m bench.loadtest

clean: ## remove the databases, logs and caches under var/ (keeps .venv)
	rm -rf var .pytest_cache .mypy_cache .ruff_cache $(FRONTEND)/dist
