"""Shared pieces of the benchmarks: percentiles, the machine's description, result tables."""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile of `samples` (nearest rank)."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def summary_ms(samples_s: Sequence[float]) -> dict[str, float]:
    """p50, p99 and mean of latencies given in seconds, in milliseconds."""
    return {
        "p50": percentile(samples_s, 0.50) * 1000,
        "p99": percentile(samples_s, 0.99) * 1000,
        "mean": statistics.fmean(samples_s) * 1000 if samples_s else float("nan"),
    }


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat (idle and iowait count as not busy)."""
    fields = [float(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4], sum(fields)


def busy_share(start: tuple[float, float], end: tuple[float, float]) -> float:
    """The share of the machine's CPU time that was busy between two `cpu_times()` readings."""
    return (end[0] - start[0]) / max(end[1] - start[1], 1.0)


def machine() -> str:
    """One line describing the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = model
    except (OSError, StopIteration):
        pass
    try:
        sqlite = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True, check=False).stdout.split()[0]
    except (OSError, IndexError):
        sqlite = "?"
    import sqlite3

    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
        f" (cli {sqlite}), {platform.system()} {platform.release()}"
    )


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A markdown table."""
    def cell(value: object) -> str:
        return f"{value:,.2f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


class Stopwatch:
    """Wall-clock seconds since creation."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def elapsed(self) -> float:
        """Seconds elapsed."""
        return time.perf_counter() - self.start


async def fresh_postgres(base_url: str, name: str) -> str:
    """(Re)create the database `name` on the server of `base_url`; answer its URL."""
    import asyncpg

    admin = await asyncpg.connect(base_url.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"{base_url.rpartition('/')[0]}/{name}"


def run_and_save(main: Callable[[argparse.Namespace], Awaitable[str]], args: argparse.Namespace) -> None:
    """Run an async benchmark's `main(args)`, write its markdown report to `args.out` and print it."""
    report = asyncio.run(main(args))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    print(report)
