# Everything a fresh machine needs, from nothing but Python 3.10+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Rebuilt when the dependencies change.
READY  := $(VENV)/.ready
INDEX  ?= index

# axe-core, the accessibility checker the browser tests inject into the pages
# (its version is pinned in package-lock.json; node_modules/ is not committed).
AXE    := node_modules/axe-core/axe.min.js

.PHONY: install run index test lint chromium wrk bench clean

install: $(READY)

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

index: $(READY)
	$(BIN)/kiosque build data/sample --index $(INDEX)

# The demo: the sample articles served on http://127.0.0.1:8000 (Ctrl-C stops it).
run: index
	$(BIN)/kiosque serve --index $(INDEX) --host 127.0.0.1 --port 8000

test: lint chromium $(AXE)
	$(BIN)/python -m pytest -q

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The browser tests drive Debian's Chromium (Playwright's own download is not used).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

# The load benchmark drives the server with wrk, compiled code that leaves the CPU to the server.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for bench/load.py"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

lint: $(READY)
	$(BIN)/ruff check search web tests bench
	$(BIN)/ruff format --check search web tests bench
	$(BIN)/mypy

# The benchmarks on the team's shared corpus, when it is beside the checkout (several
# minutes: query_speed grows it to 100,000 articles). Each takes --corpus DIR otherwise.
bench: $(READY) wrk
	$(BIN)/python bench/index_speed.py
	$(BIN)/python bench/relevance.py
	$(BIN)/python bench/query_speed.py

clean:
	rm -rf $(VENV) build *.egg-info test-output node_modules
	find $(INDEX) -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
