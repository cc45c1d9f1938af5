# Kaiban: `make run` serves on SQLite with mock WeChat; `make test` runs the whole suite. See README.md.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8080
BASE_URL ?= http://127.0.0.1:$(PORT)
SCENARIO ?= sole_founder
TEST_TIMEOUT ?= 900
TEST_WORKERS ?= 2

.PHONY: setup migrate run test lint audit crash demo load bench bench-full bench-setup clean

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
	timeout $(TEST_TIMEOUT) $(PY) -m pytest -q -n $(TEST_WORKERS)

# Security lint (ruff's flake8-bandit rules) of the service and the simulator, and the Dockerfile's lint (hadolint).
lint: setup
	$(VENV)/bin/ruff check --select S --output-format concise backend migrations miniprogram-mock
	$(VENV)/bin/hadolint Dockerfile

# Known vulnerabilities of the installed dependencies; needs a machine that reaches an advisory service (not in CI).
audit: setup
	$(PY) -m pip install --quiet -e '.[audit]'
	$(VENV)/bin/pip-audit --strict --skip-editable

demo: setup
	PYTHONPATH=miniprogram-mock $(PY) -m kaiban_mock --base-url $(BASE_URL) --scenario $(SCENARIO)

# Load mode: APPLICANTS simulated applicants forming companies for SECONDS, every licence verified at the end.
APPLICANTS ?= 20
LOAD_SECONDS ?= 30
load: setup
	PYTHONPATH=miniprogram-mock $(PY) -m kaiban_mock.load --base-url $(BASE_URL) --applicants $(APPLICANTS) --seconds $(LOAD_SECONDS)

# Crash safety, the long run: the server SIGKILLed every 5-15 s while CRASH_APPLICANTS form companies for CRASH_SECONDS
# on a fresh PostgreSQL database; checks nothing acknowledged is lost, no USCC twice, ledger audit, every licence.
CRASH_SECONDS ?= 300
CRASH_APPLICANTS ?= 6
crash: setup
	$(PY) -m tests.e2e.crash --postgres $(BENCH_POSTGRES_URL) --seconds $(CRASH_SECONDS) --applicants $(CRASH_APPLICANTS)

# Benchmarks (never part of `make test`): each writes bench/results/<area>.md, then docs/BENCHMARKS.md.
# `make bench` is the quick profile (under 15 minutes on the 2-core machine: fixed windows, fixtures cached under
# var/bench: 12 min 40 s); `make bench-full` adds the OCR benchmark and runs longer windows (21 min 15 s).
BENCH_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# The quick profile's windows; bench-full runs the same steps with longer ones and OCR.
BENCH_SECONDS ?= 10
BENCH_DOCUMENT_ROUNDS ?= 30
BENCH_PROFILE ?= --seconds 12 --rounds 2
BENCH_OCR ?=
bench: bench-setup
	$(PY) -m bench.ledger_bench --seconds 60 --proof-size 1000000 --postgres $(BENCH_POSTGRES_URL)
	$(PY) bench/names_bench.py
	$(PY) bench/scope_bench.py
	$(if $(BENCH_OCR),$(PY) bench/ocr_bench.py)
	$(PY) -m bench.verify_bench --seconds $(BENCH_SECONDS) --postgres $(BENCH_POSTGRES_URL)
	$(PY) -m bench.formation_bench --seconds $(BENCH_SECONDS) --postgres $(BENCH_POSTGRES_URL)
	$(PY) -m bench.documents_bench --rounds $(BENCH_DOCUMENT_ROUNDS)
	$(PY) -m bench.profile_bench $(BENCH_PROFILE) --postgres $(BENCH_POSTGRES_URL)
	$(PY) -m bench.report

bench-full:
	$(MAKE) bench BENCH_SECONDS=30 BENCH_DOCUMENT_ROUNDS=100 BENCH_PROFILE="--seconds 30 --rounds 3" BENCH_OCR=1

bench-setup: setup
	$(PY) -m pip install --quiet -e '.[bench]'  # py-spy, for the profile section

clean:
	rm -rf $(VENV) var .pytest_cache
