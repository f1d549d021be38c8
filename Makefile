# Stagecraft: every command a learner, an instructor or CI needs.
# Each target sets itself up, so `make serve` and `make test` work on a fresh clone.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The stamp is newer than pyproject.toml once .venv has everything it lists.
STAMP  := $(VENV)/.installed-stamp
STAGE  ?=
HOST   ?= 127.0.0.1
PORT   ?= 8080
# The app must stay free of Bandit findings: `make security` and `make lint` both check.
BANDIT := $(BIN)/bandit --quiet -c pyproject.toml -r reference_app

.DEFAULT_GOAL := help
.PHONY: help setup serve seed reset routes build-check check security notebooks bench bench-scale plans docs docs-build test lint clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup: $(STAMP) ## build .venv with the app and its dev tools (quick when nothing changed)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

serve: setup ## seed if empty, then serve the last stage (or STAGE=N) on 127.0.0.1:8080
	$(BIN)/reference-app seed --if-empty
	$(BIN)/reference-app serve --host $(HOST) --port $(PORT) $(if $(STAGE),--stage $(STAGE))

seed: setup ## write the demo data into instance/stagecraft.db
	$(BIN)/reference-app seed

reset: setup ## empty the database
	$(BIN)/reference-app reset

routes: setup ## print the route table (STAGE=N for an earlier stage)
	$(BIN)/reference-app routes $(if $(STAGE),--stage $(STAGE))

build-check: setup ## the build track: check your workshop/ app's current lesson, step by step
	$(BIN)/python -m lessons build check

check: setup ## check your exercise: LESSON=4 for a lesson, EXERCISE=name for one (default: the next)
	$(BIN)/python -m lessons check $(if $(LESSON),--lesson $(LESSON)) $(EXERCISE)

security: setup ## the security lab (every exploit, both ways), then Bandit on the app
	$(BIN)/python -m security_checks
	$(BANDIT)

notebooks: setup ## run every notebook in a fresh kernel; executed copies go to notebooks/_build/
	$(BIN)/python -m notebooks.build

bench: setup ## req/s and latency with wrk: stage 5, the last stage, a floor, a ceiling (APP=workshop: yours)
	$(BIN)/python -m benchmarks.bench $(if $(APP),--app $(APP))

bench-scale: setup ## p50 of every route at 1,000 and 100,000 articles, cache on and off (~11 min)
	$(BIN)/python -m benchmarks.scale

plans: setup ## EXPLAIN QUERY PLAN before and after lesson 6's indexes, into benchmarks/
	$(BIN)/python -m benchmarks.plans

docs: setup ## serve the course site on http://127.0.0.1:8000/ (make notebooks first for their outputs)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

docs-build: notebooks ## run the notebooks, then build the course site into site/, strictly
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

lint: setup ## ruff, bandit, and the import layers (lint-imports)
	$(BIN)/ruff check .
	$(BANDIT)
	$(BIN)/lint-imports --no-cache

test: lint ## lint, then every test: the app's with coverage, then the lessons' own
	$(BIN)/pytest --cov --cov-report=term
	$(BIN)/pytest lessons -p no:cacheprovider -q

clean: ## remove caches and build output (keeps .venv and instance/)
	rm -rf .pytest_cache .ruff_cache .coverage htmlcov site build *.egg-info

# The load-testing lab's targets: load, load-compare, load-distributed, lab.
include loadtests/load.mk
