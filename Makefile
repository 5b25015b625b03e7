# Distillation Radar: `make run` serves the dashboard, `make test` runs every test, `make check` adds linters.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test check setup system-deps demo clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@echo "==> creating the virtual environment in $(VENV) and installing requirements.txt"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

system-deps:
	@bash scripts/system-deps.sh

demo: setup
	@if [ -z "$$RADAR_WAREHOUSE_URL" ] && [ ! -f "$${RADAR_DATA_DIR:-data}/radar.duckdb" ]; then \
		echo "==> no warehouse configured: simulating a demo drop, ingesting and scoring it (about a minute)"; \
		$(PY) -m radar demo; \
	else echo "==> using the configured warehouse ($${RADAR_WAREHOUSE_URL:-data/radar.duckdb})"; fi

run: setup demo
	@BIND="$$($(PY) -c 'from radar.config import load_settings; print(load_settings().bind_address)')"; \
	echo "==> serving the dashboard on http://$$BIND:$(PORT) (RADAR_BIND_ADDRESS)"; \
	$(PY) -m streamlit run app.py --server.headless true --server.address "$$BIND" --server.port $(PORT) --browser.gatherUsageStats false

test: setup system-deps
	@echo "==> running the test suite (DuckDB, PostgreSQL, AppTest and Chromium tests)"
	@$(PY) -m pytest

check: setup
	@echo "==> ruff, ruff format --check, mypy"
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check .
	@$(PY) -m mypy app.py app_state radar queries components pages pagebench

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .mypy_cache .ruff_cache
