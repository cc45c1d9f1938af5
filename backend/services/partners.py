"""Registering partner organisations (an admin's use case): their keys, scopes and rate limits."""
from __future__ import annotations

import base64
import binascii
import hashlib
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from tortoise.exceptions import IntegrityError

from backend.clock import Clock
from backend.errors import Conflict, InvalidInput, NotFound
from backend.models import Partner

KINDS = ("bank", "notary", "service_centre")
REGIONS = ("HK", "MO")
SCOPES = ("applications:submit", "applications:read", "attestations:write")


def _public_key(text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("partner_key_invalid", reason=str(exc)[:80]) from exc
    return raw


def default_key_id(public_key: bytes) -> str:
    """A key id derived from the key itself, for partners that do not choose one."""
    return "partner-" + hashlib.sha256(public_key).hexdigest()[:16]


async def register_partner(
    *, name: str, kind: str, region: str, public_key_b64: str, scopes: list[str], rate_limit_per_minute: int,
    clock: Clock, key_id: str | None = None,
) -> Partner:
    """Register a partner with its base64 raw Ed25519 public key; answer the stored record."""
    if kind not in KINDS:
        raise InvalidInput("field_invalid", field="kind", reason=f"one of {', '.join(KINDS)}")
    if region not in REGIONS:
        raise InvalidInput("field_invalid", field="region", reason=f"one of {', '.join(REGIONS)}")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise InvalidInput("field_invalid", field="scopes", reason=f"unknown {', '.join(unknown)}")
    if not 1 <= rate_limit_per_minute <= 100_000:
        raise InvalidInput("field_invalid", field="rate_limit_per_minute", reason="1 to 100000")
    if not name.strip():
        raise InvalidInput("field_invalid", field="name", reason="empty")
    raw = _public_key(public_key_b64)
    try:
        return await Partner.create(
            id=uuid.uuid4(), name=name.strip(), kind=kind, region=region, key_id=key_id or default_key_id(raw),
            public_key=raw, scopes=sorted(set(scopes)), rate_limit_per_minute=rate_limit_per_minute,
            active=True, created_at=clock.now(),
        )
    except IntegrityError:
        raise Conflict("partner_key_taken", keyid=key_id or default_key_id(raw)) from None


async def set_partner_active(*, key_id: str, active: bool) -> Partner:
    """Enable or disable a partner by its key id (a disabled partner's requests are refused as unknown keys)."""
    partner = await Partner.get_or_none(key_id=key_id)
    if partner is None:
        raise NotFound("partner_not_found", keyid=key_id)
    partner.active = active
    await partner.save(update_fields=["active"])
    return partner
