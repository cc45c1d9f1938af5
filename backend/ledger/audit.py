"""Full audit of the stored log: every leaf hash, stored subtree hash and signed checkpoint, re-derived from the leaves.

`audit_log` streams `ledger_entries` in index order (keyset pages of raw SQL rows, no ORM objects), recomputes each
leaf hash from the leaf bytes, and rebuilds the tree on the fly with a right-edge stack. Because the Go tlog storage
layout numbers hashes in the order they become computable, the hashes a page of leaves creates form one contiguous
range of `ledger_hashes`, which is read in one query and compared as a whole list. The root at every checkpoint size
is folded from the stack as the stream passes that size, and each stored checkpoint must carry a valid signature by
a pinned log key, the pinned origin, its own size and exactly that root. All checkpoints then lie on one recomputed
tree, so each is consistent with the next. The first problem in log order stops the audit and is named in the
report (leaf index, storage index or checkpoint size, with the reason); work is O(n) hashing.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

from tortoise import connections

from backend.ledger.checkpoint import NoteVerifier, open_checkpoint, parse_note
from backend.ledger.errors import CheckpointError, LedgerError
from backend.ledger.hashing import EMPTY_ROOT
from backend.ledger.tiles import stored_hash_count
from backend.models import LedgerCheckpoint, LedgerHead

_LEAF, _NODE = b"\x00", b"\x01"


@dataclass(frozen=True)
class AuditFailure:
    """The first problem found: where ("entry", "hash", "checkpoint" or "head"), its index, and why."""

    where: str
    index: int
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """Return a one-line description naming the failing index."""
        label = {"entry": "entry index", "hash": "stored hash index", "checkpoint": "checkpoint size"}
        extra = "".join(f" {k}={v}" for k, v in self.detail.items())
        return f"{label.get(self.where, 'tree head size')} {self.index}: {self.reason}{extra}"


@dataclass(frozen=True)
class AuditReport:
    """The outcome: how much was verified, the recomputed root, and the first failure if any."""

    entries: int
    hashes: int
    checkpoints: int
    root: bytes
    seconds: float
    failure: AuditFailure | None = None

    @property
    def ok(self) -> bool:
        """Whether the whole log verified."""
        return self.failure is None

    def summary(self) -> str:
        """Return a readable multi-line summary."""
        head = "ledger audit OK" if self.ok else f"ledger audit FAILED at {self.failure.describe()}"  # type: ignore
        return (
            f"{head}\n  entries verified      {self.entries}\n  stored hashes checked {self.hashes}\n"
            f"  checkpoints checked   {self.checkpoints}\n  root of those entries {self.root.hex()}\n"
            f"  time                  {self.seconds:.2f}s"
        )


class _Failed(Exception):
    def __init__(self, failure: AuditFailure) -> None:
        super().__init__(failure.describe())
        self.failure = failure


class _Audit:
    """The streaming state: leaves absorbed, the right-edge stack, and the checkpoints still ahead."""

    def __init__(self, *, origin: str, verifiers: list[NoteVerifier], checkpoints: list[Any]) -> None:
        self.origin, self.verifiers = origin, verifiers
        self.pending = [(int(s), text, cosigs or "") for s, text, cosigs in checkpoints]
        self.pending.reverse()  # pop() yields the smallest size first
        self.size = 0
        self.stack: list[bytes] = []
        self.hashes = self.checkpoints = 0

    def root(self) -> bytes:
        """Return the root of the tree of the leaves absorbed so far."""
        if not self.stack:
            return EMPTY_ROOT
        acc = self.stack[-1]
        for left in reversed(self.stack[:-1]):
            acc = hashlib.sha256(_NODE + left + acc).digest()
        return acc

    def absorb(self, leaf_hashes: list[bytes], out: list[bytes]) -> None:
        """Append leaf hashes to the tree, adding every new stored hash to `out` in storage order."""
        stack, sha, n = self.stack, hashlib.sha256, self.size
        for acc in leaf_hashes:
            out.append(acc)
            m = n
            while m & 1:
                acc = sha(_NODE + stack.pop() + acc).digest()
                out.append(acc)
                m >>= 1
            stack.append(acc)
            n += 1
        self.size = n

    def check_checkpoints(self, *, upto: int, roots: dict[int, bytes]) -> None:
        """Check every pending checkpoint of size <= `upto` against the recomputed root at its size."""
        while self.pending and self.pending[-1][0] <= upto:
            size, text, cosignatures = self.pending.pop()
            self._check_checkpoint(size, text, cosignatures, root=roots[size])
            self.checkpoints += 1

    def _check_checkpoint(self, size: int, text: str, cosignatures: str, *, root: bytes) -> None:
        def fail(reason: str, **detail: Any) -> _Failed:
            return _Failed(AuditFailure("checkpoint", size, reason, detail))

        try:
            checkpoint = open_checkpoint(text, verifiers=self.verifiers, origin=self.origin)
        except CheckpointError as exc:
            raise fail(str(exc.params.get("reason", exc.code))) from None
        if checkpoint.size != size:
            raise fail("size_mismatch", signed_size=checkpoint.size)
        if checkpoint.root != root:
            raise fail("root_mismatch", expected=root.hex(), signed=checkpoint.root.hex())
        try:
            parse_note(text + cosignatures)
        except CheckpointError as exc:
            raise fail("bad_cosignature_lines", detail=str(exc.params.get("reason", exc.code))) from None


def _leaf_of_storage_index(k: int, *, lo: int, hi: int) -> int:
    """Return the leaf n in [lo, hi) whose append created storage index `k`."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if stored_hash_count(mid) <= k else (lo, mid)
    return lo


class _Reader:
    """Raw SQL pages of the two large tables, for SQLite and PostgreSQL."""

    def __init__(self) -> None:
        self.conn = connections.get("default")
        pg = self.conn.capabilities.dialect == "postgres"
        self.p = ["$1", "$2"] if pg else ["?", "?"]

    async def entries(self, *, after: int, limit: int) -> list[Any]:
        """Return up to `limit` (idx, leaf, leaf_hash) rows with idx > `after`, in index order."""
        sql = f"SELECT idx, leaf, leaf_hash FROM ledger_entries WHERE idx > {self.p[0]} ORDER BY idx LIMIT {self.p[1]}"  # noqa: S608 - fixed table names, bound values
        return list((await self.conn.execute_query(sql, [after, limit]))[1])

    async def hashes(self, *, start: int, end: int) -> list[Any]:
        """Return the (idx, hash) rows with start <= idx < end, in index order."""
        sql = f"SELECT idx, hash FROM ledger_hashes WHERE idx >= {self.p[0]} AND idx < {self.p[1]} ORDER BY idx"  # noqa: S608 - fixed table names, bound values
        return list((await self.conn.execute_query(sql, [start, end]))[1])

    async def first_outside(self, table: str, *, end: int) -> int | None:
        """Return the smallest idx of `table` that is negative or >= `end`, if any row has one."""
        sql = f"SELECT MIN(idx) FROM {table} WHERE idx < 0 OR idx >= {self.p[0]}"  # noqa: S608 - fixed table names, bound values
        rows = (await self.conn.execute_query(sql, [end]))[1]
        return None if not rows or rows[0][0] is None else int(rows[0][0])


def _check_entries(rows: list[Any], *, lo: int) -> tuple[list[bytes], AuditFailure | None]:
    """Return the recomputed leaf hashes of the good prefix of a page, and the failure that ends it (if any)."""
    sha = hashlib.sha256
    count = len(rows)
    if int(rows[0][0]) != lo or int(rows[-1][0]) != lo + count - 1:  # sorted unique keys: ends pin the whole range
        for pos, row in enumerate(rows):
            if int(row[0]) != lo + pos:
                reason = "missing_entry" if int(row[0]) > lo + pos else "unexpected_index"
                rows, failure = rows[:pos], AuditFailure("entry", lo + pos, reason, {"next_stored": int(row[0])})
                break
    else:
        failure = None
    computed = [sha(_LEAF + bytes(row[1])).digest() for row in rows]
    stored = [bytes(row[2]) for row in rows]
    if computed != stored:
        pos = next(i for i, (a, b) in enumerate(zip(computed, stored)) if a != b)
        detail = {"computed": computed[pos].hex(), "stored": stored[pos].hex()}
        return computed[:pos], AuditFailure("entry", lo + pos, "leaf_hash_mismatch", detail)
    return computed, failure


async def _check_hashes(reader: _Reader, audit: _Audit, leaf_hashes: list[bytes]) -> AuditFailure | None:
    """Absorb a run of good leaves, checking the stored hashes they create; checkpoints inside the run too."""
    lo = audit.size
    start, end = stored_hash_count(lo), stored_hash_count(lo + len(leaf_hashes))
    expected: list[bytes] = []
    sizes = sorted({s for s, _, _ in audit.pending if lo < s <= lo + len(leaf_hashes)})
    roots: dict[int, bytes] = {}
    cut = lo
    for s in sizes:  # fold the root at every checkpoint size on the way
        audit.absorb(leaf_hashes[cut - lo : s - lo], expected)
        roots[s], cut = audit.root(), s
    audit.absorb(leaf_hashes[cut - lo :], expected)
    rows = await reader.hashes(start=start, end=end)
    stored = [bytes(row[1]) for row in rows]
    failure = None
    if len(rows) != end - start:
        k = next((start + i for i, row in enumerate(rows) if int(row[0]) != start + i), start + len(rows))
        failure = AuditFailure("hash", k, "missing_hash", {})
    if stored != expected[: len(stored)]:
        i = next(i for i, (a, b) in enumerate(zip(stored, expected)) if a != b)
        if failure is None or start + i < failure.index:
            failure = AuditFailure("hash", start + i, "hash_mismatch", {"expected": expected[i].hex()})
    audit.hashes += len(stored) if failure is None else failure.index - start
    bad_leaf = None
    if failure is not None:
        bad_leaf = _leaf_of_storage_index(failure.index, lo=lo, hi=lo + len(leaf_hashes))
        failure.detail["leaf"] = bad_leaf
    # a checkpoint is reported before a hash failure only if it covers leaves before the bad one
    audit.check_checkpoints(upto=lo + len(leaf_hashes) if bad_leaf is None else bad_leaf, roots=roots)
    return failure


async def audit_log(*, origin: str, log_keys: list[str], batch: int = 10000) -> AuditReport:
    """Re-verify the whole stored log through the open ORM connection against the pinned origin and log keys."""
    started = time.perf_counter()
    verifiers = [NoteVerifier.from_verifier_key(k) for k in log_keys]
    if not verifiers:
        raise LedgerError(reason="no_log_key_pinned")
    if batch < 1:
        raise LedgerError(reason="bad_batch", batch=batch)
    checkpoints = await LedgerCheckpoint.all().order_by("size").values_list("size", "text", "cosignatures")
    audit = _Audit(origin=origin, verifiers=verifiers, checkpoints=list(checkpoints))
    reader = _Reader()
    failure: AuditFailure | None = None
    try:
        audit.check_checkpoints(upto=0, roots={0: EMPTY_ROOT})
        while True:
            rows = await reader.entries(after=audit.size - 1, limit=batch)
            if not rows:
                break
            leaf_hashes, failure = _check_entries(rows, lo=audit.size)
            hash_failure = await _check_hashes(reader, audit, leaf_hashes)
            failure = hash_failure or failure
            if failure is not None:
                break
        if failure is None:
            failure = await _finish(reader, audit)
    except _Failed as exc:
        failure = exc.failure
    return AuditReport(
        entries=audit.size, hashes=audit.hashes, checkpoints=audit.checkpoints, root=audit.root(),
        seconds=time.perf_counter() - started, failure=failure,
    )


async def _finish(reader: _Reader, audit: _Audit) -> AuditFailure | None:
    """After the last entry: entries the head counts but that are missing, strays, checkpoints beyond the log."""
    heads = await LedgerHead.filter(id=1).values_list("size", flat=True)
    head = int(heads[0]) if heads else 0
    if head > audit.size:
        return AuditFailure("entry", audit.size, "missing_entry", {"head_size": head})
    stray = await reader.first_outside("ledger_entries", end=audit.size)
    if stray is not None:
        return AuditFailure("entry", stray, "unexpected_index", {"entries": audit.size})
    if audit.pending:
        size = audit.pending[-1][0]
        return AuditFailure("checkpoint", size, "checkpoint_beyond_log", {"entries": audit.size})
    stray = await reader.first_outside("ledger_hashes", end=stored_hash_count(audit.size))
    if stray is not None:
        return AuditFailure("hash", stray, "unexpected_hash", {"entries": audit.size})
    if head != audit.size:
        return AuditFailure("head", head, "head_size_mismatch", {"entries": audit.size})
    return None
