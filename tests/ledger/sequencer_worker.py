"""A worker process for the concurrency test: writes ledger records through use cases and sequences them."""
from __future__ import annotations

import asyncio
import datetime as dt
import sys

from backend.db import close_database, open_database
from backend.ledger.checkpoint import signer_from_seed
from backend.ledger.sequencer import Sequencer
from backend.ledger.store import LedgerStore
from backend.models import LedgerRecord
from backend.services.transactions import atomic, note_record


async def main(url: str, name: str, count: int, tasks: int) -> None:
    await open_database(url)
    store = LedgerStore(signers=[signer_from_seed("test.log", b"\x01" * 32)], origin="test.log")
    await store.ensure_head()
    sequencer = Sequencer(store=store, batch_size=50)

    async def write(i: int) -> None:
        async def use_case(conn):
            record = await LedgerRecord.create(
                step="test", leaf=f"{name}-{i}".encode(), created_at=dt.datetime.now(dt.timezone.utc), using_db=conn
            )
            note_record(sequencer, record.id)

        await atomic(use_case)

    async def worker(offset: int) -> None:
        for i in range(offset, count, tasks):
            await write(i)
            if i % 10 == 0:  # both processes sign checkpoints of the shared tree as it grows
                await store.checkpoint(now=dt.datetime.now(dt.timezone.utc))

    await asyncio.gather(*(worker(k) for k in range(tasks)))
    await close_database()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
