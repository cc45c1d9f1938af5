"""The local credit-code allocator: each code comes from a database serial committed before the code is handed
out, so concurrent servers never give the same code and a crash or restart never gives one again."""
from __future__ import annotations

import uuid

from tortoise.transactions import in_transaction

from backend.adapters.uscc import HUANGPU_REGION
from backend.clock import Clock
from backend.domain.identifiers import uscc_for_serial
from backend.models import UsccAllocation


class DurableUsccAllocator:
    """GB 32100 codes for Huangpu whose GB 11714 organisation code carries the next serial of `uscc_allocations`.

    Labelled simulated: the codes are valid and unique here, but only the national allocation service issues real
    ones. Every code allocated is recorded with what it was for; one abandoned (its approval failed) is not reused.
    """

    simulated = True

    def __init__(self, *, clock: Clock, region: str = HUANGPU_REGION) -> None:
        self._clock, self._region = clock, region

    async def allocate(self, *, application_id: str | None = None) -> str:
        """Take the next serial and record its code, committed before the code is returned."""
        async with in_transaction() as conn:
            row = await UsccAllocation.create(
                application_id=uuid.UUID(str(application_id)) if application_id else None,
                allocated_at=self._clock.now(), using_db=conn,
            )
            row.code = uscc_for_serial(row.serial, region=self._region)
            await row.save(using_db=conn, update_fields=["code"])
        return row.code
