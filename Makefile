# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.minwatch-installed

.PHONY: demo test lint system-deps bench clean

# Every dependency is pinned by hash in requirements.lock (regenerate with `make lock`).
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Exit 3 is a partial night: the sample site fails in places on purpose (a missing page, a
# truncated one), and the demo shows how those are recorded. Any other non-zero status fails.
demo: $(STAMP)
	$(BIN)/minwatch run --demo || [ $$? -eq 3 ]

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The report's test renders it in Debian's Chromium (root installs it; others are told how).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "install Chromium first: sudo apt-get install -y chromium" >&2; exit 1; fi; }

# The DuckLake tests start a throwaway PostgreSQL server from Debian's binaries (tests/postgres_server.py).
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
		else echo "install PostgreSQL first: sudo apt-get install -y postgresql" >&2; exit 1; fi; }

test: lint system-deps
	$(BIN)/pytest

lock:
	$(PYTHON) -m pip install --quiet uv && $(PYTHON) -m uv pip compile pyproject.toml --extra dev \
		--generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) data
