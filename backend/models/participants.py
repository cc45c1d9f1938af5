"""Participants of an application, their verifications, consents and audited views of personal data."""
from tortoise import fields
from tortoise.models import Model


class Participant(Model):
    """A natural person or corporate shareholder on an application, every personal field sealed (encrypted)."""

    id = fields.UUIDField(primary_key=True)
    application = fields.ForeignKeyField("models.Application", related_name="participants")
    user = fields.ForeignKeyField("models.User", related_name="participations", null=True)  # who this person is
    kind = fields.CharField(max_length=16)  # person | company
    roles = fields.JSONField()  # role codes of backend.domain.participants.Role
    document_type = fields.CharField(max_length=48)
    sealed = fields.BinaryField()  # name, number, expiry, birth date, sex, salt of the ledger commitment
    key_id = fields.CharField(max_length=32)  # the data key that sealed `sealed`
    number_index = fields.CharField(max_length=64, db_index=True)  # blind index (HMAC-SHA256) of type + number
    digest = fields.CharField(max_length=64)  # blind index of name + type + number: detects a changed identity
    representative_id = fields.UUIDField(null=True)  # a company's legal representative (a participant)
    contribution = fields.JSONField(null=True)  # a shareholder's subscribed amount, form, deadline (not personal data)
    invitation_hash = fields.CharField(max_length=64, null=True)  # SHA-256 of the one-time code linking a user
    status = fields.CharField(max_length=24)  # unverified | pending_face | pending_attestation | pending_video | verified
    assurance = fields.CharField(max_length=32, null=True)  # wechat_face | partner_attestation | video
    verified_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "participants"


class Verification(Model):
    """One identity verification of a participant by a path other than a face check in the mini-program."""

    id = fields.UUIDField(primary_key=True)
    participant = fields.ForeignKeyField("models.Participant", related_name="verifications")
    method = fields.CharField(max_length=32)  # partner_attestation | video
    status = fields.CharField(max_length=16)  # pending | passed | rejected | invalidated
    assurance = fields.CharField(max_length=32)
    participant_digest = fields.CharField(max_length=64)  # the identity it was made against
    reference = fields.CharField(max_length=64, null=True)  # the partner's or officer's reference, not personal
    closed_by = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "verifications"


class Consent(Model):
    """A person's separate consent (PIPL Art. 29) to the processing of sensitive identity data for an application."""

    id = fields.UUIDField(primary_key=True)
    user = fields.ForeignKeyField("models.User", related_name="consents")
    application = fields.ForeignKeyField("models.Application", related_name="consents")
    purpose = fields.CharField(max_length=48)
    text_version = fields.CharField(max_length=48)
    text_sha256 = fields.CharField(max_length=64)
    granted_at = fields.DatetimeField()
    withdrawn_at = fields.DatetimeField(null=True)

    class Meta:
        table = "consents"


class DataAccess(Model):
    """An audited view of clear personal data by a reviewer."""

    id = fields.BigIntField(primary_key=True)
    viewer = fields.CharField(max_length=64)
    role = fields.CharField(max_length=32)
    application_id = fields.UUIDField()
    participant_id = fields.UUIDField(null=True)
    purpose = fields.CharField(max_length=64)
    at = fields.DatetimeField()

    class Meta:
        table = "data_access_log"
