"""One-stop follow-up (一网通办): the departments and banks subscribed to licence events, and each delivery."""
from tortoise import fields
from tortoise.models import Model


class Subscriber(Model):
    """A receiver of signed webhook events: the seal maker, the tax bureau, a bank."""

    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=200)
    kind = fields.CharField(max_length=32)  # seal_maker | tax_bureau | bank
    url = fields.CharField(max_length=500)
    secret_sealed = fields.BinaryField()  # the HMAC key its deliveries are signed with, encrypted at rest
    events = fields.JSONField(default=list)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "subscribers"


class Delivery(Model):
    """One event for one subscriber: written in the transaction of the change it reports, then delivered with
    retries; the event id is the idempotency key the receiver sees on every attempt."""

    id = fields.BigIntField(primary_key=True)
    subscriber = fields.ForeignKeyField("models.Subscriber", related_name="deliveries")
    event_id = fields.UUIDField()
    event_type = fields.CharField(max_length=64)
    payload = fields.JSONField()
    status = fields.CharField(max_length=16, default="pending", db_index=True)  # pending | delivered | failed
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    last_status = fields.IntField(null=True)
    last_error = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField()
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "deliveries"
        unique_together = (("subscriber", "event_id"),)
