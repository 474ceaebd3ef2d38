# jobmatch: `make run` serves the API with demo data, `make test` runs the whole suite. Both set up everything
# they need on a fresh machine (virtualenv, Elasticsearch from Maven Central, indices).

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
ESNODE := $(PYTHON) scripts/esnode.py
PYTEST_ARGS ?=
# Demo registers load into the local node only; against your own cluster (ES_URL) ask for them with DEMO=1.
DEMO ?= $(if $(ES_URL),0,1)

.PHONY: run stop status test lint check-docker venv venv-dev es-start es-stop clean

$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.runtime
venv-dev: $(VENV)/.dev

## run: start Elasticsearch (unless ES_URL is set), create/upgrade indices, serve the API on 127.0.0.1:8000
run: venv
	$(ESNODE) start
	$(FLASK) jobmatch indices upgrade
	$(FLASK) jobmatch check
	$(FLASK) jobmatch ensure-token-file var/dev-admin-token
	@if [ "$(DEMO)" = "1" ]; then $(FLASK) jobmatch demo && $(FLASK) jobmatch report --demo-span --only-missing; else echo "demo data skipped (DEMO=$(DEMO))"; fi
	$(PY) scripts/apiserver.py start
	@echo "API: http://127.0.0.1:8000/docs  admin token: var/dev-admin-token  stop: make stop"

## stop: stop exactly what `make run` started (by pid file)
stop:
	@if [ -x $(PY) ]; then $(PY) scripts/apiserver.py stop; fi
	$(ESNODE) stop

status:
	-$(PY) scripts/apiserver.py status
	-$(ESNODE) status

## test: the whole suite against a real Elasticsearch node (started for the run when none is running)
test: venv-dev
	$(ESNODE) with-node -- $(PY) -m pytest $(PYTEST_ARGS)

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/hadolint Dockerfile

es-start:
	$(ESNODE) start

es-stop:
	$(ESNODE) stop

clean: stop
	rm -rf var/elasticsearch var/run var/log
