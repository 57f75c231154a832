# The two commands of the README: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install lint bench clean models crossval

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "pannes needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/pannes demo

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	bash .ci/lint-imports

# The learned decisions (nlp/models/) from the real annotated sets in ../shared and the
# project's own invented sets; `make crossval` gives the README's cross-validated figures.
SHARED  ?= ../shared
INVENTED := $(SHARED)/seeds/gold.jsonl tests/fixtures/nlp/probe.jsonl tests/fixtures/nlp/probe2.jsonl \
	tests/fixtures/nlp/probe3.jsonl demo/corpus/articles.jsonl
models: $(STAMP)
	$(BIN)/pannes train $(SHARED)/eval/train.jsonl $(SHARED)/eval/dev.jsonl --train-also $(INVENTED) \
		--vendors demo/vendors.jsonl --out nlp/models

crossval: $(STAMP)
	$(BIN)/pannes eval $(SHARED)/eval/train.jsonl $(SHARED)/eval/dev.jsonl --cv 5 --draws 4 \
		--train-also $(INVENTED) --vendors demo/vendors.jsonl

# Benchmarks run on demand and write bench/results/; the 1M-article search run takes hours.
bench: $(STAMP)
	$(BIN)/python -m bench.bench_crawl
	$(BIN)/python -m bench.bench_tagger
	$(BIN)/python -m bench.bench_search --sizes 100000
	$(BIN)/python -m bench.bench_grouping --size 100000

soak: $(STAMP)
	$(BIN)/python -m bench.soak --minutes 10

clean:
	rm -rf $(VENV) .pytest_cache artifacts
