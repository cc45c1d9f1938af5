"""A partner's attestation that it verified a person in person: who verified (a staff reference, not a name), how,
when, and the SHA-256 hashes of the documents seen. It is the payload of a compact JWS signed with the partner's
Ed25519 key; nothing personal is in it, so it can go on the public ledger as it is. Pure: parsing and checks."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from backend.errors import InvalidInput

PAYLOAD_TYPE = "kaiban.partner-attestation"
VERSION = 1
METHODS = ("in_person_document_check", "in_person_notarised_copy")
MAX_AGE = dt.timedelta(days=90)  # an in-person check older than this is no longer a fresh proof
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_REFERENCE = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")
_KIND = re.compile(r"^[a-z0-9_]{2,48}$")
MAX_DOCUMENTS = 20


@dataclasses.dataclass(frozen=True, kw_only=True)
class AttestedDocument:
    """A document the partner saw (an identity card, a certified copy of a company's registration ...), by hash."""

    kind: str
    sha256: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class Attestation:
    """What a partner attests of one participant of one application."""

    application: str
    participant: str
    staff_reference: str
    method: str
    verified_at: dt.datetime
    documents: tuple[AttestedDocument, ...]


def _malformed(reason: str) -> InvalidInput:
    return InvalidInput("attestation_malformed", reason=reason)


def _time(raw: Any) -> dt.datetime:
    if not isinstance(raw, str) or not raw.endswith("Z"):
        raise _malformed("verified_at must be an RFC 3339 UTC time ending in Z")
    try:
        return dt.datetime.fromisoformat(raw[:-1]).replace(tzinfo=dt.timezone.utc)
    except ValueError:
        raise _malformed("verified_at must be an RFC 3339 UTC time ending in Z") from None


def parse_attestation(payload: Mapping[str, Any]) -> Attestation:
    """Read an attestation payload; `attestation_malformed` (422) names what is wrong."""
    if payload.get("type") != PAYLOAD_TYPE or payload.get("v") != VERSION:
        raise _malformed(f"type must be {PAYLOAD_TYPE!r} and v {VERSION}")
    verifier = payload.get("verifier")
    if not isinstance(verifier, Mapping) or not _REFERENCE.match(str(verifier.get("staff_reference", ""))):
        raise _malformed("verifier.staff_reference: 1-64 letters, digits or ._:/- (a reference, never a name)")
    if payload.get("method") not in METHODS:
        raise _malformed(f"method must be one of {', '.join(METHODS)}")
    documents = payload.get("documents")
    if not isinstance(documents, list) or not 1 <= len(documents) <= MAX_DOCUMENTS:
        raise _malformed(f"documents: 1 to {MAX_DOCUMENTS} entries")
    parsed = []
    for entry in documents:
        if not isinstance(entry, Mapping) or not _KIND.match(str(entry.get("kind", ""))) or not _HEX64.match(
                str(entry.get("sha256", ""))):
            raise _malformed("each document needs a kind (a-z, 0-9, _) and a lowercase hex sha256")
        parsed.append(AttestedDocument(kind=entry["kind"], sha256=entry["sha256"]))
    unknown = set(payload) - {"v", "type", "application", "participant", "verifier", "method", "verified_at", "documents"}
    if unknown:
        raise _malformed(f"unknown fields {', '.join(sorted(unknown))}")
    return Attestation(application=str(payload.get("application")), participant=str(payload.get("participant")),
                       staff_reference=str(verifier["staff_reference"]), method=payload["method"],
                       verified_at=_time(payload.get("verified_at")), documents=tuple(parsed))


def check_attestation(attestation: Attestation, *, application_id: str, participant_id: str, now: dt.datetime,
                      leeway: dt.timedelta) -> None:
    """The attestation is about this participant of this application, and was made recently (not in the future)."""
    if attestation.application != application_id or attestation.participant != participant_id:
        raise InvalidInput("attestation_mismatch", application=application_id, participant=participant_id)
    if attestation.verified_at > now + leeway or attestation.verified_at < now - MAX_AGE:
        raise InvalidInput("attestation_stale", verified_at=attestation.verified_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                           days=MAX_AGE.days)
