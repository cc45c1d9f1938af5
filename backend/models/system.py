"""Service-wide rows."""
from tortoise import fields
from tortoise.models import Model


class ClockOffset(Model):
    """The mock clock’s offset, shared by every server process (one row, id 1)."""

    id = fields.IntField(primary_key=True)
    offset_seconds = fields.FloatField(default=0.0)

    class Meta:
        table = "clock_offset"
