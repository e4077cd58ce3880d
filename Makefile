# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := sqlite:///factionmap-demo.db
# Browser libraries of the web workbench, pinned in package-lock.json: npm fetches them at
# build time and they ship inside the package (package data), never committed to the repo.
VENDOR := src/factionmap/web/static/vendor

.PHONY: demo test install vendor lint typecheck clean chromium postgresql

define bundle_vendor
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)
	cp node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/
	cp node_modules/layout-base/layout-base.js node_modules/cose-base/cose-base.js \
		node_modules/cytoscape-fcose/cytoscape-fcose.js $(VENDOR)/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/
	for p in cytoscape layout-base cose-base cytoscape-fcose swagger-ui-dist; do \
		cp node_modules/$$p/LICENSE $(VENDOR)/$$p.LICENSE; done
	cp node_modules/swagger-ui-dist/NOTICE $(VENDOR)/swagger-ui-dist.NOTICE
endef

$(STAMP): pyproject.toml constraints.txt package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,ray,minilm]"
	$(bundle_vendor)
	touch $(STAMP)

install: $(STAMP)

# Re-bundle the browser libraries alone (after editing package.json / package-lock.json).
vendor:
	$(bundle_vendor)

demo: $(STAMP)
	rm -f factionmap-demo.db
	$(BIN)/factionmap --db $(DEMO_DB) ingest src/factionmap/data/demo
	$(BIN)/factionmap --db $(DEMO_DB) map

test: $(STAMP) chromium postgresql
	$(BIN)/python -m pytest -q

# Browser tests drive Debian's chromium; install it when missing (needs root, as on CI).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "chromium missing and not root: browser tests will be skipped"; fi; }

# Store tests also run on a throwaway PostgreSQL server (tests/pgserver.py starts it in a temp
# folder); install Debian's server package when missing (needs root, as on CI).
postgresql:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
		else echo "postgresql missing and not root: PostgreSQL store tests will be skipped"; fi; }

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) factionmap-demo.db node_modules $(VENDOR)
