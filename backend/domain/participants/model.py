"""The participants of a company formation: roles, natural persons, corporate shareholders and the governance chosen."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from backend.domain.id_documents import DOCUMENT_TYPES


class Role(enum.StrEnum):
    """What a participant is in the company; one participant may hold several roles."""

    SHAREHOLDER = "shareholder"
    LEGAL_REPRESENTATIVE = "legal_representative"
    DIRECTOR = "director"
    CHAIR = "chair"  # 董事长: a director who chairs the board
    EXECUTIVE_DIRECTOR = "executive_director"  # 执行公司事务的董事: a director executing company affairs
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    DEPUTY_MANAGER = "deputy_manager"
    FINANCE_OFFICER = "finance_officer"
    LIAISON = "liaison"  # 登记联络员: the registration liaison


#: Roles that make someone a director (the chair and an executive director are directors too).
DIRECTOR_ROLES = frozenset({Role.DIRECTOR, Role.CHAIR, Role.EXECUTIVE_DIRECTOR})
#: Senior managers (高级管理人员) among the roles, per Company Law 2023 Art. 265 (1).
SENIOR_MANAGER_ROLES = frozenset({Role.MANAGER, Role.DEPUTY_MANAGER, Role.FINANCE_OFFICER})
#: Directors, supervisors, senior managers and the legal representative: natural persons with full capacity.
OFFICER_ROLES = DIRECTOR_ROLES | SENIOR_MANAGER_ROLES | {Role.SUPERVISOR, Role.LEGAL_REPRESENTATIVE}

#: How a corporate shareholder is identified: mainland USCC, Hong Kong CR/BR number, Macau commercial registration.
COMPANY_DOCUMENT_TYPES: tuple[str, ...] = ("cn_uscc", "hk_company", "mo_company")
#: Documents a natural person may be identified by: every document type except the company ones.
PERSON_DOCUMENT_TYPES: tuple[str, ...] = tuple(t for t in DOCUMENT_TYPES if t not in COMPANY_DOCUMENT_TYPES)


def _roles(value: object) -> frozenset[Role]:
    if isinstance(value, (str, Role)):
        raise TypeError("roles must be a collection of roles, not a single string")
    return frozenset(Role(r) for r in value)  # type: ignore[attr-defined]


@dataclass(frozen=True, kw_only=True, slots=True)
class NaturalPerson:
    """A natural-person participant, known by a personal document type and, once read, a birth date."""

    id: str
    name: str
    document_type: str
    birth_date: date | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a participant needs an id")
        if self.document_type not in PERSON_DOCUMENT_TYPES:
            raise ValueError(f"document_type must be one of {PERSON_DOCUMENT_TYPES}, not {self.document_type!r}")
        object.__setattr__(self, "roles", _roles(self.roles))

    @property
    def is_natural_person(self) -> bool:
        """Always true for a natural person."""
        return True

    def age_on(self, day: date) -> int | None:
        """Age in whole years on `day`, or None when the birth date is unknown."""
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)


@dataclass(frozen=True, kw_only=True, slots=True)
class CorporateShareholder:
    """A company holding shares, identified by its registration number, acting through its own legal representative.

    `representative_id` is the id of the natural-person participant who is that legal representative.
    """

    id: str
    name: str
    registration_type: str
    registration_number: str
    representative_id: str | None = None
    roles: frozenset[Role] = frozenset({Role.SHAREHOLDER})

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a participant needs an id")
        if self.registration_type not in COMPANY_DOCUMENT_TYPES:
            raise ValueError(
                f"registration_type must be one of {COMPANY_DOCUMENT_TYPES}, not {self.registration_type!r}"
            )
        object.__setattr__(self, "roles", _roles(self.roles))

    @property
    def is_natural_person(self) -> bool:
        """Always false for a company."""
        return False


Participant = NaturalPerson | CorporateShareholder


class BoardKind(enum.StrEnum):
    """The executive organ: a board of directors (Art. 67-68) or, in a small LLC, a single director (Art. 75)."""

    BOARD = "board"
    SINGLE_DIRECTOR = "single_director"


class Supervision(enum.StrEnum):
    """The one supervision arrangement chosen (Art. 69, 76, 83)."""

    SUPERVISORY_BOARD = "supervisory_board"
    SINGLE_SUPERVISOR = "single_supervisor"
    NO_SUPERVISOR = "no_supervisor"
    AUDIT_COMMITTEE = "audit_committee"


@dataclass(frozen=True, kw_only=True, slots=True)
class Governance:
    """How the limited liability company is governed, with the shareholders' consent to have no supervisor recorded."""

    board: BoardKind
    supervision: Supervision
    all_shareholders_agree_no_supervisor: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "board", BoardKind(self.board))
        object.__setattr__(self, "supervision", Supervision(self.supervision))
