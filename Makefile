# Mutuelle: `make run` serves the demo, `make test` runs the suite. Both install what is missing.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: fonts that shape Arabic in PDFs, Pango for WeasyPrint, Chromium for browser tests.
SYSTEM_PACKAGES := fonts-noto-core fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 chromium gettext poppler-utils
HOST ?= 127.0.0.1
PORT ?= 8000
ONLY ?=
PYTEST_ARGS ?=

.PHONY: install run test lint format bench demo worker messages clean

install: $(VENV)/.installed .sysdeps-installed static/vendor/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# A stamp outside git: installed once per machine, re-checked when the list above changes.
.sysdeps-installed: Makefile
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

static/vendor/.installed: node_modules/.installed
	mkdir -p static/vendor
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.rtl.min.css \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/htmx.org/dist/htmx.min.js \
	   node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css static/vendor/
	touch $@

messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

# The worker runs the jobs the pages queue (bulk adjudication, payment runs, notifications) beside
# the web server; when the server stops (Ctrl-C), the trap stops the worker, which ends its chunk.
run: install messages
	DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	DEBUG=1 $(PY) manage.py demo
	DEBUG=1 $(PY) manage.py worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

demo: install
	DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	DEBUG=1 $(PY) manage.py demo

worker: install
	DEBUG=1 $(PY) manage.py worker

test: install messages
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m bench $(if $(ONLY),--only $(ONLY))

clean:
	rm -rf $(VENV) node_modules static/vendor .sysdeps-installed
