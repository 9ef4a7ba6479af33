# The two commands: `make run` (crawl the bundled fixture mirror) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## make run: serve the fixture mirror on loopback, crawl every site through it into data/
run: $(STAMP)
	$(BIN)/python -m crawler.mirror run -- $(BIN)/scrapy crawlall -O data/items.jsonl

## make test: every test, offline
test: $(STAMP)
	$(BIN)/python -m pytest -q

## make bench: synthetic mirror, crawl/replay/memory/parser measurements; prints a table, writes data/bench.json
## (make bench BENCH_ARGS=--quick: the same at small sizes, well under a minute)
bench: $(STAMP)
	$(BIN)/python -m crawler.bench $(BENCH_ARGS)

clean:
	rm -rf data .pytest_cache .hypothesis
