"""The outbox of WeChat subscribe messages telling applicants that their application's status changed."""
from tortoise import fields
from tortoise.models import Model


class SubscribeMessage(Model):
    """One message for one status change, written in the change's transaction and then sent (or given up)."""

    id = fields.BigIntField(primary_key=True)
    record_id = fields.BigIntField(unique=True)  # the ledger record of the status change: one message per change
    user = fields.ForeignKeyField("models.User", related_name="subscribe_messages")
    application_id = fields.UUIDField(db_index=True)
    event = fields.CharField(max_length=32)  # in_review | rejected | info_requested | licensed | licence_revoked ...
    template_id = fields.CharField(max_length=64)
    page = fields.CharField(max_length=200)
    data = fields.JSONField()
    status = fields.CharField(max_length=16, default="pending", db_index=True)  # pending | sent | refused | failed
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    last_error = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "subscribe_messages"
