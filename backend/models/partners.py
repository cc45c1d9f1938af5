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


class PartnerAttestation(Model):
    """A partner's signed attestation that it verified a participant in person (a compact JWS over hashes and ids
    only), as it came and as it went to the ledger."""

    id = fields.UUIDField(primary_key=True)
    partner = fields.ForeignKeyField("models.Partner", related_name="attestations")
    application = fields.ForeignKeyField("models.Application", related_name="attestations")
    participant_id = fields.UUIDField(db_index=True)
    verification_id = fields.UUIDField()
    jws = fields.TextField()
    payload_sha256 = fields.CharField(max_length=64, unique=True)  # the same attestation is recorded once
    assurance = fields.CharField(max_length=32)
    created_at = fields.DatetimeField()

    class Meta:
        table = "partner_attestations"
