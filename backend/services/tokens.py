"""Access tokens (EdDSA JWTs, algorithm pinned, every time claim checked against the service clock) and
single-use refresh tokens whose reuse revokes the whole family."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
import uuid

import jwt
from cachetools import LRUCache
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tortoise.backends.base.client import BaseDBAsyncClient

from backend.clock import Clock
from backend.errors import Unauthorized
from backend.models import RefreshToken

ALGORITHM = "EdDSA"
LEEWAY_SECONDS = 5
REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "aud", "sub", "jti"]


@dataclasses.dataclass(frozen=True)
class TokenPair:
    """What a login or a refresh returns."""

    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int
    user_id: str


class TokenService:
    """Issues and checks tokens; PyJWT's own time checks read the wall clock, so they are off and done here."""

    def __init__(
        self, *, key: Ed25519PrivateKey, issuer: str, audience: str, ttl: int, refresh_ttl: int, clock: Clock
    ) -> None:
        self._key = key
        self._public = key.public_key()
        self._issuer = issuer
        self._audience = audience
        self._ttl = ttl
        self._refresh_ttl = refresh_ttl
        self._clock = clock
        # Tokens whose signature, issuer and audience were checked: a signature never changes its verdict, so each
        # request of a session costs an EdDSA verification once; the time claims are checked on every use.
        self._checked: LRUCache[tuple[str, str], dict] = LRUCache(maxsize=20_000)

    @property
    def officer_audience(self) -> str:
        """The audience of officers' tokens: they are never accepted where an applicant's token is, nor the reverse."""
        return f"{self._audience}/officer"

    def issue_access(self, user_id: str) -> str:
        """Return a signed access token for `user_id`."""
        return self._issue(user_id, audience=self._audience, extra={})

    def issue_officer(self, officer_id: str, *, roles: list[str], ttl: int) -> str:
        """Return a signed access token for an officer, with their roles."""
        return self._issue(officer_id, audience=self.officer_audience, extra={"roles": sorted(roles)}, ttl=ttl)

    def _issue(self, subject: str, *, audience: str, extra: dict, ttl: int | None = None) -> str:
        now = int(self._clock.timestamp())
        claims = {
            "iss": self._issuer,
            "aud": audience,
            "sub": subject,
            "iat": now,
            "nbf": now,
            "exp": now + (ttl or self._ttl),
            "jti": uuid.uuid4().hex,
            **extra,
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"typ": "at+jwt"})

    def verify_access(self, token: str) -> str:
        """Return the user id of a valid access token; raise Unauthorized otherwise."""
        return str(self._verify(token, audience=self._audience)["sub"])

    def verify_officer(self, token: str) -> tuple[str, tuple[str, ...]]:
        """Return (officer id, roles) of a valid officer token; raise Unauthorized otherwise."""
        claims = self._verify(token, audience=self.officer_audience)
        roles = claims.get("roles")
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise Unauthorized("token_invalid")
        return str(claims["sub"]), tuple(roles)

    def _verify(self, token: str, *, audience: str) -> dict:
        claims = self._checked.get((token, audience))
        if claims is None:
            claims = self._checked[(token, audience)] = self._decode(token, audience=audience)
        now = self._clock.timestamp()
        times = [claims.get(name) for name in ("exp", "iat", "nbf")]
        if not all(isinstance(value, int) for value in times):
            raise Unauthorized("token_invalid")
        exp, iat, nbf = times
        if now >= exp + LEEWAY_SECONDS:
            raise Unauthorized("token_expired")
        if iat > now + LEEWAY_SECONDS or nbf > now + LEEWAY_SECONDS:
            raise Unauthorized("token_invalid")
        return claims

    def _decode(self, token: str, *, audience: str) -> dict:
        try:
            return jwt.decode(
                token,
                self._public,
                algorithms=[ALGORITHM],
                audience=audience,
                issuer=self._issuer,
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False, "require": REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized("token_invalid") from exc

    async def issue_pair(self, user_id: str, *, family: uuid.UUID | None = None, conn: BaseDBAsyncClient | None = None) -> TokenPair:
        """Issue an access token and a new refresh token (in `family`, or a new family)."""
        raw = secrets.token_urlsafe(32)
        await RefreshToken.create(
            id=uuid.uuid4(),
            user_id=user_id,
            family=family or uuid.uuid4(),
            token_hash=_hash(raw),
            expires_at=self._clock.now() + dt.timedelta(seconds=self._refresh_ttl),
            using_db=conn,
        )
        return TokenPair(
            access_token=self.issue_access(user_id),
            expires_in=self._ttl,
            refresh_token=raw,
            refresh_expires_in=self._refresh_ttl,
            user_id=user_id,
        )

    async def refresh(self, raw: str, *, conn: BaseDBAsyncClient) -> TokenPair | None:
        """Rotate a refresh token; None means it was refused (and a reused token's family is now revoked)."""
        row = await RefreshToken.filter(token_hash=_hash(raw)).select_for_update().using_db(conn).first()
        if row is None or row.revoked or row.expires_at <= self._clock.now():
            return None
        if row.used_at is not None:
            await RefreshToken.filter(family=row.family).using_db(conn).update(revoked=True)
            return None
        row.used_at = self._clock.now()
        await row.save(using_db=conn, update_fields=["used_at"])
        return await self.issue_pair(str(row.user_id), family=row.family, conn=conn)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
