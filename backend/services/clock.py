"""The shared mock clock: its offset lives in the database so every process sees it and a restart keeps it."""
from __future__ import annotations

from tortoise.exceptions import IntegrityError

from backend.clock import OffsetClock
from backend.errors import InvalidInput
from backend.models import ClockOffset

ROW_ID = 1
MAX_ADVANCE_SECONDS = 10 * 366 * 24 * 3600


async def load_offset(clock: OffsetClock) -> float:
    """Read the persisted offset into `clock` and return it."""
    row = await ClockOffset.get_or_none(id=ROW_ID)
    clock.set_offset(row.offset_seconds if row else 0.0)
    return clock.offset_seconds


async def advance(clock: OffsetClock, *, seconds: float) -> float:
    """Move the shared clock forward by `seconds` (never back) and return the new offset."""
    if not 0 < seconds <= MAX_ADVANCE_SECONDS:
        raise InvalidInput("clock_advance_invalid", seconds=seconds, max_seconds=MAX_ADVANCE_SECONDS)
    try:
        await ClockOffset.get_or_create(id=ROW_ID, defaults={"offset_seconds": 0.0})
    except IntegrityError:
        pass
    from tortoise.expressions import F

    await ClockOffset.filter(id=ROW_ID).update(offset_seconds=F("offset_seconds") + seconds)
    return await load_offset(clock)
