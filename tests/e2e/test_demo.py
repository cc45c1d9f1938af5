"""`python -m backend` as an operator runs it, `make demo`'s client against it, checked by the independent
ledger checker, on SQLite (and PostgreSQL when TEST_DATABASE_URL is set)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from stdnum.cn import uscc as stdnum_uscc

from tests.conftest import REPO, SHARED
from tests.pinned import LEDGER_ORIGIN, PINNED_LEDGER_VKEY, TEST_LEDGER_SEED_B64


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log(folder) -> "object":
    """A file for a served process's output (a pipe nobody reads fills up and blocks the server)."""
    folder.mkdir(parents=True, exist_ok=True)
    return open(folder / f"server-{_free_port()}.log", "w+")


def stop(process: subprocess.Popen) -> None:
    """Stop a served process: SIGTERM, then SIGKILL if it has not gone within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _wait_ready(base: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = ""
            if process.stdout is not None:
                process.stdout.seek(0)
                output = process.stdout.read()
            raise AssertionError(f"server exited with {process.returncode}: {output}")
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("server did not become ready")


@pytest.fixture
def served(database_url, tmp_path):
    """The server as `make run` starts it: migrate, then serve on a port, with the pinned test ledger key."""
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": database_url,
        "LEDGER_SIGNING_SEED": TEST_LEDGER_SEED_B64,
        "LEDGER_ORIGIN": LEDGER_ORIGIN,
        "LEDGER_KEY_NAME": LEDGER_ORIGIN,
        "PYTHONPATH": str(REPO),
    }
    subprocess.run([sys.executable, "-m", "backend", "migrate"], env=env, cwd=REPO, check=True, capture_output=True)
    process = subprocess.Popen([sys.executable, "-m", "backend", "serve"], env=env, cwd=REPO,
                               stdout=_log(tmp_path), stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process)
        yield base
    finally:
        stop(process)


def test_demo_forms_a_company_that_the_independent_checker_verifies(served):
    env = {**os.environ, "PYTHONPATH": str(REPO / "miniprogram-mock")}
    runs = [
        subprocess.run([sys.executable, "-m", "kaiban_mock", "--base-url", served], env=env, cwd=REPO,
                       capture_output=True, text=True, timeout=120)
        for _ in range(2)
    ]
    for run in runs:
        assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads(runs[-1].stdout.strip().splitlines()[-1])
    assert {"application_id", "uscc", "ledger_index"} <= set(summary)
    assert stdnum_uscc.is_valid(summary["uscc"])
    check = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "ledger_check.py"), served, summary["uscc"], "--key", PINNED_LEDGER_VKEY],
        capture_output=True, text=True, timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "ledger OK" in check.stdout


def test_demo_fails_with_a_non_zero_exit_when_the_server_is_unreachable():
    env = {**os.environ, "PYTHONPATH": str(REPO / "miniprogram-mock")}
    run = subprocess.run([sys.executable, "-m", "kaiban_mock", "--base-url", f"http://127.0.0.1:{_free_port()}"],
                         env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
