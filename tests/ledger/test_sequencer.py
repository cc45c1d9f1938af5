"""The writing path: outbox records written in use-case transactions become one gapless sequence in the tree."""
from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys

import pytest

from backend.db import close_database, open_database
from backend.ledger.audit import audit_log
from backend.ledger.checkpoint import signer_from_seed
from backend.ledger.hashing import leaf_hash, root_of
from backend.ledger.sequencer import Sequencer
from backend.ledger.store import LedgerStore
from backend.models import LedgerEntry, LedgerRecord
from backend.services.transactions import atomic, note_record
from tests.conftest import REPO


def _store() -> LedgerStore:
    return LedgerStore(signers=[signer_from_seed("test.log", b"\x01" * 32)], origin="test.log")


@pytest.fixture
async def db(database_url):
    await open_database(database_url)
    yield database_url
    await close_database()


async def _write(sequencer: Sequencer, leaf: bytes) -> int:
    async def use_case(conn):
        record = await LedgerRecord.create(step="test", leaf=leaf, created_at=dt.datetime.now(dt.timezone.utc), using_db=conn)
        note_record(sequencer, record.id)
        return record.id

    return await atomic(use_case)


async def _assert_one_log(store: LedgerStore, expected_leaves: set[bytes]) -> None:
    """Every record has exactly one index, the indexes are 0..n-1, and the tree's root is the root of the entries."""
    records = await LedgerRecord.all().values_list("leaf", "ledger_index")
    assert all(index is not None for _, index in records)
    by_index = {index: bytes(leaf) for leaf, index in records}
    size = await store.size()
    assert sorted(by_index) == list(range(size))
    assert set(by_index.values()) == expected_leaves
    entries = await LedgerEntry.all().order_by("idx").values_list("idx", "leaf")
    assert [idx for idx, _ in entries] == list(range(size))
    assert all(bytes(leaf) == by_index[idx] for idx, leaf in entries)
    assert await store.root(size) == root_of([leaf_hash(bytes(leaf)) for _, leaf in entries])


async def test_a_committed_record_is_sequenced_before_the_use_case_returns(db):
    store = _store()
    await store.ensure_head()
    sequencer = Sequencer(store=store)
    record_id = await _write(sequencer, b"first")
    record = await LedgerRecord.get(id=record_id)
    assert record.ledger_index == 0
    assert bytes((await store.entry(0)).leaf) == b"first"


async def test_a_rolled_back_use_case_leaves_no_record_and_no_index(db):
    store = _store()
    await store.ensure_head()
    sequencer = Sequencer(store=store)

    async def failing(conn):
        record = await LedgerRecord.create(step="test", leaf=b"lost", created_at=dt.datetime.now(dt.timezone.utc), using_db=conn)
        note_record(sequencer, record.id)
        raise ValueError("the use case failed after writing")

    with pytest.raises(ValueError):
        await atomic(failing)
    await _write(sequencer, b"kept")
    assert await store.size() == 1
    assert bytes((await store.entry(0)).leaf) == b"kept"


async def test_records_left_pending_by_a_stopped_process_are_sequenced_by_the_loop(db):
    store = _store()
    await store.ensure_head()
    for i in range(5):  # committed, never sequenced: the process stopped right after its commit
        await LedgerRecord.create(step="test", leaf=f"orphan-{i}".encode(), created_at=dt.datetime.now(dt.timezone.utc))
    sequencer = Sequencer(store=store, batch_size=2)
    task = asyncio.create_task(sequencer.run(interval=0.01))
    try:
        for _ in range(200):
            if await store.size() == 5:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    await _assert_one_log(store, {f"orphan-{i}".encode() for i in range(5)})


async def test_concurrent_use_cases_produce_one_gapless_log(db):
    store = _store()
    await store.ensure_head()
    sequencer = Sequencer(store=store, batch_size=7)
    leaves = [f"leaf-{i}".encode() for i in range(120)]
    await asyncio.gather(*(_write(sequencer, leaf) for leaf in leaves))
    await _assert_one_log(store, set(leaves))


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_two_processes_on_postgresql_produce_one_log(database_url):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    worker = str(REPO / "tests" / "ledger" / "sequencer_worker.py")
    count = 150
    procs = [
        await asyncio.create_subprocess_exec(sys.executable, worker, database_url, name, str(count), "6", env=env)
        for name in ("a", "b")
    ]
    codes = await asyncio.wait_for(asyncio.gather(*(p.wait() for p in procs)), timeout=90)
    assert codes == [0, 0]
    await open_database(database_url)
    try:
        expected = {f"{name}-{i}".encode() for name in ("a", "b") for i in range(count)}
        await _assert_one_log(_store(), expected)
        report = await audit_log(origin="test.log", log_keys=[_store().verifier_key])
        assert report.ok, report.failure
        assert report.entries == 2 * count and report.checkpoints > 2
    finally:
        await close_database()
