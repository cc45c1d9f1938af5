"""Running a use case in one database transaction, retried when the ledger head moved under it."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from backend.ledger.store import LedgerContention

T = TypeVar("T")


async def atomic(use_case: Callable[[BaseDBAsyncClient], Awaitable[T]], *, attempts: int = 5) -> T:
    """Run `use_case(conn)` in a transaction; retry it whole if another writer advanced the ledger first."""
    for attempt in range(attempts):
        try:
            async with in_transaction() as conn:
                return await use_case(conn)
        except LedgerContention:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.005 * (attempt + 1))
    raise AssertionError("unreachable")
