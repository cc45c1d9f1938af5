"""Where documents are rendered: worker processes (both cores, and the event loop's thread never waits on the GIL
for reportlab), or the default thread executor when no worker processes are configured."""
from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import TypeVar

from backend.adapters.documents.fonts import cjk_font

T = TypeVar("T")


def _warm_up() -> None:
    """Load and register the CJK font once per worker, before its first document."""
    cjk_font()


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

    def close(self) -> None:
        """Stop the workers (waiting for documents being rendered)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
