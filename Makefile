# Tierplan: `make run` serves the app on a fresh machine, `make test` runs every check.
# Both install what is missing first (`make setup`), and setup is safe to run again.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-packages venv frontend run serve test lint typecheck vitest pytest lock clean

setup: system-packages venv frontend

# Debian packages the engines and tests need (Graphviz, Redis, Chromium for the browser tests, Go and a
# JDK to compile the exported starter functions); only missing ones are installed.
system-packages:
	@missing=""; \
	command -v dot >/dev/null 2>&1 || missing="$$missing graphviz"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v redis-cli >/dev/null 2>&1 || missing="$$missing redis-tools"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v go >/dev/null 2>&1 || missing="$$missing golang-go"; \
	command -v javac >/dev/null 2>&1 || missing="$$missing default-jdk-headless"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt -c requirements.lock
	@touch $(STAMP)

# The design studio (React + @xyflow/react, built with Vite): `npm ci` when the lockfile changed or
# node_modules is missing, a build when a source changed. Output: static/studio/dist/ (not committed).
FRONTEND := frontend
FRONTEND_STAMP := $(FRONTEND)/node_modules/.installed
FRONTEND_BUNDLE := static/studio/dist/editor.js
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src -type f 2>/dev/null) $(FRONTEND)/vite.config.js $(FRONTEND)/tsconfig.json

frontend: $(FRONTEND_BUNDLE)

$(FRONTEND_STAMP): $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Node.js 20.19+ with npm is needed to build the design studio (frontend/)"; exit 1; }
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	@touch $@

$(FRONTEND_BUNDLE): $(FRONTEND_STAMP) $(FRONTEND_SOURCES)
	cd $(FRONTEND) && npm run build
	@touch $@

run: setup
	@scripts/run.sh

# The production profile on this machine: collect static files, migrate, and serve HTTP and the live
# sessions' WebSockets with uvicorn (ASGI), one process per WEB_CONCURRENCY under its supervisor, which
# restarts a process that dies. Workers and the beat scheduler run separately (see Procfile and README
# "Running on several machines").
UVICORN_SERVE := designer.asgi:application --lifespan off --ws websockets-sansio --ws-max-size 1048576 \
	--proxy-headers --forwarded-allow-ips='*'
serve: setup
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/uvicorn $(UVICORN_SERVE) --host $${HOST:-0.0.0.0} --port $${PORT:-8000} --workers $${WEB_CONCURRENCY:-3}

lint: venv $(FRONTEND_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd $(FRONTEND) && npm run --silent lint
	cd $(FRONTEND) && npm run --silent typecheck

typecheck: venv
	$(BIN)/mypy

pytest: setup
	$(BIN)/python -m pytest

# Unit tests of the studio's pure modules and hooks (Vitest).
vitest: $(FRONTEND_STAMP)
	cd $(FRONTEND) && npm test --silent

test: setup lint typecheck vitest pytest

# Re-resolve the pinned set after changing requirements*.txt.
lock:
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	{ echo "# Resolved versions of every package (pip constraints). Regenerate: make lock"; $(BIN)/pip freeze --exclude-editable; } > requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache $(FRONTEND)/node_modules static/studio/dist
