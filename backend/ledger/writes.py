"""Writing one append: the entries, the new stored hashes, the records' indexes and the head's compare-and-set.

On PostgreSQL all four are one statement (data-modifying CTEs over arrays: one round trip, not four); elsewhere
they are the ORM's bulk inserts and updates. Either way they run in the caller's transaction, which rolls back whole
when the head moved (`write_append` then returns False).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from tortoise.backends.base.client import BaseDBAsyncClient

from backend.models import LedgerEntry, LedgerHash, LedgerHead, LedgerRecord

HEAD_ID = 1

_POSTGRES_APPEND = """
WITH entries AS (
    INSERT INTO ledger_entries (idx, leaf, leaf_hash)
    SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[])
), hashes AS (
    INSERT INTO ledger_hashes (idx, hash) SELECT * FROM unnest($4::bigint[], $5::bytea[])
), records AS (
    UPDATE ledger_records SET ledger_index = given.idx
    FROM unnest($6::bigint[], $7::bigint[]) AS given (idx, id) WHERE ledger_records.id = given.id
)
UPDATE ledger_head SET size = $8 WHERE id = $9 AND size = $10 RETURNING size
"""


async def write_append(
    conn: BaseDBAsyncClient, *, size: int, leaves: Sequence[bytes], leaf_hashes: Sequence[bytes],
    new_hashes: Mapping[int, bytes], record_ids: Sequence[int] = (),
) -> bool:
    """Write leaves `size`.. with their hashes, give `record_ids` (one a leaf, in order) their indexes and move the
    head from `size`; False when another writer moved it first."""
    indexes = list(range(size, size + len(leaves)))
    if conn.capabilities.dialect == "postgres":
        stored = sorted(new_hashes.items())
        _, rows = await conn.execute_query(_POSTGRES_APPEND, [
            indexes, list(leaves), list(leaf_hashes), [i for i, _ in stored], [h for _, h in stored],
            indexes[: len(record_ids)], list(record_ids), size + len(leaves), HEAD_ID, size,
        ])
        return len(rows) == 1
    await LedgerEntry.bulk_create(
        [LedgerEntry(idx=i, leaf=leaf, leaf_hash=h) for i, leaf, h in zip(indexes, leaves, leaf_hashes)], using_db=conn
    )
    await LedgerHash.bulk_create([LedgerHash(idx=i, hash=h) for i, h in sorted(new_hashes.items())], using_db=conn)
    if record_ids:  # one round trip for the whole batch
        await conn.execute_many(
            f"UPDATE {LedgerRecord._meta.db_table} SET ledger_index = ? WHERE id = ?",  # noqa: S608 - model table, placeholders
            [[index, record_id] for index, record_id in zip(indexes, record_ids)],
        )
    moved = await LedgerHead.filter(id=HEAD_ID, size=size).using_db(conn).update(size=size + len(leaves))
    return moved == 1
