# One command per intent. `make run` and `make test` set everything up themselves.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run reset test check fmt lint types bench package dlq schedule clean openapi

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

## The main job: the embedded stack (emulator, API, stream poller, schedules, demo data).
run: $(STAMP)
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

## Every test: unit, integration (moto) and end-to-end (the embedded stack over HTTP).
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

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
package: $(STAMP)
	$(BIN)/python -m infra.package --stage dev
	$(BIN)/python -m infra.portal --api-url $(PORTAL_API_URL) --out build/package/portal

## docs/openapi.json from the routes, request models and answer shapes (infra/openapi/); a test
## fails while the committed file differs from what this writes.
openapi: $(STAMP)
	$(BIN)/python -m infra.openapi

## Exactly what CI runs: format, lint, types, the packaged template linted, then every test.
check: fmt lint types package test

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
