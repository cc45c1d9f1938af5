"""The ledger's database store: append in a caller's transaction, read entries, roots, proofs and checkpoints.

Appends take the tree head row (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers itself), insert the
entries (their unique index makes a gap, a duplicate or a fork impossible), insert the new stored subtree hashes and
advance the head with a compare-and-set on the size. Everything commits with the caller's transaction, so an index
is durable before the step it records is acknowledged. Proofs read O(log n) stored hashes.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Sequence

from cachetools import LRUCache
from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.errors import Conflict
from backend.ledger import tiles
from backend.ledger.checkpoint import Checkpoint, NoteSigner, parse_note
from backend.ledger.errors import LedgerError
from backend.ledger.hashing import leaf_hash
from backend.ledger.proofs import verify_consistency
from backend.ledger.writes import HEAD_ID, write_append
from backend.models import LedgerCheckpoint, LedgerEntry, LedgerHash, LedgerHead

log = logging.getLogger(__name__)


class LedgerContention(Conflict):
    """Another writer advanced the tree first; the caller's transaction must be retried."""

    default_code = "ledger_contention"


class LedgerInconsistent(LedgerError):
    """The stored tree contradicts a checkpoint already signed: signing stops until an operator audits the log."""

    status = 503
    default_code = "ledger_inconsistent"


class LedgerStore:
    """Append-only access to the log tables, plus checkpoint signing.

    `signers`: the log's keys, the current one first. During a key rotation the old and the new key both sign
    every checkpoint, so verifiers that pin either accept it; once all have moved, the old key is dropped.
    """

    def __init__(self, *, signers: Sequence[NoteSigner], origin: str) -> None:
        if not signers:
            raise LedgerError(reason="no_signing_key")
        self._signers = tuple(signers)
        self._origin = origin
        # The tree only grows, so a size once read stays valid: proofs up to it need no read of the head row.
        self._seen_size = 0
        # Leaves and inclusion proofs at a given size never change: the public read path keeps the recent ones.
        self._leaves: LRUCache[int, bytes] = LRUCache(maxsize=50_000)
        self._proofs: LRUCache[tuple[int, int], list[bytes]] = LRUCache(maxsize=50_000)
        self._for_proofs: tuple[float, int, str] | None = None  # (monotonic time, size, note) last served to verifiers

    @property
    def origin(self) -> str:
        """The log's origin line."""
        return self._origin

    @property
    def verifier_key(self) -> str:
        """The published verifier key of the log's current signing key."""
        return self._signers[0].verifier_key()

    @property
    def verifier_keys(self) -> list[str]:
        """The verifier keys of every key that signs checkpoints (current first)."""
        return [signer.verifier_key() for signer in self._signers]

    async def ensure_head(self) -> None:
        """Create the tree head row if this is a new database."""
        try:
            await LedgerHead.get_or_create(id=HEAD_ID, defaults={"size": 0})
        except IntegrityError:  # another process created it at the same moment
            pass

    async def append(self, leaves: Sequence[bytes], *, conn: BaseDBAsyncClient, locked_size: int | None = None,
                     record_ids: Sequence[int] = ()) -> int:
        """Append `leaves` inside the caller's transaction `conn`; return the index of the first.

        `locked_size`: the size the caller read when it locked the head row in `conn` (saves locking it again);
        `record_ids`: outbox records (one a leaf, in order) given their indexes in the same write."""
        if not leaves:
            raise LedgerError(reason="empty_append")
        if locked_size is None:
            locked_size = (await LedgerHead.filter(id=HEAD_ID).select_for_update().using_db(conn).get()).size
        size = locked_size
        hashes = [leaf_hash(leaf) for leaf in leaves]
        known = await self._read_hashes(tiles.append_needed_indexes(size), conn=conn)
        new = tiles.hashes_for_append(size=size, leaf_hashes=hashes, known=known)
        if not await write_append(conn, size=size, leaves=leaves, leaf_hashes=hashes, new_hashes=new,
                                  record_ids=record_ids):
            raise LedgerContention(size=size)
        return size

    async def size(self) -> int:
        """Return the current tree size."""
        head = await LedgerHead.get_or_none(id=HEAD_ID)
        size = head.size if head else 0
        self._seen_size = max(self._seen_size, size)
        return size

    async def _covers(self, size: int) -> int:
        """Return a tree size at least `size` when the log has grown that far (read from the head only if needed)."""
        return self._seen_size if size <= self._seen_size else await self.size()

    async def entry(self, index: int) -> LedgerEntry | None:
        """Return the entry at `index`, or None."""
        return await LedgerEntry.get_or_none(idx=index)

    async def root(self, size: int) -> bytes:
        """Return the root hash of the tree of `size` leaves."""
        known = await self._read_hashes(tiles.tree_hash_indexes(size))
        return tiles.tree_hash_from(size=size, known=known)

    async def leaf(self, index: int) -> bytes | None:
        """Return the leaf bytes at `index`, or None (kept in memory once read: entries never change)."""
        cached = self._leaves.get(index)
        if cached is None:
            entry = await self.entry(index)
            if entry is None:
                return None
            cached = self._leaves[index] = bytes(entry.leaf)
        return cached

    async def inclusion_proof(self, *, index: int, size: int) -> list[bytes]:
        """Return the RFC 9162 inclusion proof of leaf `index` in the tree of `size`."""
        cached = self._proofs.get((index, size))
        if cached is not None:
            return list(cached)
        self._check_range(index=index, size=size, current=await self._covers(size))
        known = await self._read_hashes(tiles.inclusion_proof_indexes(index=index, size=size))
        proof = tiles.inclusion_proof_from(index=index, size=size, known=known)
        self._proofs[(index, size)] = list(proof)
        return proof

    async def consistency_proof(self, *, old_size: int, size: int) -> list[bytes]:
        """Return the RFC 9162 consistency proof from `old_size` to `size`."""
        current = await self._covers(size)
        if not 0 < old_size <= size <= current:
            raise LedgerError("ledger_range_invalid", old_size=old_size, size=size, current=current)
        known = await self._read_hashes(tiles.consistency_proof_indexes(old_size=old_size, size=size))
        return tiles.consistency_proof_from(old_size=old_size, size=size, known=known)

    async def checkpoint(self, *, size: int | None = None, now: dt.datetime) -> tuple[int, str]:
        """Return the checkpoint for `size` (default: the current size), signed by the log (once) and followed by
        the witness cosignatures collected so far."""
        row = await self._signed(size=size, now=now)
        return row.size, row.text + row.cosignatures

    async def log_note(self, *, size: int | None = None, now: dt.datetime) -> tuple[int, str]:
        """Return the checkpoint for `size` (default: the current size) with the log's signatures only."""
        row = await self._signed(size=size, now=now)
        return row.size, row.text

    async def _signed(self, *, size: int | None, now: dt.datetime) -> LedgerCheckpoint:
        """Sign the checkpoint of `size` unless it is signed already.

        Before signing, the new tree is proved consistent with the nearest checkpoints already signed (smaller and
        larger): the log never signs two checkpoints that contradict each other, even if its tables were edited.
        """
        if size is None:
            size = await self.size()
        stored = await LedgerCheckpoint.get_or_none(size=size)
        if stored is not None:
            return stored
        if size > await self.size():
            raise LedgerError("ledger_range_invalid", size=size)
        root = await self.root(size)
        await self._check_consistent_with_signed(size=size, root=root)
        body = Checkpoint(origin=self._origin, size=size, root=root).body()
        text = body + "\n" + "".join(signer.signature_line(body) for signer in self._signers)
        try:
            return await LedgerCheckpoint.create(size=size, text=text, created_at=now)
        except IntegrityError:  # signed concurrently; Ed25519 is deterministic, so the stored text is the same
            return await LedgerCheckpoint.get(size=size)

    async def checkpoint_for_proofs(self, *, covering: int, now: dt.datetime, max_age: float) -> tuple[int, str]:
        """Return (size, note) of the checkpoint to prove leaf `covering` against: the newest one the witnesses
        cosigned that contains it, else the newest signed one (signed now if needed). The answer is reused for
        `max_age` seconds while it still contains the leaf: any signed checkpoint is a valid one to prove against."""
        cached = self._for_proofs
        if cached is not None and cached[1] > covering and time.monotonic() - cached[0] < max_age:
            return cached[1], cached[2]
        cosigned = await LedgerCheckpoint.filter(size__gt=covering).exclude(cosignatures="").order_by("-size").first()
        if cosigned is not None:
            size, note = cosigned.size, cosigned.text + cosigned.cosignatures
        else:
            size, note = await self.checkpoint(now=now)
        self._for_proofs = (time.monotonic(), size, note)
        return size, note

    async def latest_checkpoint(self) -> LedgerCheckpoint | None:
        """The largest checkpoint signed so far, with any witness cosignatures collected for it."""
        return await LedgerCheckpoint.all().order_by("-size").first()

    async def add_cosignatures(self, *, size: int, lines: Sequence[str]) -> None:
        """Store witness cosignature lines for the checkpoint of `size` (lines already present are skipped)."""
        async with in_transaction() as conn:
            row = await LedgerCheckpoint.filter(size=size).select_for_update().using_db(conn).get()
            present = row.cosignatures.splitlines(keepends=True)
            added = [line if line.endswith("\n") else line + "\n" for line in lines]
            merged = present + [line for line in added if line not in present]
            if merged != present:
                await LedgerCheckpoint.filter(size=size).using_db(conn).update(cosignatures="".join(merged))
        self._for_proofs = None  # verifiers get the cosigned checkpoint from now on

    async def _check_consistent_with_signed(self, *, size: int, root: bytes) -> None:
        before = await LedgerCheckpoint.filter(size__lt=size).order_by("-size").first()
        after = await LedgerCheckpoint.filter(size__gt=size).order_by("size").first()
        for older, newer, older_root, newer_root in (
            (before.size if before else 0, size, _root_of(before), root),
            (size, after.size if after else 0, root, _root_of(after)),
        ):
            if older == 0 or newer == 0 or older_root is None or newer_root is None:
                continue
            proof = await self.consistency_proof(old_size=older, size=newer)
            try:
                verify_consistency(old_size=older, size=newer, old_root=older_root, root=newer_root, proof=proof)
            except LedgerError as exc:
                log.critical("refusing to sign: tree of size %d is inconsistent with checkpoint %d", newer, older)
                raise LedgerInconsistent(old_size=older, size=newer) from exc

    @staticmethod
    def _check_range(*, index: int, size: int, current: int) -> None:
        if not 0 <= index < size <= current:
            raise LedgerError("ledger_range_invalid", index=index, size=size, current=current)

    @staticmethod
    async def _read_hashes(indexes: Iterable[int], *, conn: BaseDBAsyncClient | None = None) -> dict[int, bytes]:
        """Read the stored hashes at `indexes` in one parameterised query (proofs sit on the hot public read path,
        so this skips the ORM's model building)."""
        wanted = sorted(set(indexes))
        if not wanted:
            return {}
        conn = conn or connections.get("default")
        if conn.capabilities.dialect == "postgres":
            marks = ", ".join(f"${i}" for i in range(1, len(wanted) + 1))
        else:
            marks = ", ".join("?" * len(wanted))
        table = LedgerHash._meta.db_table
        _, rows = await conn.execute_query(f"SELECT idx, hash FROM {table} WHERE idx IN ({marks})", wanted)  # noqa: S608 - model table, placeholders
        return {int(row[0]): bytes(row[1]) for row in rows}


def _root_of(stored: LedgerCheckpoint | None) -> bytes | None:
    if stored is None:
        return None
    body, _ = parse_note(stored.text)
    return Checkpoint.parse_body(body).root
