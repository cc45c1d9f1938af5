"""The ledger's database store: append in a caller's transaction, read entries, roots, proofs and checkpoints.

Appends take the tree head row (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers itself), insert the
entries (their unique index makes a gap, a duplicate or a fork impossible), insert the new stored subtree hashes and
advance the head with a compare-and-set on the size. Everything commits with the caller's transaction, so an index
is durable before the step it records is acknowledged. Proofs read O(log n) stored hashes.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from backend.errors import Conflict
from backend.ledger import tiles
from backend.ledger.checkpoint import Checkpoint, NoteSigner
from backend.ledger.errors import LedgerError
from backend.ledger.hashing import leaf_hash
from backend.models import LedgerCheckpoint, LedgerEntry, LedgerHash, LedgerHead

HEAD_ID = 1


class LedgerContention(Conflict):
    """Another writer advanced the tree first; the caller's transaction must be retried."""

    default_code = "ledger_contention"


class LedgerStore:
    """Append-only access to the log tables, plus checkpoint signing."""

    def __init__(self, *, signer: NoteSigner, origin: str) -> None:
        self._signer = signer
        self._origin = origin

    @property
    def origin(self) -> str:
        """The log's origin line."""
        return self._origin

    @property
    def verifier_key(self) -> str:
        """The published verifier key of the log."""
        return self._signer.verifier_key()

    async def ensure_head(self) -> None:
        """Create the tree head row if this is a new database."""
        try:
            await LedgerHead.get_or_create(id=HEAD_ID, defaults={"size": 0})
        except IntegrityError:  # another process created it at the same moment
            pass

    async def append(self, leaves: Sequence[bytes], *, conn: BaseDBAsyncClient) -> int:
        """Append `leaves` inside the caller's transaction `conn`; return the index of the first."""
        if not leaves:
            raise LedgerError(reason="empty_append")
        head = await LedgerHead.filter(id=HEAD_ID).select_for_update().using_db(conn).get()
        size = head.size
        hashes = [leaf_hash(leaf) for leaf in leaves]
        known = await self._read_hashes(tiles.append_needed_indexes(size), conn=conn)
        new = tiles.hashes_for_append(size=size, leaf_hashes=hashes, known=known)
        await LedgerEntry.bulk_create(
            [LedgerEntry(idx=size + i, leaf=leaf, leaf_hash=h) for i, (leaf, h) in enumerate(zip(leaves, hashes))],
            using_db=conn,
        )
        await LedgerHash.bulk_create([LedgerHash(idx=i, hash=h) for i, h in sorted(new.items())], using_db=conn)
        moved = await LedgerHead.filter(id=HEAD_ID, size=size).using_db(conn).update(size=size + len(leaves))
        if moved != 1:
            raise LedgerContention(size=size)
        return size

    async def size(self) -> int:
        """Return the current tree size."""
        head = await LedgerHead.get_or_none(id=HEAD_ID)
        return head.size if head else 0

    async def entry(self, index: int) -> LedgerEntry | None:
        """Return the entry at `index`, or None."""
        return await LedgerEntry.get_or_none(idx=index)

    async def root(self, size: int) -> bytes:
        """Return the root hash of the tree of `size` leaves."""
        known = await self._read_hashes(tiles.tree_hash_indexes(size))
        return tiles.tree_hash_from(size=size, known=known)

    async def inclusion_proof(self, *, index: int, size: int) -> list[bytes]:
        """Return the RFC 9162 inclusion proof of leaf `index` in the tree of `size`."""
        self._check_range(index=index, size=size, current=await self.size())
        known = await self._read_hashes(tiles.inclusion_proof_indexes(index=index, size=size))
        return tiles.inclusion_proof_from(index=index, size=size, known=known)

    async def consistency_proof(self, *, old_size: int, size: int) -> list[bytes]:
        """Return the RFC 9162 consistency proof from `old_size` to `size`."""
        current = await self.size()
        if not 0 < old_size <= size <= current:
            raise LedgerError("ledger_range_invalid", old_size=old_size, size=size, current=current)
        known = await self._read_hashes(tiles.consistency_proof_indexes(old_size=old_size, size=size))
        return tiles.consistency_proof_from(old_size=old_size, size=size, known=known)

    async def checkpoint(self, *, size: int | None = None, now: dt.datetime) -> tuple[int, str]:
        """Return the signed checkpoint for `size` (default: the current size), signing it once if needed."""
        if size is None:
            size = await self.size()
        stored = await LedgerCheckpoint.get_or_none(size=size)
        if stored is not None:
            return size, stored.text
        if size > await self.size():
            raise LedgerError("ledger_range_invalid", size=size)
        body = Checkpoint(origin=self._origin, size=size, root=await self.root(size)).body()
        text = self._signer.sign(body)
        try:
            await LedgerCheckpoint.create(size=size, text=text, created_at=now)
        except IntegrityError:  # signed concurrently; Ed25519 is deterministic, so the stored text is the same
            stored = await LedgerCheckpoint.get(size=size)
            text = stored.text
        return size, text

    @staticmethod
    def _check_range(*, index: int, size: int, current: int) -> None:
        if not 0 <= index < size <= current:
            raise LedgerError("ledger_range_invalid", index=index, size=size, current=current)

    @staticmethod
    async def _read_hashes(indexes: Iterable[int], *, conn: BaseDBAsyncClient | None = None) -> dict[int, bytes]:
        wanted = sorted(set(indexes))
        if not wanted:
            return {}
        query = LedgerHash.filter(idx__in=wanted)
        if conn is not None:
            query = query.using_db(conn)
        return {row.idx: bytes(row.hash) for row in await query}
