# The two commands: `make run` (crawl the bundled fixture mirror) and `make test`.
# Everything is installed from requirements.lock (every package pinned, with hashes);
# pyproject.toml declares the direct dependencies, `make lock` turns them into the lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
# uv resolves the lock; it is installed into the venv only when `make lock` runs.
UV_VERSION := 0.13.8

# The build backend's own requirements (pyproject.toml [build-system]), one a line: locked too, since the
# project is installed without build isolation.
define BUILD_REQUIRES
import tomllib
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))
endef
export BUILD_REQUIRES

.PHONY: run test test-fast lint bench install lock clean fixtures

$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

## make run: serve the fixture mirror on loopback, crawl every site through it into data/
## (items in data/runs/<run>/items.jsonl; data/runs/latest is the newest run)
run: $(STAMP)
	$(BIN)/python -m crawler.mirror run -- $(BIN)/scrapy crawlall

## make test: every test, offline (CI runs this after `make lint`)
test: $(STAMP)
	$(BIN)/python -m pytest -q

## make test-fast: every test but those marked slow (servers, browsers, bench), for development
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

## make lint: ruff with the configuration in pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check .

## make bench: synthetic mirror, crawl/replay/memory/parser measurements; prints a table, writes data/bench.json
## (make bench BENCH_ARGS=--quick: the same at small sizes, well under a minute)
bench: $(STAMP)
	$(BIN)/python -m crawler.bench $(BENCH_ARGS)

## make lock: resolve pyproject.toml (all extras and the build requirements) into requirements.lock.
## Upgrade one dependency: change its pin in pyproject.toml, then `make lock`.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/python -c "$$BUILD_REQUIRES" | $(BIN)/uv pip compile pyproject.toml - \
		--all-extras --generate-hashes --universal --python-version 3.11 --quiet -o $(LOCK)

clean:
	rm -rf data .pytest_cache .hypothesis

## make fixtures: re-run every fixture page through its parser and rewrite the expected JSON beside it,
## printing each field that changed (review that diff before committing it: docs/fixtures.md)
fixtures: $(STAMP)
	$(BIN)/python -m tests.generate_fixtures
