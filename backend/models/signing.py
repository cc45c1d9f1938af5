"""One-time codes that confirm a signature where no face check can (partner-attested signers)."""
from tortoise import fields
from tortoise.models import Model


class SigningCode(Model):
    """A one-time code sent to the phone of a signer, used once within its validity and kept as a keyed hash."""

    id = fields.UUIDField(primary_key=True)
    application = fields.ForeignKeyField("models.Application", related_name="signing_codes")
    participant_id = fields.UUIDField(db_index=True)
    participant_digest = fields.CharField(max_length=64)  # the identity it was issued against
    code_hash = fields.CharField(max_length=64)  # keyed hash (HMAC) of the code
    link_hash = fields.CharField(max_length=64, null=True, unique=True)  # SHA-256 of a remote confirmation link's token
    phone_sealed = fields.BinaryField()  # where the code went, encrypted
    issued_by = fields.CharField(max_length=64)  # "user:<id>" or "partner:<id>"
    attempts = fields.IntField(default=0)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "signing_codes"


class SignedCopy(Model):
    """A binding document with every signature made so far embedded as PAdES signatures (a derived file: the
    binding PDF is its untouched prefix, so the binding hash stays the one signed). Sealed at rest."""

    id = fields.UUIDField(primary_key=True)
    document = fields.ForeignKeyField("models.Document", related_name="signed_copies", unique=True)
    sealed = fields.BinaryField()
    sha256 = fields.CharField(max_length=64)  # of the signed copy as it is now
    signatures = fields.IntField(default=0)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "signed_copies"
