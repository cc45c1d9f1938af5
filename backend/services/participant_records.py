"""A participant's stored record: the document checked and normalised, sealed fields with their key id, blind
indexes for duplicates, the view shown to applicants (masked) and the participant as the pure rules see it."""
from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from backend.domain.id_documents import check_document
from backend.domain.id_documents.common import mask, normalise
from backend.domain.id_documents.mrz import split_lines
from backend.domain.identifiers import mask_name
from backend.domain.participants import (
    COMPANY_DOCUMENT_TYPES,
    PERSON_DOCUMENT_TYPES,
    CorporateShareholder,
    NaturalPerson,
    Participant as DomainParticipant,
    Role,
)
from backend.domain.participants.contributions import parse_contribution
from backend.errors import CheckFailed, InvalidInput
from backend.models import Participant
from backend.services.container import Services
from backend.services.identity_facts import today
from backend.services.records import iso


@dataclasses.dataclass(frozen=True)
class ParticipantFacts:
    """The sealed fields of a participant, opened."""

    name: str
    number: str
    expiry: str | None
    birth_date: str | None
    sex: str | None
    salt_hex: str


def open_participant(svc: Services, row: Participant) -> ParticipantFacts:
    """Decrypt a participant's personal fields."""
    return ParticipantFacts(**svc.sealer.open_json(bytes(row.sealed), aad=f"participant:{row.id}"))


def parse_roles(roles: Sequence[str]) -> list[str]:
    """Role codes, known and deduplicated, in the order of `Role`."""
    try:
        parsed = sorted({Role(r) for r in roles}, key=list(Role).index)
    except ValueError:
        raise InvalidInput("participant_role_unknown", roles=list(roles), supported=[str(r) for r in Role]) from None
    if not parsed:
        raise InvalidInput("participant_roles_missing")
    return [str(r) for r in parsed]


def check_identity_document(svc: Services, *, kind: str, document_type: str, number: str, expiry: str | None) -> tuple[str, dict[str, Any]]:
    """Validate a participant's document; its normalised number and what it encodes, or CheckFailed (422)."""
    allowed = PERSON_DOCUMENT_TYPES if kind == "person" else COMPANY_DOCUMENT_TYPES
    if document_type not in allowed:
        raise InvalidInput("participant_document_type_unsupported", kind=kind, document_type=document_type[:48], supported=list(allowed))
    result = check_document(type=document_type, number=number, today=today(svc), expiry=expiry)
    if not result.valid:
        raise CheckFailed("participant_document_invalid", findings=result.findings, document_type=document_type)
    derived = dict(result.derived)
    derived.pop("document_number", None)  # the MRZ's, masked: we keep the lines themselves, sealed
    return canonical_number(document_type, number), derived


_DROPPED = {"hk_id": "()", "mo_id": "()/", "hk_mo_travel_permit": "()", "tw_travel_permit": "()", "hk_company": "()",
            "mo_company": "()"}


def canonical_number(document_type: str, number: str) -> str:
    """The number as stored: normalised like its check does (for a passport, the two MRZ lines)."""
    if document_type == "passport_mrz":
        return "\n".join(split_lines(number))
    return normalise(number, drop=_DROPPED.get(document_type, ""))


def identity_key(document_type: str, number: str) -> str:
    """What makes two documents the same for duplicate detection (a passport: its number and nationality)."""
    if document_type == "passport_mrz":
        line2 = number.split("\n")[-1]
        return f"{line2[0:9].rstrip('<')}|{line2[10:13]}"
    return number


def display_number(document_type: str, number: str) -> str:
    """The masked number shown to applicants (4401**********123X)."""
    if document_type in COMPANY_DOCUMENT_TYPES:
        return number  # a company's registration number is public
    return mask(identity_key(document_type, number).split("|")[0])


def to_domain(svc: Services, rows: Sequence[Participant]) -> list[DomainParticipant]:
    """The participants as the pure rules see them."""
    people: list[DomainParticipant] = []
    for row in rows:
        facts = open_participant(svc, row)
        roles = frozenset(Role(r) for r in row.roles)
        if row.kind == "company":
            people.append(CorporateShareholder(
                id=str(row.id), name=facts.name, registration_type=row.document_type, registration_number=facts.number,
                representative_id=str(row.representative_id) if row.representative_id else None, roles=roles,
            ))
        else:
            birth = dt.date.fromisoformat(facts.birth_date) if facts.birth_date else None
            people.append(NaturalPerson(id=str(row.id), name=facts.name, document_type=row.document_type, birth_date=birth, roles=roles))
    return people


def seal_fields(svc: Services, *, participant_id: uuid.UUID, facts: ParticipantFacts) -> dict[str, Any]:
    """The stored columns for a participant's facts: ciphertext, key id, blind indexes."""
    return {
        "sealed": svc.sealer.seal_json(dataclasses.asdict(facts), aad=f"participant:{participant_id}"),
        "key_id": svc.sealer.key_id,
    }


def blind_indexes(svc: Services, *, document_type: str, number: str, name: str) -> dict[str, str]:
    """Keyed HMAC-SHA256 indexes: of the document (duplicates) and of name + document (a changed identity)."""
    return {
        "number_index": svc.sealer.lookup_hash(f"{document_type}|{identity_key(document_type, number)}", purpose="participant_number"),
        "digest": svc.sealer.lookup_hash(f"{name}|{document_type}|{number}", purpose="participant_identity"),
    }


def clean_name(name: str) -> str:
    """A name with its white space normalised; 1-100 characters."""
    text = " ".join((name or "").split())
    if not 1 <= len(text) <= 100:
        raise InvalidInput("field_invalid", field="name", reason="1-100 characters")
    return text


def participant_view(svc: Services, row: Participant) -> dict[str, Any]:
    """A participant as the applicant sees it: number and (for a person) name masked."""
    facts = open_participant(svc, row)
    return {
        "id": str(row.id),
        "kind": row.kind,
        "roles": list(row.roles),
        "name": facts.name if row.kind == "company" else mask_name(facts.name),
        "document_type": row.document_type,
        "document_number": display_number(row.document_type, facts.number),
        "expiry": facts.expiry,
        "birth_date": facts.birth_date,
        "sex": facts.sex,
        "representative_id": str(row.representative_id) if row.representative_id else None,
        "contribution": row.contribution,
        "status": row.status,
        "assurance": row.assurance,
        "verified_at": iso(row.verified_at) if row.verified_at else None,
        "linked": row.user_id is not None,
    }


def sex_of(number: str) -> str | None:
    """The sex a mainland identity number encodes (17th digit odd: male)."""
    return ("male" if int(number[16]) % 2 else "female") if len(number) == 18 and number[16].isdigit() else None


def stated_contribution(raw: dict[str, Any] | None, *, roles: Sequence[str]) -> dict[str, str] | None:
    """A shareholder's contribution checked and normalised for storage (None when not stated)."""
    if raw is None:
        return None
    if str(Role.SHAREHOLDER) not in roles:
        raise InvalidInput("participant_contribution_not_shareholder")
    try:
        return parse_contribution(raw).as_dict()
    except ValueError as error:
        raise InvalidInput("participant_contribution_invalid", field=str(error)) from None
