"""A per-client request budget for endpoints open without login (the name check answers while people type).

Written here because the few aiohttp rate-limit packages are unmaintained: a fixed one-minute window per client
address, kept in this process (each server process has its own budget; the limit is per process).
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable

from aiohttp import web

from backend.errors import TooManyRequests

WINDOW_SECONDS = 60.0
MAX_CLIENTS = 100_000  # forget every window past this many clients (a flood of addresses cannot fill memory)


class RateLimiter:
    """At most `per_minute` requests per client address in each one-minute window."""

    def __init__(self, *, per_minute: int, now: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._now = now
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, client: str) -> None:
        """Count one request of `client`; raise 429 (with the seconds to wait) once its budget is spent."""
        now = self._now()
        start, count = self._windows.get(client, (now, 0))
        if now - start >= WINDOW_SECONDS:
            start, count = now, 0
        if count >= self.per_minute:
            raise TooManyRequests(retry_after=max(1, math.ceil(start + WINDOW_SECONDS - now)))
        if len(self._windows) >= MAX_CLIENTS and client not in self._windows:
            self._windows.clear()
        self._windows[client] = (start, count + 1)

    def check(self, request: web.Request) -> None:
        """Count a request by the address it came from."""
        self.hit(request.remote or "unknown")
