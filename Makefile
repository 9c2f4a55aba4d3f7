# Two commands take a fresh clone to a built, validated package and a passing test suite:
#
#     make          # .venv, editable install with dev tools, then `jiutai-data publish`:
#                   # validate once, build, export, site, summary; then the docs site (dist/docs/)
#     make test     # the test suite (installs Debian's Chromium for the browser tests if missing)
#
# Also: make docs (the documentation site only), make dist (the wheel and the sdist in dist/).
#
# Python 3.11 or newer is found on PATH; override with `make PYTHON=/path/to/python3.11`.

SHELL := /bin/bash
.DEFAULT_GOAL := all

VENV := .venv
BIN := $(VENV)/bin
# Re-installed only when pyproject.toml changes.
INSTALLED := $(VENV)/.installed

PYTHON ?= $(shell for candidate in python3 python3.13 python3.12 python3.11 python; do \
	if command -v $$candidate >/dev/null 2>&1 && \
	   $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then \
		command -v $$candidate; break; \
	fi; done)

.PHONY: all publish build validate export site summary serve browser r test bench bench-spark clean docs dist

all: publish

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "make: no Python 3.11 or newer found on PATH; run: make PYTHON=/path/to/python3.11" >&2; exit 2; \
	fi
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# One process validates the package once and publishes what it read: the build (twins,
# hashes, README tables), the downloads in dist/, the site in dist/site/ and the summary.
publish: $(INSTALLED)
	$(BIN)/jiutai-data publish
	$(MKDOCS)

# The documentation site (mkdocs.yml): docs/ and the pages generated from the package by
# src/jiutai_data/publish/docs.py, into dist/docs/. --strict fails on a broken link or anchor.
# (Not --quiet: it hides the warnings that --strict counts, so a broken link would pass.
# NO_MKDOCS_2_WARNING: Material's notice about MkDocs 2, printed on every build.)
MKDOCS = NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict --site-dir dist/docs

docs: $(INSTALLED)
	$(MKDOCS)

# The wheel (which carries the data package, see hatch_build.py) and the sdist, offline, into
# dist/ (DIST_DIR): then `pip install dist/jiutai_data-*.whl`. tests/test_release_wheel.py runs
# this recipe into a temporary folder.
DIST_DIR ?= dist

dist: build
	rm -f $(DIST_DIR)/jiutai_data-*.whl $(DIST_DIR)/jiutai_data-*.tar.gz
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation --no-index --wheel-dir $(DIST_DIR) .
	$(BIN)/python -m hatchling build --target sdist --directory $(DIST_DIR)

# Each verb alone (each validates the package itself, and refuses an invalid one).
build: $(INSTALLED)
	$(BIN)/jiutai-data build

validate: $(INSTALLED)
	$(BIN)/jiutai-data validate

export: build
	$(BIN)/jiutai-data export

site: export
	$(BIN)/jiutai-data site

summary: $(INSTALLED)
	@$(BIN)/jiutai-data summary

# Datasette on the SQLite download, at http://127.0.0.1:8001/ (Ctrl-C stops it).
serve: export
	$(BIN)/jiutai-data serve

# The browser tests drive the system's Chromium; Playwright never downloads one.
browser:
	@scripts/install-browser.sh

# R with readr, for the test of the README's R recipes (Debian's packages, about 20 s once).
r:
	@scripts/install-r.sh

# One worker per core (at most 4: each holds a browser or a package in memory); worksteal
# hands a worker that runs out the tests still queued on the other, so one long test (the
# data tests again on the grown package) does not leave a core idle at the end.
PARALLEL := -n auto --maxprocesses 4 --dist worksteal

test: $(INSTALLED) browser r
	$(BIN)/python -m pytest $(PARALLEL)

# The full test sweeps (marker `sweep`, left out of `make test`) run first: every verb on every
# corpus case, and every data test on the package grown by a second source.
# bench_scale.py also evaluates pandera's Ibis backend on DuckDB (the `scale` extra) and writes
# and validates a 10,000,000-row partitioned package in bench/work/ (about 1 GB, deleted afterwards);
# then bench-spark, below.
bench: $(INSTALLED) browser
	$(BIN)/python -m pytest -m sweep $(PARALLEL)
	$(BIN)/python -m pip install --quiet -e '.[scale]'
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_draft.py
	$(BIN)/python scripts/bench_site.py
	$(BIN)/python scripts/bench_add_source.py
	$(BIN)/python scripts/bench_scale.py --clean
	@if command -v java >/dev/null 2>&1; then $(MAKE) bench-spark SPARK_ARGS="--rows 100000 1000000"; \
	else echo "make bench: bench-spark left out: no Java runtime (e.g. apt-get install openjdk-17-jre-headless)" >&2; fi

# The engine's own checks of each batch run on Spark's Python workers in local mode, beside the
# plain run, with identical findings required (scripts/bench_spark.py, into bench/spark-results.md;
# e.g. `make bench-spark SPARK_ARGS="--rows 100000 1000000"`). The `spark` extra is pyspark; it needs
# a Java runtime such as Debian's openjdk-17-jre-headless: `make bench` runs it last (at 100,000 and
# 1,000,000 rows) where `java` is on the PATH, and says so where it is not. It has an environment
# of its own: where pyspark is installed, importing pandera.polars imports it too, which adds
# seconds to every `jiutai-data validate`.
SPARK_VENV := .venv-spark

bench-spark:
	@test -x $(SPARK_VENV)/bin/python || $(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet -e '.[spark]'
	$(SPARK_VENV)/bin/python scripts/bench_spark.py $(SPARK_ARGS)

clean:
	rm -rf $(VENV) $(SPARK_VENV) dist .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
