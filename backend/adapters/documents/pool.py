"""Where documents are rendered: worker processes (both cores, and the event loop's thread never waits on the GIL
for reportlab), or the default thread executor when no worker processes are configured."""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import TypeVar

from backend.adapters.documents.fonts import cjk_font

T = TypeVar("T")
#: Rounds `RenderPool.start` waits at most for every worker (a round is at least 50 ms; a worker starts in about 1 s).
START_ROUNDS = 200


def _warm_up() -> None:
    """Load and register the CJK font and import the PAdES signer once per worker, before its first document."""
    cjk_font()
    import backend.adapters.documents.pades  # noqa: F401 - pyHanko's imports take about a third of a second


def _ready(hold: float) -> int:
    """A task that holds its worker for `hold` seconds (so others take the next ones) and names it by its pid."""
    time.sleep(hold)
    return os.getpid()


class RenderPool:
    """Runs a rendering function with its facts off the event loop: in `processes` workers, or in threads when 0."""

    def __init__(self, *, processes: int) -> None:
        if processes < 0:
            raise ValueError(f"processes must be 0 or more, got {processes}")
        self.processes = processes
        self._executor: Executor | None = None
        if processes:
            # forkserver: workers start clean, not as forks of a process holding database and event-loop threads
            context = multiprocessing.get_context("forkserver")
            self._executor = ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_warm_up)

    async def run(self, render: Callable[..., T], *args: object) -> T:
        """Run `render(*args)` in a worker (a module-level function with picklable arguments) and return its result."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, render, *args)

    async def start(self) -> int:
        """Start every worker now (the executor would start them one by one as documents arrive, the first
        formations waiting for it); return how many answered."""
        if self._executor is None:
            return 0
        # rounds of as many tasks as workers (the executor starts another whenever none is idle), each holding its
        # worker a moment, until every worker has answered one: it is then started and warmed up
        answered: set[int] = set()
        for _ in range(START_ROUNDS):
            answered |= set(await asyncio.gather(*(self.run(_ready, 0.05) for _ in range(self.processes))))
            if len(answered) >= self.processes:
                break
        return len(answered)

    def close(self) -> None:
        """Stop the workers (waiting for documents being rendered)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
