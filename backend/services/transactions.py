"""Running a use case in one database transaction, then sequencing the ledger records it wrote."""
from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from backend.ledger.store import LedgerContention

T = TypeVar("T")
log = logging.getLogger(__name__)


class RecordSequencer(Protocol):
    """What `atomic` needs of the ledger's sequencer."""

    async def sequence(self, *, until: int | None = None) -> int: ...


_written: contextvars.ContextVar[list[tuple[RecordSequencer, int]] | None] = contextvars.ContextVar(
    "ledger_records_written", default=None
)


def note_record(sequencer: RecordSequencer, record_id: int) -> None:
    """Remember that the running use case wrote ledger record `record_id`, to sequence it after the commit."""
    written = _written.get()
    if written is None:
        raise RuntimeError("ledger records are written only inside atomic()")
    written.append((sequencer, record_id))


async def atomic(use_case: Callable[[BaseDBAsyncClient], Awaitable[T]], *, attempts: int = 5) -> T:
    """Run `use_case(conn)` in a transaction (retried whole if the ledger head moved under it); once it has
    committed, sequence the ledger records it wrote so the caller sees their indexes."""
    for attempt in range(attempts):
        token = _written.set([])
        try:
            async with in_transaction() as conn:
                result = await use_case(conn)
            written = _written.get() or []
        except LedgerContention:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.005 * (attempt + 1))
            continue
        finally:
            _written.reset(token)
        await _sequence(written)
        return result
    raise AssertionError("unreachable")


async def _sequence(written: list[tuple[RecordSequencer, int]]) -> None:
    latest: dict[int, tuple[RecordSequencer, int]] = {}
    for sequencer, record_id in written:
        previous = latest.get(id(sequencer))
        if previous is None or record_id > previous[1]:
            latest[id(sequencer)] = (sequencer, record_id)
    for sequencer, record_id in latest.values():
        try:
            await sequencer.sequence(until=record_id)
        except Exception:  # committed records are safe in the outbox; the background loop sequences them
            log.exception("sequencing after commit failed; the background sequencer will retry")
