"""The participants of a company formation: who holds which role, the Company Law 2023 checks on them, and who must
be identified before signing. Pure, no I/O; messages in `backend/i18n/participants.json`.
"""
from __future__ import annotations

from backend.domain.participants.identity import IDENTIFIED_ROLES, roles_needing_identity
from backend.domain.participants.model import (
    COMPANY_DOCUMENT_TYPES,
    DIRECTOR_ROLES,
    OFFICER_ROLES,
    PERSON_DOCUMENT_TYPES,
    SENIOR_MANAGER_ROLES,
    BoardKind,
    CorporateShareholder,
    Governance,
    NaturalPerson,
    Participant,
    Role,
    Supervision,
)
from backend.domain.participants.rules import ADULT_AGE, MAX_LLC_SHAREHOLDERS, check_participants

__all__ = [
    "ADULT_AGE",
    "COMPANY_DOCUMENT_TYPES",
    "DIRECTOR_ROLES",
    "IDENTIFIED_ROLES",
    "MAX_LLC_SHAREHOLDERS",
    "OFFICER_ROLES",
    "PERSON_DOCUMENT_TYPES",
    "SENIOR_MANAGER_ROLES",
    "BoardKind",
    "CorporateShareholder",
    "Governance",
    "NaturalPerson",
    "Participant",
    "Role",
    "Supervision",
    "check_participants",
    "roles_needing_identity",
]
