"""The formation ledger’s tables: entries, stored subtree hashes, the tree head and signed checkpoints."""
from tortoise import fields
from tortoise.models import Model


class LedgerHead(Model):
    """The tree size, advanced only by compare-and-set (one row, id 1)."""

    id = fields.IntField(primary_key=True)
    size = fields.BigIntField(default=0)

    class Meta:
        table = "ledger_head"


class LedgerEntry(Model):
    """One leaf of the log, `idx` is its position, unique, so the log can never fork."""

    idx = fields.BigIntField(primary_key=True, generated=False)
    leaf = fields.BinaryField()
    leaf_hash = fields.BinaryField()

    class Meta:
        table = "ledger_entries"


class LedgerHash(Model):
    """A stored subtree hash at its storage index (Go tlog layout), proofs read O(log n) of these."""

    idx = fields.BigIntField(primary_key=True, generated=False)
    hash = fields.BinaryField()

    class Meta:
        table = "ledger_hashes"


class LedgerCheckpoint(Model):
    """A checkpoint the log has signed, at most one per size."""

    size = fields.BigIntField(primary_key=True, generated=False)
    text = fields.TextField()  # the log's signed note
    cosignatures = fields.TextField(default="")  # witness cosignature lines, appended as they arrive
    created_at = fields.DatetimeField()

    class Meta:
        table = "ledger_checkpoints"
