"""Every unified social credit code ever allocated: the serial is the row's key, so a code is never issued twice."""
from tortoise import fields
from tortoise.models import Model


class UsccAllocation(Model):
    """One allocated code, committed before it is used: an abandoned one stays here and is never reissued."""

    serial = fields.IntField(primary_key=True)  # SERIAL on PostgreSQL, AUTOINCREMENT on SQLite: never reused
    code = fields.CharField(max_length=18, unique=True, null=True)  # null only inside the allocating transaction
    application_id = fields.UUIDField(null=True)  # what it was allocated for
    allocated_at = fields.DatetimeField()

    class Meta:
        table = "uscc_allocations"
