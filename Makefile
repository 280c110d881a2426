# Everything a fresh machine needs, from nothing but Python 3.10+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Rebuilt when the dependencies change.
READY  := $(VENV)/.ready
INDEX  ?= index

.PHONY: install run index test lint bench clean

install: $(READY)

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

index: $(READY)
	$(BIN)/kiosque build data/sample --index $(INDEX)

# Until the web front end lands, the demo is a few searches from the terminal.
run: index
	@for query in "Sergueï Lavrov" "securite" "Moyen-Orient" "tramway Casablanca"; do \
		$(BIN)/kiosque search "$$query" --index $(INDEX) --limit 3; echo; \
	done

test: lint
	$(BIN)/python -m pytest -q

lint: $(READY)
	$(BIN)/ruff check search web tests bench
	$(BIN)/ruff format --check search web tests bench
	$(BIN)/mypy

bench: $(READY)
	$(BIN)/python bench/index_speed.py

clean:
	rm -rf $(VENV) build *.egg-info test-output
	find $(INDEX) -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
