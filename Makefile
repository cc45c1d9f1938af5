# Kaiban: `make run` serves on SQLite with mock WeChat; `make test` runs the whole suite. See README.md.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8080
BASE_URL ?= http://127.0.0.1:$(PORT)
SCENARIO ?= sole_founder
TEST_TIMEOUT ?= 900

.PHONY: setup migrate run test demo clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

migrate: setup
	$(PY) -m backend migrate

run: migrate
	PORT=$(PORT) $(PY) -m backend serve

test: setup
	timeout $(TEST_TIMEOUT) $(PY) -m pytest -q

demo: setup
	PYTHONPATH=miniprogram-mock $(PY) -m kaiban_mock --base-url $(BASE_URL) --scenario $(SCENARIO)

clean:
	rm -rf $(VENV) var .pytest_cache
