"""The one clock of the service: real time, or real time plus an offset that mock mode can move."""
from __future__ import annotations

import datetime as dt
import time
from typing import Protocol


class Clock(Protocol):
    """What every time check in the service reads."""

    def now(self) -> dt.datetime: ...

    def timestamp(self) -> float: ...


class SystemClock:
    """Wall-clock time (UTC); used outside mock mode."""

    def now(self) -> dt.datetime:
        """Return the current UTC time."""
        return dt.datetime.now(dt.timezone.utc)

    def timestamp(self) -> float:
        """Return the current POSIX time in seconds."""
        return time.time()


class OffsetClock:
    """Wall-clock time plus an offset in seconds; the offset is persisted so every process shares it.

    The offset only ever moves forward. `set_offset` is called by the clock service after it has read
    or written the persisted value (see `backend.services.clock`).
    """

    def __init__(self, offset_seconds: float = 0.0) -> None:
        self._offset = float(offset_seconds)

    @property
    def offset_seconds(self) -> float:
        """Seconds added to wall-clock time."""
        return self._offset

    def set_offset(self, offset_seconds: float) -> None:
        """Adopt an offset read from the shared store."""
        self._offset = float(offset_seconds)

    def now(self) -> dt.datetime:
        """Return the current (possibly moved) UTC time."""
        return dt.datetime.fromtimestamp(self.timestamp(), dt.timezone.utc)

    def timestamp(self) -> float:
        """Return the current (possibly moved) POSIX time in seconds."""
        return time.time() + self._offset
