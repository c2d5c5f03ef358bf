# rasd — all set-up happens here: `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
RASD := $(VENV)/bin/rasd
SHARED ?= ../shared
OUT ?= out

.PHONY: install run test lint eval gazetteer schema clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

# Extract the example and the dev articles from ../shared (or our own sample reports), then summarise.
run: install
	@mkdir -p $(OUT)
	@if [ -f $(SHARED)/examples/idlib-2020.txt ]; then \
		$(RASD) extract $(SHARED)/examples/idlib-2020.txt --published 2020-01-16 -o $(OUT)/example.jsonl && \
		$(RASD) extract $(SHARED)/data/dev/articles.jsonl -o $(OUT)/dev.jsonl && \
		$(RASD) summary $(OUT)/example.jsonl --articles 1 && \
		$(RASD) summary $(OUT)/dev.jsonl --articles 3 ; \
	else \
		echo "../shared not found: running on the project's own sample reports"; \
		$(RASD) extract samples/reports.jsonl -o $(OUT)/samples.jsonl && \
		$(RASD) summary $(OUT)/samples.jsonl --articles 3 ; \
	fi

test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check src tests scripts

eval: install
	$(RASD) eval $(SHARED)/data/dev/gold.jsonl

gazetteer: install
	$(PY) scripts/build_gazetteer.py

schema: install
	$(PY) scripts/build_schema.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
