"""The witness's state: the latest cosigned checkpoint per origin in a SQLite file (stdlib sqlite3, synchronous=FULL).

Every method is blocking and opens its own short connection, so callers may run them in worker threads
(`asyncio.to_thread`) and several processes may share one file. Writes are compare-and-swap on the stored size.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from backend.ledger.checkpoint import Checkpoint
from backend.ledger.errors import LedgerError
from backend.ledger.hashing import EMPTY_ROOT

_SCHEMA = """
CREATE TABLE IF NOT EXISTS witness_checkpoints (
    origin TEXT PRIMARY KEY,
    size INTEGER NOT NULL CHECK (size > 0),
    root BLOB NOT NULL CHECK (length(root) = 32),
    checkpoint TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Latest:
    """The latest checkpoint the witness cosigned for an origin (size 0 and the empty-tree root if none)."""

    origin: str
    size: int
    root: bytes
    note: str | None


class WitnessStore:
    """Latest cosigned checkpoint per origin, in one SQLite table."""

    def __init__(self, path: str | Path, *, busy_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self._timeout = busy_timeout
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    def latest(self, *, origin: str) -> Latest:
        """Return the latest cosigned checkpoint of `origin` (size 0, empty-tree root and no note if none)."""
        with closing(self._connect()) as conn:
            row = conn.execute(
                "SELECT size, root, checkpoint FROM witness_checkpoints WHERE origin = ?", (origin,)
            ).fetchone()
        if row is None:
            return Latest(origin=origin, size=0, root=EMPTY_ROOT, note=None)
        return Latest(origin=origin, size=int(row[0]), root=bytes(row[1]), note=str(row[2]))

    def compare_and_swap(self, *, old_size: int, checkpoint: Checkpoint, note: str) -> bool:
        """Store `checkpoint` (signed `note`) if the stored size of its origin is still `old_size`; return success."""
        if not 0 <= old_size < checkpoint.size:
            raise LedgerError(reason="witness_state_not_growing", old_size=old_size, size=checkpoint.size)
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if old_size == 0:
                    cursor = conn.execute(
                        "INSERT INTO witness_checkpoints (origin, size, root, checkpoint) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (origin) DO NOTHING",
                        (checkpoint.origin, checkpoint.size, checkpoint.root, note),
                    )
                else:
                    cursor = conn.execute(
                        "UPDATE witness_checkpoints SET size = ?, root = ?, checkpoint = ? "
                        "WHERE origin = ? AND size = ?",
                        (checkpoint.size, checkpoint.root, note, checkpoint.origin, old_size),
                    )
                won = cursor.rowcount == 1
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return won
