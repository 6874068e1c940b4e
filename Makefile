# The project's vocabulary: make run, make test, make lint, make bench, make demo-data.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
ARGS ?=
PYTEST_WORKERS ?= auto

.PHONY: setup run test lint format bench demo-data check-deploy os-packages clean

# The virtual environment, with exactly the locked dependencies (uv.lock).
$(VENV)/.synced: pyproject.toml uv.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(VENV)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen --quiet
	@touch $@

setup: $(VENV)/.synced

## Serve the demo at http://127.0.0.1:8000 with a local PostgreSQL, Redis, worker and beat.
run: setup
	$(PY) scripts/run.py

## The whole suite, browser tests included, against throwaway PostgreSQL and Redis.
test: setup os-packages lint
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n $(PYTEST_WORKERS) $(ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Benchmarks print ratios against a baseline measured in the same run.
bench: setup
	$(PY) scripts/with_services.py $(PY) bench/working_days.py
	$(PY) scripts/with_services.py $(PY) bench/audit.py
	$(PY) scripts/with_services.py $(PY) bench/sweep.py
	$(PY) scripts/with_services.py $(PY) bench/lists.py
	$(PY) bench/protocol_import.py
	$(PY) scripts/with_services.py $(PY) bench/protocol_search.py

demo-data: setup
	$(PY) scripts/with_services.py --persistent $(PY) manage.py seed_demo

## What only the OS provides: Redis and Chromium (installed with apt-get when run as root).
os-packages:
	@bash scripts/os-packages.sh

check-deploy: setup
	$(PY) scripts/with_services.py --production $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
