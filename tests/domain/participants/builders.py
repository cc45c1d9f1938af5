"""Small builders for participant tests: a valid sole-founder company and helpers to vary it."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from backend.domain.findings import Finding
from backend.domain.participants import (
    BoardKind,
    CorporateShareholder,
    Governance,
    NaturalPerson,
    Participant,
    Role,
    Supervision,
    check_participants,
)

TODAY = date(2025, 6, 30)
ADULT_BIRTH = date(1990, 5, 17)


def person(pid: str, *roles: Role, birth: date | None = ADULT_BIRTH, doc: str = "cn_resident_id") -> NaturalPerson:
    """A natural person with the given roles (an adult by default)."""
    return NaturalPerson(id=pid, name=f"名{pid}", document_type=doc, birth_date=birth, roles=frozenset(roles))


def company(pid: str, representative: str | None, *roles: Role, kind: str = "cn_uscc") -> CorporateShareholder:
    """A corporate shareholder acting through `representative` (a participant id)."""
    return CorporateShareholder(
        id=pid, name=f"公司{pid}", registration_type=kind, registration_number="91110000600037341L",
        representative_id=representative, roles=frozenset(roles or (Role.SHAREHOLDER,)),
    )


FOUNDER_ROLES = (Role.SHAREHOLDER, Role.LEGAL_REPRESENTATIVE, Role.DIRECTOR, Role.MANAGER, Role.LIAISON)
SMALL = Governance(board=BoardKind.SINGLE_DIRECTOR, supervision=Supervision.SINGLE_SUPERVISOR)
NO_SUPERVISOR = Governance(
    board=BoardKind.SINGLE_DIRECTOR, supervision=Supervision.NO_SUPERVISOR, all_shareholders_agree_no_supervisor=True
)


def sole_founder() -> list[Participant]:
    """One person who is shareholder, legal representative, sole director, manager and liaison, and a supervisor."""
    return [person("f", *FOUNDER_ROLES), person("s", Role.SUPERVISOR)]


def check(participants: Iterable[Participant], governance: Governance = SMALL, today: date = TODAY) -> list[Finding]:
    """Run the check with the test defaults."""
    return check_participants(participants=list(participants), governance=governance, today=today)


def codes(findings: list[Finding]) -> list[str]:
    """The codes of the findings, in order."""
    return [f.code for f in findings]
