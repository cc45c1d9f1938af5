"""Officer accounts: created by an admin command, logged in with a password (scrypt) and a TOTP code, audited."""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from typing import Any

import pyotp
from tortoise.exceptions import IntegrityError

from backend.clock import Clock
from backend.errors import Conflict, InvalidInput, TooManyRequests, Unauthorized
from backend.models import AuditEvent, Officer
from backend.privacy import Sealer

ROLES = ("reviewer", "admin")
SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # OWASP's minimum for scrypt; about 50 ms here
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
OFFICER_TOKEN_TTL = 8 * 3600  # one working day
TOTP_ISSUER = "Kaiban 开办"
_TOTP_AAD = "officer-totp:"


def hash_password(password: str) -> str:
    """The stored form of a password: scrypt with a random salt and its parameters."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **SCRYPT, dklen=32)
    b64 = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${b64(salt)}${b64(digest)}"


def password_matches(password: str, stored: str) -> bool:
    """Whether `password` is the one `stored` was made from (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def check_password_strength(password: str) -> None:
    """Refuse passwords an officer account must not have."""
    if len(password) < 12 or len(set(password)) < 6:
        raise InvalidInput("officer_password_weak")


@dataclasses.dataclass(frozen=True)
class NewOfficer:
    """A created account and the TOTP secret to enrol in an authenticator app (shown once)."""

    officer: Officer
    totp_secret: str
    provisioning_uri: str


async def create_officer(
    *, username: str, display_name: str, roles: list[str], password: str, sealer: Sealer, clock: Clock
) -> NewOfficer:
    """Create an officer account (an admin's use case)."""
    if not roles or set(roles) - set(ROLES):
        raise InvalidInput("field_invalid", field="roles", reason=f"one or more of {', '.join(ROLES)}")
    if not username.isascii() or not username.replace(".", "").replace("-", "").isalnum() or len(username) > 64:
        raise InvalidInput("field_invalid", field="username", reason="letters, digits, '.' and '-', up to 64")
    check_password_strength(password)
    officer_id = uuid.uuid4()
    secret = pyotp.random_base32()
    try:
        officer = await Officer.create(
            id=officer_id, username=username, display_name=display_name.strip() or username, roles=sorted(set(roles)),
            password_hash=hash_password(password),
            totp_sealed=sealer.seal(secret.encode(), aad=_TOTP_AAD + str(officer_id)), created_at=clock.now(),
        )
    except IntegrityError:
        raise Conflict("officer_exists", username=username) from None
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)
    return NewOfficer(officer=officer, totp_secret=secret, provisioning_uri=uri)


async def audit(*, clock: Clock, actor: str, action: str, target: str = "", outcome: str = "ok",
                details: dict[str, Any] | None = None) -> None:
    """Record one officer action in the audit trail."""
    await AuditEvent.create(at=clock.now(), actor=actor[:64], action=action[:64], target=target[:128], outcome=outcome,
                            details=details or {})


async def officer_login(*, username: str, password: str, totp_code: str, sealer: Sealer, clock: Clock) -> Officer:
    """Check password and TOTP code; lock the account for a while after repeated failures. Every try is audited."""
    now = clock.now()
    officer = await Officer.get_or_none(username=username)
    if officer is not None and officer.locked_until is not None and officer.locked_until > now:
        await audit(clock=clock, actor=username, action="officer_login", outcome="locked")
        raise TooManyRequests("officer_locked", retry_after=int((officer.locked_until - now).total_seconds()) + 1)
    if officer is None or not officer.active or not password_matches(password, officer.password_hash):
        password_matches(password, _DUMMY_HASH) if officer is None else None  # same time for unknown usernames
        await _failed(officer, username=username, clock=clock, reason="password")
        raise Unauthorized("officer_login_failed")
    secret = sealer.open(bytes(officer.totp_sealed), aad=_TOTP_AAD + str(officer.id)).decode()
    step = _accepted_step(pyotp.TOTP(secret), totp_code, now=now)
    if step is None or step <= officer.totp_last_step:  # a wrong code, or one already used
        await _failed(officer, username=username, clock=clock, reason="totp")
        raise Unauthorized("officer_login_failed")
    officer.totp_last_step, officer.failed_logins, officer.locked_until, officer.last_login_at = step, 0, None, now
    await officer.save(update_fields=["totp_last_step", "failed_logins", "locked_until", "last_login_at"])
    await audit(clock=clock, actor=f"officer:{username}", action="officer_login")
    return officer


def _accepted_step(totp: pyotp.TOTP, code: str, *, now: dt.datetime) -> int | None:
    """The time step the code belongs to (the current one or one either side), or None."""
    code = code.strip()
    if not (code.isdigit() and len(code) == 6):
        return None
    current = int(now.timestamp()) // totp.interval
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


async def _failed(officer: Officer | None, *, username: str, clock: Clock, reason: str) -> None:
    await audit(clock=clock, actor=username, action="officer_login", outcome="failed", details={"reason": reason})
    if officer is None:
        return
    officer.failed_logins += 1
    if officer.failed_logins >= MAX_FAILURES:
        officer.locked_until, officer.failed_logins = clock.now() + LOCKOUT, 0
    await officer.save(update_fields=["failed_logins", "locked_until"])


_DUMMY_HASH = hash_password("a password nobody has, for timing")
