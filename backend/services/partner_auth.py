"""Authenticating partner requests: HTTP Message Signatures (RFC 9421) with Ed25519, replay and rate protection.

A partner signs each request with its registered key. The signature must cover the method, the target URI and, for
a request with a body, its Content-Digest (RFC 9530), and carry `created`, `keyid` and `nonce` parameters. The
request is accepted when the key is known and active, `created` lies within the window of the service clock, the
signature verifies, the nonce was never seen from that partner and its requests in the last minute stay under its
limit. RFC 9421 parsing and verification are the `http-message-signatures` library's; the policy is ours.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import http_sf
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from http_message_signatures import HTTPMessageVerifier, algorithms
from http_message_signatures.exceptions import HTTPMessageSignaturesException
from tortoise.exceptions import IntegrityError

from backend.clock import Clock
from backend.errors import Forbidden, TooManyRequests, Unauthorized
from backend.models import Partner, PartnerRequest

REQUIRED_COMPONENTS = ("@method", "@target-uri")
BODY_COMPONENT = "content-digest"
MAX_NONCE_LENGTH = 128
RATE_WINDOW = dt.timedelta(minutes=1)


@dataclasses.dataclass(frozen=True, kw_only=True)
class SignedRequest:
    """What the verifier needs of an incoming request (the HTTP layer fills it in)."""

    method: str
    url: str  # absolute, as the partner addressed it
    headers: Mapping[str, str]  # must keep repeated field lines in `items()`
    body: bytes


@dataclasses.dataclass(frozen=True)
class AuthenticatedPartner:
    """The partner a request came from."""

    id: uuid.UUID
    name: str
    kind: str
    region: str
    scopes: tuple[str, ...]
    rate_limit_per_minute: int

    def require(self, scope: str) -> None:
        """Refuse (403) unless the partner holds `scope`."""
        if scope not in self.scopes:
            raise Forbidden("partner_scope_missing", scope=scope)


class _ServiceClockVerifier(HTTPMessageVerifier):
    """The library's verifier without its own time checks: it reads the wall clock, we check `created` against the
    service clock (which tests and mock mode move) before verifying."""

    def validate_created_and_expires(self, sig_input: Any, max_age: Any = None) -> None:
        return None


class _OneKey:
    def __init__(self, key_id: str, public_key: Ed25519PublicKey) -> None:
        self._key_id, self._public_key = key_id, public_key

    def resolve_public_key(self, key_id: str) -> Ed25519PublicKey:
        if key_id != self._key_id:  # the verifier asks for the keyid we looked up; anything else is a forgery
            raise HTTPMessageSignaturesException(f"unexpected keyid {key_id!r}")
        return self._public_key


def signature_parameters(headers: Mapping[str, str]) -> tuple[list[str], dict[str, Any]]:
    """Return the covered components and parameters of the request's single signature; 401 when malformed."""
    raw_input, raw_signature = headers.get("Signature-Input"), headers.get("Signature")
    if not raw_input or not raw_signature:
        raise Unauthorized("partner_signature_missing")
    try:
        parsed = http_sf.parse(raw_input.encode(), tltype="dictionary")
    except Exception as exc:  # any parse failure of the structured field is the sender's malformed header
        raise Unauthorized("partner_signature_malformed", reason=str(exc)[:100]) from exc
    if len(parsed) != 1:
        raise Unauthorized("partner_signature_malformed", reason=f"{len(parsed)} signatures; send exactly one")
    (members, params), = parsed.values()
    if not isinstance(members, list):
        raise Unauthorized("partner_signature_malformed", reason="Signature-Input is not an inner list")
    components = [str(item) for item, item_params in members if not item_params]
    return components, dict(params)


def _check_coverage(components: list[str], params: Mapping[str, Any], *, has_body: bool) -> None:
    missing = [c for c in REQUIRED_COMPONENTS if c not in components]
    if has_body and BODY_COMPONENT not in components:
        missing.append(BODY_COMPONENT)
    missing += [p for p in ("created", "keyid", "nonce") if p not in params]
    if missing:
        raise Unauthorized("partner_signature_incomplete", missing=missing)
    if params.get("alg") not in (None, "ed25519"):
        raise Unauthorized("partner_signature_malformed", reason=f"alg {params.get('alg')!r}; use ed25519")
    nonce = params["nonce"]
    if not isinstance(nonce, str) or not 16 <= len(nonce) <= MAX_NONCE_LENGTH:
        raise Unauthorized("partner_signature_malformed", reason="nonce must be a string of 16 to 128 characters")
    if type(params["created"]) is not int:
        raise Unauthorized("partner_signature_malformed", reason="created must be an integer timestamp")


async def authenticate(request: SignedRequest, *, clock: Clock, window: int) -> AuthenticatedPartner:
    """Authenticate a partner's signed request and record its nonce; raise 401 or 429 with a distinct code."""
    components, params = signature_parameters(request.headers)
    _check_coverage(components, params, has_body=bool(request.body))
    partner = await Partner.get_or_none(key_id=str(params["keyid"]))
    if partner is None or not partner.active:
        raise Unauthorized("partner_key_unknown", keyid=str(params["keyid"])[:64])
    now = clock.now()
    skew = abs(now.timestamp() - params["created"])
    if skew > window:
        raise Unauthorized("partner_request_stale", seconds=int(skew), window=window)
    verifier = _ServiceClockVerifier(
        signature_algorithm=algorithms.ED25519,
        key_resolver=_OneKey(partner.key_id, Ed25519PublicKey.from_public_bytes(bytes(partner.public_key))),
    )
    message = SimpleNamespace(method=request.method.upper(), url=request.url, headers=request.headers)
    try:
        verifier.verify(message, max_age=None, require_components=REQUIRED_COMPONENTS, body=request.body)
    except HTTPMessageSignaturesException as exc:
        raise Unauthorized("partner_signature_invalid", reason=str(exc)[:120]) from exc
    recent = await PartnerRequest.filter(partner_id=partner.id, received_at__gt=now - RATE_WINDOW).count()
    if recent >= partner.rate_limit_per_minute:
        raise TooManyRequests("partner_rate_limited", retry_after=int(RATE_WINDOW.total_seconds()))
    try:
        await PartnerRequest.create(partner_id=partner.id, nonce=params["nonce"], received_at=now)
    except IntegrityError:
        raise Unauthorized("partner_request_replayed") from None
    return AuthenticatedPartner(
        id=partner.id, name=partner.name, kind=partner.kind, region=partner.region,
        scopes=tuple(partner.scopes or ()), rate_limit_per_minute=partner.rate_limit_per_minute,
    )


async def forget_old_requests(*, clock: Clock, window: int) -> int:
    """Delete nonces older than the replay window (a request that old is refused as stale anyway)."""
    horizon = clock.now() - dt.timedelta(seconds=max(window * 2, RATE_WINDOW.total_seconds()))
    return await PartnerRequest.filter(received_at__lt=horizon).delete()
