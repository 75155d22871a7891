# Two everyday commands: `make run` (the app on demo data) and `make test` (the suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
STORE ?= $(or $(CONFIANCE_STORE),data/confiance.duckdb)

.PHONY: run test lint install install-dev browser demo bench clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	# make `import analysis` work from anywhere (streamlit pages, scripts, benchmarks)
	$(PY) -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'confiance.pth').write_text('$(CURDIR)\n')"
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

browser:
	@scripts/ensure-browser.sh

demo: install
	$(PY) -m analysis demo --store $(STORE) --if-missing

run: install demo
	-@scripts/ensure-browser.sh
	CONFIANCE_STORE=$(STORE) $(PY) -m dashboard.serve \
		--server.address 127.0.0.1 --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: install-dev
	-@scripts/ensure-browser.sh
	-@scripts/ensure-office.sh
	-@scripts/ensure-postgres.sh
	$(PY) -m pytest

lint: install-dev
	$(VENV)/bin/ruff check analysis dashboard tests benchmarks scripts
	$(VENV)/bin/ruff format --check analysis dashboard tests benchmarks scripts
	$(VENV)/bin/mypy

bench: install-dev
	for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
