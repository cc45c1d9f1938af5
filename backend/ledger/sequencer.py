"""The sequencer: integrates outbox records into the tree in batches, after the use cases that wrote them committed.

A use case writes its record (leaf bytes, no index) in its own transaction. Then it, or the background loop, runs
`sequence()`: inside one transaction the tree head is locked, the oldest pending records are appended as one batch
(compare-and-set on the size) and given their indexes. Callers that arrive while a batch is being written wait for
it and usually find their record already sequenced (group commit). Processes on one PostgreSQL database serialise
on the head row, so the log stays one sequence with no gap, duplicate or fork.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from cachetools import LRUCache
from tortoise.transactions import in_transaction

from backend.ledger.store import LedgerStore
from backend.models import LedgerHead, LedgerRecord

log = logging.getLogger(__name__)
DEFAULT_BATCH = 1000


class Sequencer:
    """Gives pending ledger records their indexes, a batch at a time."""

    def __init__(self, *, store: LedgerStore, batch_size: int = DEFAULT_BATCH) -> None:
        self._store = store
        self._batch_size = batch_size
        self._lock = asyncio.Lock()
        self._indexes: LRUCache[int, int] = LRUCache(maxsize=100_000)  # an index, once given, never changes

    async def sequence(self, *, until: int | None = None) -> int:
        """Sequence pending records (all, or at least up to record id `until`); return how many were integrated."""
        total = 0
        async with self._lock:
            while True:
                if until is not None and until in self._indexes:
                    return total  # this process sequenced it (a batch run while the caller waited for the lock)
                done = await self._sequence_batch()
                total += len(done)
                if not done or (until is not None and done[0] > until):
                    return total  # `until` is no longer pending: sequenced, by this process or another

    async def index_of(self, record_id: int) -> int | None:
        """The ledger index of a record, sequencing it first if it is still pending."""
        known = self._indexes.get(record_id)
        if known is not None:
            return known
        await self.sequence(until=record_id)
        known = self._indexes.get(record_id)
        if known is not None:
            return known
        row = await LedgerRecord.filter(id=record_id).values_list("ledger_index", flat=True)
        index = row[0] if row else None
        if index is not None:
            self._indexes[record_id] = index
        return index

    async def _sequence_batch(self) -> list[int]:
        """Integrate the oldest pending records; return their record ids in order (empty when none was pending)."""
        async with in_transaction() as conn:
            head = await LedgerHead.filter(id=1).select_for_update().using_db(conn).get()
            pending = (
                await LedgerRecord.filter(ledger_index__isnull=True)
                .order_by("id")
                .limit(self._batch_size)
                .using_db(conn)
                .values_list("id", "leaf")
            )
            if not pending:
                return []
            first = await self._store.append([bytes(leaf) for _, leaf in pending], conn=conn, locked_size=head.size,
                                             record_ids=[record_id for record_id, _ in pending])
            pairs = [(first + i, record_id) for i, (record_id, _) in enumerate(pending)]
        for index, record_id in pairs:  # only once committed: an index, once given, never changes
            self._indexes[record_id] = index
        return [record_id for _, record_id in pairs]

    async def run(self, *, interval: float = 1.0) -> None:
        """Background loop: sequence whatever is pending (e.g. left by a process that stopped) every `interval`."""
        while True:
            try:
                await self.sequence()
            except asyncio.CancelledError:
                raise
            except Exception:  # a failed batch rolls back whole; the next round retries it
                log.exception("sequencing failed; retrying")
            await asyncio.sleep(interval)


async def sequencer_loop(sequencer: Sequencer) -> AsyncIterator[None]:
    """For cleanup_ctx: run the background loop for the app's lifetime."""
    task = asyncio.create_task(sequencer.run())
    yield
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
