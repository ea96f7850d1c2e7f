# Everything starts from a fresh machine with only python3: the first target that
# needs the virtual environment creates it and installs the pinned dependencies.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check bench bench-serve clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[site,test]'
	touch $@

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000 --livereload

build: $(STAMP)
	$(BIN)/mkdocs build --strict

test: $(STAMP)
	$(BIN)/python tests/browser_setup.py
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/commentary check

# Benchmarks (not part of `make test`): N from BENCH_N (default 1000); see bench/README.md.
bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-serve: $(STAMP)
	$(BIN)/python bench/serve_bench.py

clean:
	rm -rf site .pytest_cache
