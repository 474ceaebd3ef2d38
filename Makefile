# jobmatch: `make run` serves the API with demo data, `make test` runs the whole suite. Both set up everything
# they need on a fresh machine (virtualenv, npm packages, Elasticsearch from Maven Central, indices; `make test`
# also Debian's Chromium for the browser tests).

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
ESNODE := $(PYTHON) scripts/esnode.py
PYTEST_ARGS ?=
NPM    ?= npm
# The npm packages (package-lock.json): htmx, vendored into the web app's static files, and axe-core, which the
# browser tests inject. --ignore-scripts: no package gets to run code at install time.
NODE_STAMP := node_modules/.jobmatch-installed
HTMX       := jobmatch/web/static/vendor/htmx.min.js
# Demo registers load into the local node only; against your own cluster (ES_URL) ask for them with DEMO=1.
DEMO ?= $(if $(ES_URL),0,1)

.PHONY: run stop status test lint check-docker venv venv-dev node vendor browser es-start es-stop clean

$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.runtime
venv-dev: $(VENV)/.dev

# `npm ci` empties node_modules first, so the stamp inside it also goes when an install breaks half-way.
$(NODE_STAMP): package.json package-lock.json
	@command -v $(NPM) >/dev/null || { echo "npm is missing: install Node.js (18 or newer) with npm" >&2; exit 1; }
	$(NPM) ci --ignore-scripts --no-audit --no-fund
	@touch $@

# A copy, not a link: the static files must not depend on node_modules at run time (or in an image).
$(HTMX): $(NODE_STAMP)
	@mkdir -p $(@D)
	cp node_modules/htmx.org/dist/htmx.min.js $@

node: $(NODE_STAMP)
vendor: $(HTMX)

## browser: Debian's Chromium at /usr/bin/chromium for the browser tests (apt-get; a no-op when present)
browser:
	@scripts/ensure_browser.sh

## run: start Elasticsearch (unless ES_URL is set), create/upgrade indices, serve the API on 127.0.0.1:8000
run: venv vendor
	$(ESNODE) start
	$(FLASK) jobmatch indices upgrade
	$(FLASK) jobmatch check
	$(FLASK) jobmatch ensure-token-file var/dev-admin-token
	@if [ "$(DEMO)" = "1" ]; then $(FLASK) jobmatch demo && $(FLASK) jobmatch report --demo-span --only-missing && $(FLASK) jobmatch users ensure-demo var/demo-logins; else echo "demo data skipped (DEMO=$(DEMO))"; fi
	$(PY) scripts/apiserver.py start
	@echo "Web: http://127.0.0.1:8000/  demo logins (one per role, mode 0600): var/demo-logins"
	@if [ -f var/demo-logins ]; then cat var/demo-logins; fi
	@echo "API: http://127.0.0.1:8000/docs  admin token: var/dev-admin-token  stop: make stop"

## stop: stop exactly what `make run` started (by pid file)
stop:
	@if [ -x $(PY) ]; then $(PY) scripts/apiserver.py stop; fi
	$(ESNODE) stop

status:
	-$(PY) scripts/apiserver.py status
	-$(ESNODE) status

## test: the whole suite against a real Elasticsearch node (started for the run when none is running),
## browser tests (tests/browser/) included
test: venv-dev vendor node browser
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
