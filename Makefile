# DigitalMarkt. `make run` and `make test` work on a fresh clone with only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format install setup messages bench bench-worker kill-loop clean lock

# The venv is rebuilt only when a lock file changes, so re-running is fast. A checkout gets the
# development lock: the runtime lock plus the tools (tests, lint, make run's process manager);
# the production image installs requirements.lock alone (see Dockerfile).
$(STAMP): requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

# Migrate, import the reference data, load catalog and demo; each step leaves existing data alone.
setup: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_portal

# honcho hands the web process port 5000 unless PORT is set, and the worker reaches the
# simulated Fachverfahren and writes e-mail links through the web server: all must agree.
# `-e /dev/null`: .env holds docker compose's production settings, not those of `make run`.
WEB_PORT := $(or $(PORT),8000)
run: setup
	PORT=$(WEB_PORT) \
	ROLLIN_SIMULATOR_BASE_URL=$${ROLLIN_SIMULATOR_BASE_URL:-http://127.0.0.1:$(WEB_PORT)/rollin/simulator} \
	DIGITALMARKT_BASE_URL=$${DIGITALMARKT_BASE_URL:-http://127.0.0.1:$(WEB_PORT)} \
	$(BIN)/honcho -e /dev/null -f Procfile.dev start

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract and compile the UI strings (needs GNU gettext). The msgids are German, so only
# English needs a catalogue; tests are left out so fixtures do not end up in it.
messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: install
	$(BIN)/python manage.py bench

bench-worker: install
	$(BIN)/python manage.py bench_worker

# The SIGKILL test 20 times in a row (needs DATABASE_URL and CELERY_BROKER_URL: a missing
# service fails instead of skipping, so a "pass" is always a real one).
kill-loop: install
	for i in $$(seq 1 20); do \
	  DIGITALMARKT_REQUIRE_SERVICES=1 $(BIN)/python -m pytest -q -p no:randomly \
	    tests/rollin/test_worker.py -k killed_worker_loses_nothing || exit 1; \
	  echo "kill loop: run $$i of 20 passed"; \
	done

clean:
	rm -rf var/celery var/cache

# Re-pin both locks after editing pyproject.toml's dependencies. Existing pins are kept unless a
# requirement forces a change; the development lock is constrained by the runtime one, so both
# agree on every package they share.
lock: install
	$(BIN)/pip-compile --quiet --no-emit-index-url --no-emit-find-links --strip-extras \
	  --output-file=requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --no-emit-index-url --no-emit-find-links --strip-extras \
	  --extra=dev --constraint=requirements.lock --output-file=requirements-dev.lock pyproject.toml
