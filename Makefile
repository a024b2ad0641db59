# Everything a fresh machine with Python 3.11 and make needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
MANAGE := DEMO_MODE=1 $(PY) manage.py
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test lint lock messages compilemessages check bench bench-smoke clean

install: $(STAMP) $(NODE_STAMP)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: set PYTHON=python3.x"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --python $(PY) --require-hashes requirements.lock
	mkdir -p -m 700 var
	$(MANAGE) compilemessages_py
	touch $(STAMP)

# axe-core, which the browser tests load from disk to check accessibility: pinned in package.json, locked with its
# integrity hash in package-lock.json. Without npm the browser tests are skipped and say why.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else \
		echo "npm not found: the browser tests (they check pages with axe-core) will be skipped; install npm to run them"; \
	fi

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

# The suite runs on up to TEST_WORKERS processes (pytest-xdist; each has its own test database, live server and
# browser): much of a test's time is spent waiting on PostgreSQL and Chromium. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install
	$(MANAGE) compilemessages_py
	TESTING=1 $(PY) -m pytest -n $(TEST_WORKERS) --maxprocesses 4 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	TESTING=1 $(PY) manage.py check
	TESTING=1 $(PY) manage.py makemigrations --check --dry-run

# Regenerate the hashed lock after changing a pin in pyproject.toml.
lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes --quiet -o requirements.lock

# Extract the strings to translate (needs GNU gettext), then compile them (pure Python, no gettext needed).
messages: install
	$(MANAGE) makemessages -l ky -l ru -l en --no-obsolete --no-location -i ".venv/*" -i "var/*"
	$(MANAGE) compilemessages_py

compilemessages: install
	$(MANAGE) compilemessages_py

# The benchmark suite (docs/PERFORMANCE.md): needs DATABASE_URL pointing to PostgreSQL (the suite uses a database
# `bench`/`bench_smoke` on that server, created and seeded once) and REDIS_URL for B7.
bench: install
	@test -n "$$DATABASE_URL" || { echo "make bench needs DATABASE_URL=postgres://… (PostgreSQL) and REDIS_URL for B7"; exit 2; }
	$(PY) -m bench

# The small run of CI: 1,000 cases, 10,000 persons; prints every line, fails only when a benchmark crashes.
bench-smoke: install
	@test -n "$$DATABASE_URL" || { echo "make bench-smoke needs DATABASE_URL=postgres://… (PostgreSQL) and REDIS_URL for B7"; exit 2; }
	$(PY) -m bench --smoke --report-only

clean:
	rm -rf $(VENV) var/static node_modules
