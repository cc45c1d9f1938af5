"""Background rounds of a server process (webhook deliveries, subscribe messages): one loop for the app's lifetime."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

log = logging.getLogger(__name__)


async def every(interval: float, round_: Callable[[], Awaitable[object]], *, name: str) -> AsyncIterator[None]:
    """For cleanup_ctx: run `round_` every `interval` seconds until the app stops; a failed round is logged and the
    next one runs all the same."""

    async def run() -> None:
        while True:
            try:
                await round_()
            except Exception:  # a broken round must not stop later ones
                log.exception("%s round failed", name)
            await asyncio.sleep(interval)

    task = asyncio.create_task(run())
    try:
        yield
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
