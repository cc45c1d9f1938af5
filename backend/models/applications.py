"""A formation application and what hangs off it."""
from tortoise import fields
from tortoise.models import Model


class Application(Model):
    """One company formation, owned by the user who started it."""

    id = fields.UUIDField(primary_key=True)
    owner = fields.ForeignKeyField("models.User", related_name="applications")
    entity_type = fields.CharField(max_length=48)
    state = fields.CharField(max_length=32, db_index=True)
    version = fields.IntField(default=0)
    company_name = fields.CharField(max_length=100, null=True)
    details = fields.JSONField(null=True)  # address, scope, capital: not personal data
    details_digest = fields.CharField(max_length=64, null=True)
    identity_digest = fields.CharField(max_length=64, null=True)  # of the founder identity last verified
    contact_sealed = fields.BinaryField(null=True)  # liaison phone, encrypted
    review = fields.JSONField(null=True)
    governance = fields.JSONField(null=True)  # board and supervision chosen (backend.domain.participants.Governance)
    # the partner that submitted it for an applicant it verified in person (the owner is then not a WeChat user)
    partner_id = fields.UUIDField(null=True, db_index=True)
    partner_reference = fields.CharField(max_length=64, null=True)  # the partner's own reference, not personal
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    licensed_at = fields.DatetimeField(null=True)
    time_to_licence_s = fields.IntField(null=True)  # seconds from the application's start to its licence

    class Meta:
        table = "applications"


class Identity(Model):
    """A participant’s identity on an application, personal fields are sealed (encrypted)."""

    id = fields.UUIDField(primary_key=True)
    application = fields.ForeignKeyField("models.Application", related_name="identities")
    user = fields.ForeignKeyField("models.User", related_name="identities")
    role = fields.CharField(max_length=32)
    document_type = fields.CharField(max_length=48)
    sealed = fields.BinaryField()  # name, document number, birth date, salt
    key_id = fields.CharField(max_length=32, null=True)  # the data key that sealed `sealed`
    number_lookup = fields.CharField(max_length=64, db_index=True)
    digest = fields.CharField(max_length=64)  # lookup hash of (name, type, number): detects a changed identity
    status = fields.CharField(max_length=16)  # pending | verified
    verified_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "identities"
        unique_together = (("application", "role"),)


class FaceCheck(Model):
    """One WeChat face verification of a user against the identity on an application."""

    id = fields.UUIDField(primary_key=True)
    user = fields.ForeignKeyField("models.User", related_name="face_checks")
    application = fields.ForeignKeyField("models.Application", related_name="face_checks")
    identity_digest = fields.CharField(max_length=64)
    verify_id = fields.CharField(max_length=128, unique=True)
    out_seq_no = fields.CharField(max_length=32, unique=True)
    cert_hash = fields.CharField(max_length=64)  # keyed index (HMAC) of the cert_hash, never the cert_hash itself
    participant_id = fields.UUIDField(null=True)  # the participant checked (the founder's when null)
    status = fields.CharField(max_length=16)  # pending | passed | cancelled | timed_out | mismatch | failed | expired
    failure_code = fields.CharField(max_length=48, null=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    passed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "face_checks"


class NameClaim(Model):
    """A reserved (or registered) name, the unique key makes exactly one of two racing applicants win."""

    id = fields.UUIDField(primary_key=True)
    name_key = fields.CharField(max_length=120, unique=True)
    name = fields.CharField(max_length=100)
    application = fields.ForeignKeyField("models.Application", related_name="name_claims")
    status = fields.CharField(max_length=16)  # reserved | registered
    expires_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    sound = fields.CharField(max_length=200, null=True, db_index=True)  # toneless pinyin of the 字号: homophones
    pre_approval = fields.BooleanField(default=False)  # reserved for a year: the business needs approval first

    class Meta:
        table = "name_claims"


class Document(Model):
    """A generated binding document, the PDF is sealed at rest, its SHA-256 is over the plaintext."""

    id = fields.UUIDField(primary_key=True)
    application = fields.ForeignKeyField("models.Application", related_name="documents")
    kind = fields.CharField(max_length=32)
    sha256 = fields.CharField(max_length=64)
    size = fields.IntField()
    sealed = fields.BinaryField()
    salt = fields.BinaryField(null=True)  # of the ledger commitment to the document, deleted when it is erased
    canonical_sha256 = fields.CharField(max_length=64, null=True)  # of its canonical JSON (the data it states)
    current = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "documents"


class Signature(Model):
    """A participant’s signature over the application id, document hashes, time and assurance level."""

    id = fields.UUIDField(primary_key=True)
    application = fields.ForeignKeyField("models.Application", related_name="signatures")
    signer = fields.ForeignKeyField("models.User", related_name="signatures", null=True)  # null: signed by link
    role = fields.CharField(max_length=32)
    participant_id = fields.UUIDField(null=True, db_index=True)  # the natural person who signed
    on_behalf_of_id = fields.UUIDField(null=True)  # the corporate shareholder they signed for
    payload = fields.JSONField()
    signature_b64 = fields.TextField()
    certificate_pem = fields.TextField()
    valid = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "signatures"


class Licence(Model):
    """An electronic business licence, public by law, `data` is exactly what the licence shows."""

    uscc = fields.CharField(max_length=18, primary_key=True)
    application = fields.OneToOneField("models.Application", related_name="licence")
    data = fields.JSONField()
    status = fields.CharField(max_length=16)
    record = fields.ForeignKeyField("models.LedgerRecord", related_name="licences", on_delete=fields.RESTRICT)  # the latest status record
    issued_at = fields.DatetimeField()

    class Meta:
        table = "licences"


class LedgerRecord(Model):
    """The outbox of the ledger and the timeline of an application: a use case writes its record here in its own
    transaction, the sequencer later gives it its place in the tree (`ledger_index`)."""

    id = fields.BigIntField(primary_key=True)
    application = fields.ForeignKeyField(
        "models.Application", related_name="records", null=True, on_delete=fields.SET_NULL
    )  # erasing an application never erases what the ledger must keep
    step = fields.CharField(max_length=48)
    leaf = fields.BinaryField()
    ledger_index = fields.BigIntField(null=True, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "ledger_records"
