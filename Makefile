# One command per intent. `make run` and `make test` set everything up themselves.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run reset test check fmt lint types bench package dlq schedule rollups funnel-rollups report-rollups clean console console-deps console-check openapi

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

## The staff console (web/console): node packages exactly as the lockfile says (again only when
## it changes), then `vite build` into web/console/dist (again only when a source changes).
CONSOLE := web/console
CONSOLE_STAMP := $(CONSOLE)/node_modules/.garanti-installed
CONSOLE_SOURCES := $(shell find $(CONSOLE)/src -type f 2>/dev/null) $(CONSOLE)/index.html \
	$(CONSOLE)/vite.config.ts $(CONSOLE)/tsconfig.json web/shared/tokens.css

$(CONSOLE_STAMP): $(CONSOLE)/package-lock.json
	cd $(CONSOLE) && npm ci --no-audit --no-fund --loglevel=error
	touch $(CONSOLE_STAMP)

console-deps: $(CONSOLE_STAMP)

$(CONSOLE)/dist/index.html: $(CONSOLE_STAMP) $(CONSOLE_SOURCES)
	cd $(CONSOLE) && node_modules/.bin/vite build --logLevel warn
	touch $(CONSOLE)/dist/index.html

console: $(CONSOLE)/dist/index.html

## The console's gate: types (tsc), eslint (typescript-eslint, react-hooks) and the licence of
## every package in the lockfile.
console-check: $(CONSOLE_STAMP)
	cd $(CONSOLE) && node_modules/.bin/tsc --noEmit -p tsconfig.json
	cd $(CONSOLE) && node_modules/.bin/eslint --max-warnings 0 .
	node $(CONSOLE)/scripts/check-licences.mjs $(CONSOLE)/package-lock.json

## The main job: the embedded stack (emulator, API, stream poller, schedules, demo data), with
## the staff console built first when needed.
run: $(STAMP) console
	$(BIN)/python -m devstack run

## Forget all local data (the next `make run` starts clean, with fresh demo data).
reset: $(STAMP)
	$(BIN)/python -m devstack reset

## Dead letters of the local stream poller: `make dlq` lists, `make dlq ARGS="replay --all"`.
dlq: $(STAMP)
	$(BIN)/python -m devstack dlq $(or $(ARGS),list)

## Schedules: `make schedule` lists, `make schedule ARGS="run NAME"` runs one now.
schedule: $(STAMP)
	$(BIN)/python -m devstack schedule $(or $(ARGS),list)

## The dashboard's daily counters rebuilt from the running stack's units and outbox (a one-off).
rollups: $(STAMP)
	$(BIN)/python -m devstack rollups rebuild

## The dealer funnel's counters rebuilt from the running stack's units (a one-off).
funnel-rollups: $(STAMP)
	$(BIN)/python -m devstack funnel rebuild

## The warranty reports' counters rebuilt from the running stack's units and requests (a one-off).
report-rollups: $(STAMP)
	$(BIN)/python -m devstack reports rebuild

## Every test: unit, integration (moto) and end-to-end (the embedded stack over HTTP), two
## workers, each module whole on one worker (its devstack and browser are module fixtures).
## --dist loadscope, not loadgroup: pytest 9 ignores the node id suffix loadgroup relies on.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadscope -q

fmt: $(STAMP)
	$(BIN)/ruff format --check .

## ruff (with the complexity gate) and the import contracts of the capability layout.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

types: $(STAMP)
	$(BIN)/mypy

## The deployable template (infra/README.md): build/package/sam.json + deployment.zip, checked
## and linted, and build/package/portal/ (the portal's files for its bucket, naming PORTAL_API_URL).
## Another stage: $(BIN)/python -m infra.package --stage prod --out build/package-prod
PORTAL_API_URL ?= https://api-dev.example.vn
package: $(STAMP) console
	$(BIN)/python -m infra.package --stage dev
	$(BIN)/python -m infra.portal --api-url $(PORTAL_API_URL) --out build/package/portal
	$(BIN)/python -m infra.console --api-url $(PORTAL_API_URL) --out build/package/console

## docs/openapi.json from the routes, request models and answer shapes (infra/openapi/); a test
## fails while the committed file differs from what this writes.
openapi: $(STAMP)
	$(BIN)/python -m infra.openapi

## Exactly what CI runs: format, lint, types (Python and the console's), the packaged template
## linted, the console built, then every test.
check: fmt lint types console-check package console test

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
