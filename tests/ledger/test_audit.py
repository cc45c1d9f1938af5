"""Audit of the stored log on SQLite and PostgreSQL: clean, then one edited row named exactly by the report."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import rfc8785
from tortoise import Tortoise, connections
from tortoise.transactions import in_transaction

from backend.db import close_database, open_database
from backend.ledger.audit import audit_log
from backend.ledger.checkpoint import Checkpoint, cosigner_from_seed, signer_from_seed
from backend.ledger.hashing import leaf_hash
from backend.ledger.store import LedgerStore
from backend.ledger.tiles import MemoryTree, stored_hash_count, stored_hash_index
from tests.conftest import PG_URL, _drop_postgres_database, _fresh_postgres_database

ORIGIN = "kaiban.example/ledger"
SIGNER = signer_from_seed(ORIGIN, bytes([7]) * 32)
OTHER = signer_from_seed(ORIGIN, bytes([8]) * 32)
WITNESS = cosigner_from_seed("witness.example", bytes([9]) * 32)
BATCHES = [1, 63, 36, 157, 43]  # tree sizes 1, 64, 100, 257, 300
SIZE = sum(BATCHES)
NOW = dt.datetime(2025, 1, 2, tzinfo=dt.timezone.utc)


def _leaf(i: int) -> bytes:
    return rfc8785.dumps({"v": 1, "type": "formation.step", "application": f"app-{i % 17}", "step": f"s{i}"})


@pytest.fixture(params=["sqlite", "postgres"])
async def ledger_db(request, tmp_path):
    """A database holding a 300-leaf log with a checkpoint signed after every batch (and at size 0)."""
    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("TEST_DATABASE_URL not set")
        url = await _fresh_postgres_database()
    else:
        url = f"sqlite://{tmp_path / 'ledger.sqlite3'}"
    await open_database(url)
    # the migrations lag the models while the ledger_records outbox lands, so the schema comes from the models
    await Tortoise.generate_schemas(safe=True)
    store = LedgerStore(signers=[SIGNER], origin=ORIGIN)
    await store.ensure_head()
    await store.checkpoint(size=0, now=NOW)
    done = 0
    for count in BATCHES:
        async with in_transaction() as conn:
            await store.append([_leaf(done + i) for i in range(count)], conn=conn)
        done += count
        size, text = await store.checkpoint(now=NOW)
        if size == 100:  # a witness cosigned this one
            await store.add_cosignatures(size=size, lines=[WITNESS.cosign(text, timestamp=5)[len(text) :]])
    yield url
    await close_database()
    if request.param == "postgres":
        await _drop_postgres_database(url)


async def _sql(query: str, *values: Any) -> None:
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        parts = query.split("?")
        query = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], start=1))
    await conn.execute_query(query, list(values))


async def _audit(batch: int = 10000) -> Any:
    return await audit_log(origin=ORIGIN, log_keys=[SIGNER.verifier_key()], batch=batch)


def _reference_tree() -> MemoryTree:
    tree = MemoryTree()
    tree.extend(_leaf(i) for i in range(SIZE))
    return tree


@pytest.mark.parametrize("batch", [1, 7, 64, 10000])
async def test_clean_log_passes(ledger_db: str, batch: int) -> None:
    report = await _audit(batch)
    assert report.ok, report.summary()
    assert (report.entries, report.hashes, report.checkpoints) == (SIZE, stored_hash_count(SIZE), 6)
    assert report.root == _reference_tree().root()
    assert "audit OK" in report.summary()


async def test_rotated_key_list_passes_and_unknown_key_fails(ledger_db: str) -> None:
    report = await audit_log(origin=ORIGIN, log_keys=[OTHER.verifier_key(), SIGNER.verifier_key()])
    assert report.ok
    report = await audit_log(origin=ORIGIN, log_keys=[OTHER.verifier_key()])
    failure = report.failure
    assert (failure.where, failure.index, failure.reason) == ("checkpoint", 0, "no_known_signature")
    report = await audit_log(origin="elsewhere.example/log", log_keys=[SIGNER.verifier_key()])
    assert report.failure.reason == "origin_mismatch"


def _forged(size: int, *, root: bytes | None = None, signer=SIGNER) -> str:  # type: ignore[no-untyped-def]
    tree = _reference_tree()
    return signer.sign(Checkpoint(ORIGIN, size, root or tree.root(size)).body())


SET_LEAF = "UPDATE ledger_entries SET leaf = ? WHERE idx = ?"
SET_HASH = "UPDATE ledger_hashes SET hash = ? WHERE idx = ?"
SET_NOTE = "UPDATE ledger_checkpoints SET text = ? WHERE size = ?"
H = stored_hash_index
TAMPERS: list[tuple[str, str, tuple[Any, ...], tuple[str, int, str]]] = [
    ("leaf byte", SET_LEAF, (_leaf(137)[:-2] + b"X}", 137), ("entry", 137, "leaf_hash_mismatch")),
    ("first leaf", SET_LEAF, (b"{}", 0), ("entry", 0, "leaf_hash_mismatch")),
    (
        "stored leaf hash column",
        "UPDATE ledger_entries SET leaf_hash = ? WHERE idx = ?",
        (bytes(32), 299),
        ("entry", 299, "leaf_hash_mismatch"),
    ),
    (
        "leaf with matching hash",
        "UPDATE ledger_entries SET leaf = ?, leaf_hash = ? WHERE idx = ?",
        (b"{}", leaf_hash(b"{}"), 200),
        ("hash", H(0, 200), "hash_mismatch"),
    ),
    ("interior hash", SET_HASH, (bytes(32), H(3, 20)), ("hash", H(3, 20), "hash_mismatch")),
    ("top hash", SET_HASH, (bytes(32), H(8, 0)), ("hash", H(8, 0), "hash_mismatch")),
    ("deleted entry", "DELETE FROM ledger_entries WHERE idx = ?", (150,), ("entry", 150, "missing_entry")),
    ("deleted last entry", "DELETE FROM ledger_entries WHERE idx = ?", (299,), ("entry", 299, "missing_entry")),
    ("deleted hash", "DELETE FROM ledger_hashes WHERE idx = ?", (H(1, 50),), ("hash", H(1, 50), "missing_hash")),
    (
        "stray hash",
        "INSERT INTO ledger_hashes (idx, hash) VALUES (?, ?)",
        (stored_hash_count(SIZE) + 3, bytes(32)),
        ("hash", stored_hash_count(SIZE) + 3, "unexpected_hash"),
    ),
    (
        "stray entry",
        "INSERT INTO ledger_entries (idx, leaf, leaf_hash) VALUES (?, ?, ?)",
        (-5, b"{}", leaf_hash(b"{}")),
        ("entry", -5, "unexpected_index"),
    ),
    ("head size", "UPDATE ledger_head SET size = ? WHERE id = 1", (299,), ("head", 299, "head_size_mismatch")),
    (
        "checkpoint body",
        "UPDATE ledger_checkpoints SET text = REPLACE(text, ?, ?) WHERE size = ?",
        ("\n257\n", "\n258\n", 257),
        ("checkpoint", 257, "signature_invalid"),
    ),
    ("checkpoint by another key", SET_NOTE, (_forged(64, signer=OTHER), 64), ("checkpoint", 64, "no_known_signature")),
    ("signed fork", SET_NOTE, (_forged(100, root=bytes(32)), 100), ("checkpoint", 100, "root_mismatch")),
    ("moved checkpoint", SET_NOTE, (_forged(64), 1), ("checkpoint", 1, "size_mismatch")),
    (
        "checkpoint ahead",
        "INSERT INTO ledger_checkpoints (size, text, cosignatures, created_at) VALUES (?, ?, '', ?)",
        (400, _forged(300), NOW),
        ("checkpoint", 400, "checkpoint_beyond_log"),
    ),
    (
        "cosignature garbage",
        "UPDATE ledger_checkpoints SET cosignatures = ? WHERE size = ?",
        ("not a signature line\n", 100),
        ("checkpoint", 100, "bad_cosignature_lines"),
    ),
]


@pytest.mark.parametrize("name, query, values, expected", TAMPERS, ids=[t[0] for t in TAMPERS])
async def test_one_edited_row_is_named(ledger_db: str, name: str, query: str, values: tuple, expected: tuple) -> None:
    await _sql(query, *values)
    for batch in (10000, 16):
        report = await _audit(batch)
        assert not report.ok
        assert (report.failure.where, report.failure.index, report.failure.reason) == expected, report.summary()
        assert f" {expected[1]}: {expected[2]}" in report.summary()


async def test_first_problem_in_log_order_wins(ledger_db: str) -> None:
    """A bad hash of leaf 40 comes before a bad leaf at 60 and a bad checkpoint at 64; leaf 30 before all of them."""
    await _sql("UPDATE ledger_hashes SET hash = ? WHERE idx = ?", bytes(32), stored_hash_index(0, 40))
    await _sql("UPDATE ledger_entries SET leaf = ? WHERE idx = ?", b"{}", 60)
    await _sql("UPDATE ledger_checkpoints SET text = ? WHERE size = ?", _forged(64, signer=OTHER), 64)
    failure = (await _audit()).failure
    assert (failure.where, failure.index, failure.detail["leaf"]) == ("hash", stored_hash_index(0, 40), 40)
    await _sql("UPDATE ledger_entries SET leaf = ? WHERE idx = ?", b"{}", 30)
    assert (await _audit(batch=8)).failure.index == 30


async def test_empty_log_is_clean(tmp_path) -> None:  # type: ignore[no-untyped-def]
    await open_database(f"sqlite://{tmp_path / 'empty.sqlite3'}")
    try:
        await Tortoise.generate_schemas()
        report = await _audit()
        assert report.ok and report.entries == 0 and report.checkpoints == 0
    finally:
        await close_database()

