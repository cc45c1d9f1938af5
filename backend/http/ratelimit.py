"""Request budgets per client: by address for the endpoints people reach without (or before) logging in (WeChat
login, the name check, the inline identity check, reading identity documents' photos, scope recommendations and
public licence verification), by user for the logged-in work that costs the most CPU (rendering PDFs). Partners have
their own budget each (`backend.services.partner_auth`).

A fixed one-minute window per (budget, client), counted in the database with one upsert, so every server
process on the same database shares the budget, and timed by the service clock (the mock clock in tests). Written
here because the few aiohttp rate-limit packages are unmaintained and keep their counts in one process.
"""
from __future__ import annotations

import math

from aiohttp import web
from tortoise import connections

from backend.clock import Clock
from backend.errors import TooManyRequests
from backend.models import RateCounter

WINDOW_SECONDS = 60


class RateLimiter:
    """At most `per_minute` requests per client in each one-minute window of the `bucket` budget."""

    def __init__(self, *, bucket: str, per_minute: int, clock: Clock) -> None:
        if per_minute < 1:
            raise ValueError(f"per_minute must be at least 1, got {per_minute}")
        self.bucket, self.per_minute, self._clock = bucket, per_minute, clock
        self._cleaned = 0

    async def hit(self, client: str) -> None:
        """Count one request of `client`; raise 429 (with the seconds to wait) once its budget is spent."""
        now = self._clock.timestamp()
        window = int(now // WINDOW_SECONDS)
        conn = connections.get("default")
        table = RateCounter._meta.db_table
        marks = ("$1", "$2", "$3") if conn.capabilities.dialect == "postgres" else ("?", "?", "?")
        # the table name comes from the model and every value is bound: no injection (S608)
        sql = (
            f"INSERT INTO {table} (bucket, client, minute, hits) VALUES ({marks[0]}, {marks[1]}, {marks[2]}, 1) "  # noqa: S608
            f"ON CONFLICT (bucket, client, minute) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits")
        # execute_query_dict fetches on both backends (execute_query drops RETURNING rows of an INSERT on asyncpg)
        rows = await conn.execute_query_dict(sql, [self.bucket, client[:128], window])
        hits = int(rows[0]["hits"])
        if window > self._cleaned:  # once a minute per process, forget the windows that are over
            self._cleaned = window
            await RateCounter.filter(minute__lt=window - 1).delete()
        if hits > self.per_minute:
            raise TooManyRequests(retry_after=max(1, math.ceil((window + 1) * WINDOW_SECONDS - now)))

    async def check(self, request: web.Request) -> None:
        """Count a request by the address it came from."""
        await self.hit(request.remote or "unknown")


async def limit(request: web.Request, bucket: str, *, user: str | None = None) -> None:
    """Count `request` against the app's `bucket` budget, by `user` when given, else by its address (429 once it is
    spent). create_app always sets the budgets; an app assembled from single route modules without a database (unit
    tests of a route) has none."""
    from backend.keys import RATE_LIMITS

    limits = request.config_dict.get(RATE_LIMITS)
    if limits is None:
        return
    if user is not None:
        await limits[bucket].hit(f"user:{user}")
    else:
        await limits[bucket].check(request)
