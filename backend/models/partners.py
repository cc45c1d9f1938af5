"""Partner organisations in Hong Kong and Macau (banks, notaries, service centres) and the nonces of their requests."""
from tortoise import fields
from tortoise.models import Model


class Partner(Model):
    """A partner registered by an admin: its Ed25519 request-signing key, what it may do, how fast."""

    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=200)
    kind = fields.CharField(max_length=32)  # bank | notary | service_centre
    region = fields.CharField(max_length=2)  # HK | MO
    key_id = fields.CharField(max_length=128, unique=True)  # the RFC 9421 keyid its requests name
    public_key = fields.BinaryField()  # raw 32-byte Ed25519 public key
    scopes = fields.JSONField(default=list)
    rate_limit_per_minute = fields.IntField(default=60)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "partners"


class PartnerRequest(Model):
    """One accepted signed request: its nonce (unique per partner, so a replay is refused) and when it came, which
    also counts the partner's requests per minute across every server process."""

    id = fields.BigIntField(primary_key=True)
    partner = fields.ForeignKeyField("models.Partner", related_name="requests")
    nonce = fields.CharField(max_length=128)
    received_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "partner_requests"
        unique_together = (("partner", "nonce"),)
