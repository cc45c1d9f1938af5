"""Sampling profiles of running processes with py-spy (the `bench` extra), summed up by where the time goes.

py-spy samples a process from outside (ptrace), so the server runs unchanged; it records only threads that are
running, so the shares below are of busy time. Frames are attributed from the innermost outwards to the first that
belongs to a known part (the application, the ORM, the driver, the HTTP stack, PDF rendering, signing, ...).
"""
from __future__ import annotations

import collections
import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

#: (label, what a frame's file path starts with), tried from the innermost frame outwards; the first match wins.
PARTS = (
    ("Tortoise ORM (building queries, loading models)", ("tortoise/", "pypika_tortoise/")),
    ("asyncpg (PostgreSQL protocol)", ("asyncpg/",)),
    ("aiohttp (HTTP server and client)", ("aiohttp/", "multidict/", "yarl/")),
    ("logging", ("logging/",)),
    ("PDF rendering (reportlab)", ("reportlab/",)),
    ("PDF signing (pyHanko)", ("pyhanko/", "sign/", "pdf_utils/", "pyhanko_certvalidator/", "asn1crypto/")),
    ("process pool (pickling, pipes)", ("multiprocessing/", "concurrent/")),
    ("application code (backend/)", ("backend/", "documents/", "wechat/", "ca/", "uscc/", "html/")),
    ("asyncio event loop", ("asyncio/",)),
)
OTHER = "other (standard library, other packages)"
WRITES = "socket writes (queries to PostgreSQL, HTTP responses and requests)"
READS = "socket reads and the protocols' parsing (C extensions)"


def available() -> str | None:
    """The py-spy executable, or None when the `bench` extra is not installed."""
    beside = Path(sys.executable).with_name("py-spy")  # the virtual environment's bin, when not on PATH
    return shutil.which("py-spy") or (str(beside) if beside.exists() else None)


def start(pid: int, *, seconds: float, out: Path, rate: int = 200) -> subprocess.Popen:
    """Start sampling `pid` for `seconds` into `out` (py-spy's raw, folded-stack format; its messages beside it)."""
    spy = available()
    if spy is None:
        raise RuntimeError("py-spy is not installed (pip install -e '.[bench]')")
    with out.with_suffix(".log").open("wb") as messages:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([spy, "record", "--pid", str(pid), "--format", "raw", "--output", str(out),
                                 "--rate", str(rate), "--duration", str(int(seconds)), "--nonblocking"],
                                stdout=messages, stderr=subprocess.STDOUT)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Profile:
    """Busy samples of one or more processes: by part, and by the HTTP handler they ran under."""

    samples: int
    parts: dict[str, int]
    handlers: dict[str, int]

    def share(self, count: int) -> float:
        """`count` samples as a fraction of all busy samples."""
        return count / self.samples if self.samples else 0.0


def _file(frame: str) -> str:
    """`name (path/to/file.py:12)` -> `path/to/file.py`."""
    inside = frame.rpartition(" (")[2]
    return inside.rsplit(":", 1)[0] if ":" in inside else inside.rstrip(")")


def _part(frames: list[str]) -> str:
    if _file(frames[-1]) == "asyncio/selector_events.py":  # the innermost Python frame is the socket call itself
        return WRITES if frames[-1].partition(" (")[0].endswith(("write", "writelines", "sendto")) else READS
    for frame in reversed(frames):
        path = _file(frame)
        for label, prefixes in PARTS:
            if path.startswith(prefixes):
                return label
    return OTHER


def _handler(frames: list[str]) -> str | None:
    """The route handler (the outermost function in backend/http/routes/) the stack runs under."""
    for frame in frames:
        if _file(frame).startswith("backend/http/routes/"):
            return frame.partition(" (")[0]
    return None


def summarize(paths: list[Path]) -> Profile:
    """Add up py-spy raw outputs (one line a distinct stack: `frame;frame;... count`)."""
    parts: collections.Counter[str] = collections.Counter()
    handlers: collections.Counter[str] = collections.Counter()
    total = 0
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            frames, samples = stack.split(";"), int(count)
            total += samples
            parts[_part(frames)] += samples
            handler = _handler(frames)
            if handler:
                handlers[handler] += samples
    return Profile(samples=total, parts=dict(parts), handlers=dict(handlers))


def shares_table(before: Profile, after: Profile, *, of: str, cpu_ms: tuple[float, float]) -> list[list]:
    """Rows `[label, before share, before ms, after share, after ms]` of `of` (parts or handlers), largest after
    first; ms are the share of `cpu_ms` (CPU ms a formation, before and after)."""
    old, new = getattr(before, of), getattr(after, of)
    labels = sorted(set(old) | set(new), key=lambda k: (-new.get(k, 0), -old.get(k, 0)))
    rows = []
    for label in labels:
        was, now = before.share(old.get(label, 0)), after.share(new.get(label, 0))
        rows.append([label, f"{was:.1%}", f"{was * cpu_ms[0]:.1f}", f"{now:.1%}", f"{now * cpu_ms[1]:.1f}"])
    return rows
