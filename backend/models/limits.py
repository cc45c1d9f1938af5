"""Request budgets shared by every server process: one counter per (budget, client, minute)."""
from tortoise import fields
from tortoise.models import Model


class RateCounter(Model):
    """How many requests `client` made against `bucket` in the minute `minute` (Unix time in minutes)."""

    id = fields.BigIntField(primary_key=True)
    bucket = fields.CharField(max_length=32)
    client = fields.CharField(max_length=128)
    minute = fields.BigIntField(db_index=True)
    hits = fields.IntField(default=0)

    class Meta:
        table = "rate_counters"
        unique_together = (("bucket", "client", "minute"),)
