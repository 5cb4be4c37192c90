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
	$(BIN)/python manage.py rebuild_figures
	$(BIN)/python manage.py setup_portal

# supervisord (supervisord.dev.conf) runs web, worker and beat in the foreground and starts a
# process again when it dies; Ctrl-C stops all. The worker reaches the simulated Fachverfahren
# and writes e-mail links through the web server, so all must agree on the port. Unlike
# honcho, supervisord reads no .env (docker compose's production settings) on its own.
WEB_PORT := $(or $(PORT),8000)
run: setup
	PORT=$(WEB_PORT) \
	DIGITALMARKT_VAR_DIR=$${DIGITALMARKT_VAR_DIR:-$(CURDIR)/var} \
	ROLLIN_SIMULATOR_BASE_URL=$${ROLLIN_SIMULATOR_BASE_URL:-http://127.0.0.1:$(WEB_PORT)/rollin/simulator} \
	DIGITALMARKT_BASE_URL=$${DIGITALMARKT_BASE_URL:-http://127.0.0.1:$(WEB_PORT)} \
	$(BIN)/supervisord -c supervisord.dev.conf

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
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
	$(BIN)/python manage.py bench --sizes $${BENCH_SIZES:-50000,500000}

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

# KERN design system (EUPL-1.2), vendored so the running portal needs neither Node nor a CDN.
# `make vendor` fetches exactly KERN_VERSION with npm pack and copies the built CSS, the fonts the
# CSS references and the licence into static/vendor/kern/; bump the version here, run it, look.
KERN_VERSION := 2.7.2
KERN_DIR := static/vendor/kern
.PHONY: vendor
vendor:
	rm -rf var/kern-pack && mkdir -p var/kern-pack
	cd var/kern-pack && npm pack --silent @kern-ux/native@$(KERN_VERSION)
	tar -xzf var/kern-pack/kern-ux-native-$(KERN_VERSION).tgz -C var/kern-pack
	rm -rf $(KERN_DIR) && mkdir -p $(KERN_DIR)/fonts/fira-sans
	cp var/kern-pack/package/dist/kern.min.css var/kern-pack/package/dist/kern-utilities.min.css \
	  var/kern-pack/package/LICENSE.md $(KERN_DIR)/
	cp var/kern-pack/package/dist/fonts/fira-sans.css $(KERN_DIR)/fonts/
	for f in $$(grep -o 'FiraSans-[A-Za-z]*\.woff2' $(KERN_DIR)/fonts/fira-sans.css); do \
	  cp var/kern-pack/package/dist/fonts/fira-sans/$$f $(KERN_DIR)/fonts/fira-sans/; done
	echo "@kern-ux/native $(KERN_VERSION)" > $(KERN_DIR)/VERSION
	rm -rf var/kern-pack

# A full-page PNG of every page of every demo role (German and English, 1366 and 390 px wide)
# and a contact sheet, var/screenshots/index.html: look at them before calling a page done.
.PHONY: screenshots
screenshots: setup
	$(BIN)/python manage.py screenshots
