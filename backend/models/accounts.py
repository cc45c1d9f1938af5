"""Users (one per WeChat openid) and refresh tokens."""
from tortoise import fields
from tortoise.models import Model


class User(Model):
    """A person known by their WeChat openid within our appid."""

    id = fields.UUIDField(primary_key=True)
    appid = fields.CharField(max_length=64)
    openid = fields.CharField(max_length=128)
    session_key_sealed = fields.BinaryField(null=True)  # encrypted; never leaves the server
    created_at = fields.DatetimeField()
    last_login_at = fields.DatetimeField()

    class Meta:
        table = "users"
        unique_together = (("appid", "openid"),)


class RefreshToken(Model):
    """A single-use refresh token, reuse of a used one revokes its whole family."""

    id = fields.UUIDField(primary_key=True)
    user = fields.ForeignKeyField("models.User", related_name="refresh_tokens")
    family = fields.UUIDField(db_index=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    revoked = fields.BooleanField(default=False)

    class Meta:
        table = "refresh_tokens"
