# rasd — all set-up happens here: `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
RASD := $(VENV)/bin/rasd
SHARED ?= ../shared
OUT ?= out

.PHONY: install run test lint eval gazetteer gazetteer-report schema corpus bench bench-api map web-assets serve clean

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
	@$(MAKE) --no-print-directory serve

# The analyst's web page and API on http://$(HOST):$(PORT) with the same documents loaded (Ctrl-C stops it).
HOST ?= 127.0.0.1
PORT ?= 8000
serve: install
	@if [ -f $(SHARED)/examples/idlib-2020.txt ]; then \
		$(RASD) serve --host $(HOST) --port $(PORT) --load $(OUT)/example.jsonl --load $(OUT)/dev.jsonl ; \
	else \
		$(RASD) serve --host $(HOST) --port $(PORT) --load $(OUT)/samples.jsonl ; \
	fi

test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check src tests scripts

eval: install
	$(RASD) eval $(SHARED)/data/dev/gold.jsonl

gazetteer: install
	$(PY) scripts/build_gazetteer.py

gazetteer-report: install
	$(PY) scripts/gazetteer_report.py $(SHARED)/data/corpus/arabic-news-2013.jsonl.gz

# Both shared corpora (61k articles) into one DuckDB store, with clusters; see docs/scaling.md.
corpus: install
	$(RASD) batch $(SHARED)/data/corpus/*.jsonl.gz --db corpus.duckdb --jobs 2 --report corpus-report.json

bench: install
	$(PY) scripts/bench.py $(SHARED)/data/corpus/arabic-news-2013.jsonl.gz --stages

bench-api: install
	$(PY) scripts/bench_api.py

map: install
	$(PY) scripts/build_map.py

# Front-end assets (Swagger UI for /docs) come from the npm registry; the built files are committed.
web-assets:
	cd web && npm ci && npm run build

schema: install
	$(PY) scripts/build_schema.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
