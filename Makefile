# Two commands on a fresh machine: `make demo` and `make test`. Each makes its own virtual environment.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export GOLDTHREAD_DATA_DIR ?= $(CURDIR)/data
# Where a test run keeps its files; two runs side by side (SQLite and PostgreSQL in CI) each get their own.
TEST_DATA_DIR ?= $(CURDIR)/data/test

.PHONY: demo test check pytest screenshots benchmark benchmark-lessons benchmark-measures benchmark-evaluation benchmark-load benchmark-write-floor docs clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/goldthread demo

test: check pytest

check: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

pytest: $(BIN)/.installed
	scripts/require-chromium
	GOLDTHREAD_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/python -m pytest $(PYTEST_ARGS)

# The README's pictures, taken by the browser test that walks the demo data and scans every page it pictures.
screenshots: $(BIN)/.installed
	scripts/require-chromium
	GOLDTHREAD_DATA_DIR=$(TEST_DATA_DIR) GOLDTHREAD_SCREENSHOTS=$(CURDIR)/docs/screenshots \
		$(BIN)/python -m pytest tests/test_screenshots.py $(PYTEST_ARGS)

benchmark: $(BIN)/.installed
	GOLDTHREAD_DATA_DIR=$(CURDIR)/data/benchmark $(BIN)/python benchmarks/run.py $(BENCH_ARGS)

benchmark-lessons: $(BIN)/.installed
	GOLDTHREAD_DATA_DIR=$(CURDIR)/data/benchmark-lessons $(BIN)/python benchmarks/lessons.py $(BENCH_ARGS)

benchmark-measures: $(BIN)/.installed
	GOLDTHREAD_DATA_DIR=$(CURDIR)/data/benchmark $(BIN)/python benchmarks/measures.py $(BENCH_ARGS)

benchmark-evaluation: $(BIN)/.installed
	GOLDTHREAD_DATA_DIR=$(CURDIR)/data/benchmark $(BIN)/python benchmarks/evaluation.py $(BENCH_ARGS)

# The least time the database takes to write the rows of `make benchmark`'s data set: the floor of generating it.
benchmark-write-floor: $(BIN)/.installed
	GOLDTHREAD_DATA_DIR=$(CURDIR)/data/benchmark $(BIN)/python benchmarks/write_floor.py $(BENCH_ARGS)

# Two app processes on PostgreSQL (GOLDTHREAD_DATABASE_URL, default database gt_load) under simulated users.
benchmark-load: $(BIN)/.installed
	GOLDTHREAD_DATA_DIR=$(CURDIR)/data/benchmark $(BIN)/python benchmarks/load.py $(BENCH_ARGS)

docs: $(BIN)/.installed
	$(BIN)/python -m typer goldthread.cli utils docs --name goldthread > docs/cli.md

clean:
	rm -rf $(VENV) data .pytest_cache .hypothesis
