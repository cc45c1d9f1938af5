"""The fake SMS gateway's outbox (mock mode only), in the database so every server process reads every message."""
from tortoise import fields
from tortoise.models import Model


class FakeSmsMessage(Model):
    """One text message the fake SMS gateway accepted (mock mode only), found by a keyed hash of its phone number."""

    id = fields.BigIntField(primary_key=True)  # the order of sending (the mock clock may move `sent_at` back)
    phone_hash = fields.CharField(max_length=64, db_index=True)  # keyed hash (HMAC) of the E.164 number, never the number
    text = fields.TextField()  # in clear: the fake inbox shows it, code included (mock mode only)
    sent_at = fields.DatetimeField()

    class Meta:
        table = "fake_sms_messages"
