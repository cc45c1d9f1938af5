"""Officers of the registration authority (reviewers, admins) and the audit trail of what officers do."""
from tortoise import fields
from tortoise.models import Model


class Officer(Model):
    """An officer account, created by an admin command (never through WeChat): password and TOTP second factor."""

    id = fields.UUIDField(primary_key=True)
    username = fields.CharField(max_length=64, unique=True)
    display_name = fields.CharField(max_length=100)
    roles = fields.JSONField(default=list)  # reviewer, admin
    password_hash = fields.CharField(max_length=255)  # scrypt$n$r$p$salt$hash
    totp_sealed = fields.BinaryField()  # the TOTP secret, encrypted at rest
    totp_last_step = fields.BigIntField(default=0)  # the last time step accepted: a code works once
    failed_logins = fields.IntField(default=0)
    locked_until = fields.DatetimeField(null=True)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()
    last_login_at = fields.DatetimeField(null=True)

    class Meta:
        table = "officers"


class AuditEvent(Model):
    """One thing an officer did or tried (log-ins, views of personal data, decisions), kept for inspection."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(db_index=True)
    actor = fields.CharField(max_length=64)  # officer:<username>, or the username tried for a failed log-in
    action = fields.CharField(max_length=64)
    target = fields.CharField(max_length=128, default="")
    outcome = fields.CharField(max_length=32, default="ok")
    details = fields.JSONField(default=dict)

    class Meta:
        table = "audit_events"
