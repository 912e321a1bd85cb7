# The two commands of the README: `make run` and `make test`. Everything else is set-up they call.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PG_URL  ?= postgres://postgres@127.0.0.1:5432/bangfu

.PHONY: run test setup lint chromium test-sqlite test-postgres bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/bangfu run

lint: $(STAMP)
	$(BIN)/ruff check bangfu tests benchmarks
	$(BIN)/lint-imports

chromium:
	bash scripts/ensure-chromium

# The whole suite, browser journeys included, on the embedded SQLite and on PostgreSQL.
test-sqlite: $(STAMP) chromium
	$(BIN)/python -m pytest -n 2

test-postgres: $(STAMP) chromium
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n 2

test: lint test-sqlite test-postgres

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/registry.py
	$(BIN)/python benchmarks/settlement.py

clean:
	rm -rf $(VENV) var
