"""The shared mock clock: its offset lives in the database so every process sees it and a restart keeps it.

Each move also replaces a stamp file in the var folder, which every process on one database shares (it holds their
keys): a process re-reads the offset only when the stamp has changed, at the cost of one stat() a request.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

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


def stamp_path(var_dir: Path) -> Path:
    """The stamp file every move of the clock replaces."""
    return var_dir / "mock-clock.stamp"


def _stamp_signature(stamp: Path) -> tuple[int, int] | None:
    try:
        status = stamp.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns


class OffsetWatch:
    """Keeps `clock` on the shared offset, reading the database only after some process has moved the clock."""

    def __init__(self, clock: OffsetClock, *, stamp: Path) -> None:
        self._clock = clock
        self._stamp = stamp
        self._seen: tuple[int, int] | None | bool = False  # False: never read

    async def refresh(self) -> float:
        """Adopt the shared offset if the stamp changed since the last read; return the offset."""
        signature = _stamp_signature(self._stamp)  # taken before the read: a move during it is seen next time
        if signature != self._seen:
            await load_offset(self._clock)
            self._seen = signature
        return self._clock.offset_seconds


def _replace_stamp(stamp: Path) -> None:
    stamp.parent.mkdir(parents=True, exist_ok=True)
    fresh = stamp.with_name(f"{stamp.name}.{uuid.uuid4().hex}")
    fresh.write_text(uuid.uuid4().hex, encoding="ascii")
    os.replace(fresh, stamp)  # a new inode: every watcher sees a change, however close two moves are


async def advance(clock: OffsetClock, *, seconds: float, stamp: Path | None = None) -> float:
    """Move the shared clock forward by `seconds` (never back) and return the new offset."""
    if not 0 < seconds <= MAX_ADVANCE_SECONDS:
        raise InvalidInput("clock_advance_invalid", seconds=seconds, max_seconds=MAX_ADVANCE_SECONDS)
    try:
        await ClockOffset.get_or_create(id=ROW_ID, defaults={"offset_seconds": 0.0})
    except IntegrityError:
        pass
    from tortoise.expressions import F

    await ClockOffset.filter(id=ROW_ID).update(offset_seconds=F("offset_seconds") + seconds)
    if stamp is not None:
        _replace_stamp(stamp)
    return await load_offset(clock)
