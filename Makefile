# Two commands: `make run` and `make test`. Everything else they need, they install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEV_ENV := DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_WORKERS ?= auto

.PHONY: run test install translations messages lint format check bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# The Spanish interface: .po files compiled by pure Python (no GNU gettext needed), each time.
translations: $(STAMP)
	@$(BIN)/python -c 'from pathlib import Path; from studyapp import po; [po.compile_file(p) for p in Path("locale").glob("*/LC_MESSAGES/*.po")]'

install: $(STAMP) translations

run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_content
	@echo "Demo users (development only):"
	@$(DEV_ENV) $(BIN)/python manage.py create_demo_users
	@echo "Serving on http://$(HOST):$(PORT)/ with a background worker (Ctrl+C stops both)"
	@$(DEV_ENV) $(BIN)/python manage.py db_worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# One worker per CPU, a test file per worker at a time (its fixtures and browser stay together):
# the suite takes about half the time on two cores. TEST_WORKERS=0 runs it in one process.
test: install
	$(DEV_ENV) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# After changing interface strings: update the .po files (needs GNU gettext), then translate them.
messages: install
	$(DEV_ENV) $(BIN)/python manage.py update_messages

check: install
	$(DEV_ENV) $(BIN)/python manage.py check_content

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .import_linter_cache
