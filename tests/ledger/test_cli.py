"""`python -m backend.ledger verify|audit` as a subprocess: exit codes and what the output names."""
from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from backend.db import close_database, open_database
from backend.ledger.bundle import encode_bundle
from backend.ledger.checkpoint import signer_from_seed
from backend.ledger.store import LedgerStore
from tests.conftest import PG_URL, REPO, _drop_postgres_database, _fresh_postgres_database
from tests.ledger.test_bundle import INDEX, LEAF, LICENCE, LOG, ORIGIN, WITNESSES, _note, _tree

SEED = bytes([21]) * 32
AUDIT_SIGNER = signer_from_seed(ORIGIN, SEED)


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LEDGER_SIGNING_SEED", "VAR_DIR"}}
    return subprocess.run(
        [sys.executable, "-m", "backend.ledger", *args], cwd=REPO, env={**base, **(env or {})},
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def bundle_file(tmp_path: Path) -> Path:
    tree = _tree()
    path = tmp_path / "licence.tlog-proof"
    path.write_text(encode_bundle(leaf=LEAF, index=INDEX, hashes=tree.inclusion_proof(INDEX), checkpoint=_note()))
    return path


@pytest.fixture
def keys_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys.json"
    witnesses = [w.verifier_key() for w in WITNESSES]
    config = {"origin": ORIGIN, "log_keys": [LOG.verifier_key()], "witnesses": witnesses, "quorum": 2}
    path.write_text(json.dumps(config))
    return path


def _pins(*, quorum: int | None = 3) -> list[str]:
    args = ["--origin", ORIGIN, "--log-key", LOG.verifier_key()]
    args += [] if quorum is None else ["--quorum", str(quorum)]
    for witness in WITNESSES:
        args += ["--witness-key", witness.verifier_key()]
    return args


def test_verify_valid_bundle_with_flags_and_with_config(bundle_file: Path, keys_file: Path) -> None:
    done = _run("verify", str(bundle_file), *_pins())
    assert done.returncode == 0, done.stderr
    assert f"bundle OK: entry {INDEX} is in the log {ORIGIN} at tree size 13" in done.stdout
    assert "cosigned by  witness2.example at 2023-11-14T22:13:22Z" in done.stdout
    assert "3 valid, quorum 3" in done.stdout and LEAF.decode() in done.stdout
    done = _run("verify", str(bundle_file), "--config", str(keys_file))
    assert done.returncode == 0 and "quorum 2" in done.stdout, done.stderr


def test_verify_refuses_tampered_bundle(bundle_file: Path) -> None:
    text = bundle_file.read_text()
    bundle_file.write_text(text.replace(f"\nindex {INDEX}\n", f"\nindex {INDEX + 1}\n"))
    done = _run("verify", str(bundle_file), *_pins())
    assert done.returncode == 1 and done.stdout == ""
    assert "bundle INVALID (ProofError)" in done.stderr and "reason=root_mismatch" in done.stderr


@pytest.mark.parametrize(
    "args, named",
    [
        (["--origin", "elsewhere.example/log"], "reason=origin_mismatch"),
        (["--log-key", signer_from_seed(ORIGIN, bytes([4]) * 32).verifier_key()], "reason=no_known_signature"),
    ],
)
def test_verify_refuses_wrong_pins(bundle_file: Path, args: list[str], named: str) -> None:
    pins = _pins()
    for flag, value in zip(args[::2], args[1::2]):
        pins[pins.index(flag) + 1] = value
    done = _run("verify", str(bundle_file), *pins)
    assert done.returncode == 1 and "CheckpointError" in done.stderr and named in done.stderr


def test_verify_quorum_not_met(tmp_path: Path) -> None:
    tree = _tree()
    path = tmp_path / "one.tlog-proof"
    note = _note(cosigners=(WITNESSES[0],))
    path.write_text(encode_bundle(leaf=LEAF, index=INDEX, hashes=tree.inclusion_proof(INDEX), checkpoint=note))
    done = _run("verify", str(path), *_pins(quorum=None))  # default quorum: all three pinned witnesses
    assert done.returncode == 1 and "reason=quorum_not_met" in done.stderr and "got=1" in done.stderr
    assert _run("verify", str(path), *_pins(quorum=1)).returncode == 0


def test_verify_served_json_checks_the_licence_too(tmp_path: Path) -> None:
    tree = _tree()
    ledger = {
        "index": INDEX,
        "leaf": base64.b64encode(LEAF).decode(),
        "inclusion": {"size": tree.size, "hashes": [base64.b64encode(h).decode() for h in tree.inclusion_proof(INDEX)]},
        "checkpoint": _note(),
    }
    path = tmp_path / "licence.json"
    path.write_text(json.dumps({"licence": LICENCE, "status": "active", "ledger": ledger}))
    done = _run("verify", str(path), *_pins())
    assert done.returncode == 0 and "licence      matches the logged record" in done.stdout, done.stderr
    path.write_text(json.dumps({"licence": {**LICENCE, "name": "x"}, "ledger": ledger}))
    done = _run("verify", str(path), *_pins())
    assert done.returncode == 1 and "reason=licence_mismatch" in done.stderr


def test_verify_usage_errors(bundle_file: Path, tmp_path: Path) -> None:
    done = _run("verify", str(tmp_path / "absent.tlog-proof"), *_pins())
    assert done.returncode == 2 and "cannot read bundle" in done.stderr
    done = _run("verify", str(bundle_file), "--origin", ORIGIN)
    assert done.returncode == 2 and "no log key pinned" in done.stderr
    done = _run("verify", str(bundle_file), "--origin", ORIGIN, "--log-key", "not-a-key")
    assert done.returncode == 2 and "bad pinned key" in done.stderr
    done = _run("verify", str(bundle_file), *_pins(quorum=4))
    assert done.returncode == 2 and "quorum 4 exceeds the 3 pinned witnesses" in done.stderr


async def _build_log(url: str) -> None:
    await open_database(url)
    try:
        await Tortoise.generate_schemas(safe=True)  # the migrations lag the models during the outbox switch
        store = LedgerStore(signers=[AUDIT_SIGNER], origin=ORIGIN)
        await store.ensure_head()
        for first in range(0, 120, 40):
            async with in_transaction() as conn:
                await store.append([json.dumps({"i": i}).encode() for i in range(first, first + 40)], conn=conn)
            await store.checkpoint(now=dt.datetime(2025, 1, 2, tzinfo=dt.timezone.utc))
    finally:
        await close_database()


@pytest.fixture(params=["sqlite", "postgres"])
async def audit_url(request, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("TEST_DATABASE_URL not set")
        url = await _fresh_postgres_database()
    else:
        url = f"sqlite://{tmp_path / 'audit.sqlite3'}"
    await _build_log(url)
    yield url
    if request.param == "postgres":
        await _drop_postgres_database(url)


async def _tamper(url: str, index: int) -> None:
    await open_database(url)
    try:
        conn = Tortoise.get_connection("default")
        mark = "$1" if conn.capabilities.dialect == "postgres" else "?"
        await conn.execute_query(f"UPDATE ledger_entries SET leaf = {mark} WHERE idx = {int(index)}", [b"{}"])
    finally:
        await close_database()


async def test_audit_clean_then_names_the_edited_index(audit_url: str) -> None:
    pins = ["--origin", ORIGIN, "--log-key", AUDIT_SIGNER.verifier_key()]
    done = _run("audit", "--database-url", audit_url, *pins)
    assert done.returncode == 0, done.stderr
    assert "ledger audit OK" in done.stdout and "entries verified      120" in done.stdout
    done = _run("audit", *pins, env={"DATABASE_URL": audit_url})  # the URL from the environment, like the server
    assert done.returncode == 0, done.stderr
    await _tamper(audit_url, 57)
    done = _run("audit", "--database-url", audit_url, *pins, "--batch", "16")
    assert done.returncode == 1
    assert "ledger audit FAILED at entry index 57: leaf_hash_mismatch" in done.stderr


def test_audit_defaults_to_the_server_key_and_refuses_a_missing_database(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'audit.sqlite3'}"
    asyncio.run(_build_log(url))
    env = {"DATABASE_URL": url, "LEDGER_SIGNING_SEED": base64.b64encode(SEED).decode(), "LEDGER_ORIGIN": ORIGIN,
           "LEDGER_KEY_NAME": ORIGIN, "VAR_DIR": str(tmp_path / "var")}
    done = _run("audit", env=env)
    assert done.returncode == 0 and "not independently pinned" in done.stderr, done.stderr
    done = _run("audit", "--database-url", f"sqlite://{tmp_path / 'absent.sqlite3'}", "--log-key", LOG.verifier_key())
    assert done.returncode == 2 and "no database at" in done.stderr
    assert not (tmp_path / "absent.sqlite3").exists()
    with sqlite3.connect(tmp_path / "audit.sqlite3") as db:
        db.execute("DELETE FROM ledger_hashes WHERE idx = 7")
    done = _run("audit", env=env)
    assert done.returncode == 1 and "stored hash index 7: missing_hash" in done.stderr
