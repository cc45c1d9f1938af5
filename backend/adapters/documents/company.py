"""The facts of a formation the documents state: the company, every shareholder with their contribution, the
directors, manager, supervisors, finance officer and liaison, checked for what a document cannot do without.

Codes (document types, contribution forms, offices) stay codes here; each document prints them in its language.
The Company Law rules themselves are checked before drafting (`backend.domain.company_law`); what is refused here
is only what no document could print (empty or over-long text, a legal representative who holds no office).
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, NoReturn

from backend.errors import InvalidInput

_MAX_TEXT = 200
_MAX_SCOPE_ITEM = 1000
_MAX_SCOPE_ITEMS = 300
OFFICES = ("chair", "executive_director", "director", "manager")


@dataclass(frozen=True, kw_only=True, slots=True)
class Person:
    """A natural person named in the documents, with the document that identifies them."""

    id: str
    name: str
    document_type: str
    document_number: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Shareholder:
    """A shareholder (a person or a company acting through `representative`) and what they subscribe."""

    id: str
    name: str
    kind: str  # person | company
    document_type: str
    document_number: str
    amount_cny: Decimal
    form: str  # backend.domain.participants.contributions.ContributionForm
    deadline: dt.date
    representative: str | None = None  # a company's legal representative, by name


@dataclass(frozen=True, kw_only=True)
class CompanyFacts:
    """Everything the seven documents of a limited liability company's formation state."""

    application_id: str
    company_name: str
    address: str
    address_subdivision: str
    business_scope: tuple[str, ...]
    registered_capital_cny: Decimal
    prepared_on: dt.date
    shareholders: tuple[Shareholder, ...]
    board: str  # board | single_director
    directors: tuple[Person, ...]
    chair: str | None  # the chair's name, for a board
    legal_representative: Person
    legal_representative_office: str  # one of OFFICES
    manager: Person | None
    supervision: str  # supervisory_board | single_supervisor | no_supervisor | audit_committee
    supervisors: tuple[Person, ...]
    finance_officer: Person | None
    liaison: Person
    liaison_phone: str | None
    operating_term_years: int | None = field(default=None)

    def __post_init__(self) -> None:
        scope = self.business_scope
        if isinstance(scope, str) or not isinstance(scope, (list, tuple)):
            _invalid("business_scope", "must be a list of items")
        object.__setattr__(self, "business_scope", tuple(scope))
        capital = self.registered_capital_cny
        if isinstance(capital, bool) or not isinstance(capital, (int, Decimal)) or \
                Decimal(capital) != Decimal(capital).quantize(Decimal("0.01")):
            _invalid("registered_capital_cny", "an integer or a decimal number of yuan with at most two decimals")
        object.__setattr__(self, "registered_capital_cny", Decimal(capital))
        for name, value in self.texts():
            _check_text(name, value, _MAX_SCOPE_ITEM if name == "business_scope" else _MAX_TEXT)
        if not self.business_scope or len(self.business_scope) > _MAX_SCOPE_ITEMS:
            _invalid("business_scope", f"must have 1 to {_MAX_SCOPE_ITEMS} items")
        if not self.shareholders:
            _invalid("shareholders", "at least one shareholder")
        if not self.directors:
            _invalid("directors", "at least one director")
        if self.legal_representative_office not in OFFICES:
            _invalid("legal_representative_office", f"one of {OFFICES}")
        office_holders = [p.id for p in self.directors] + ([self.manager.id] if self.manager else [])
        if self.legal_representative.id not in office_holders:
            _invalid("legal_representative", "must be a director or the manager (Company Law art. 10)")
        if self.registered_capital_cny <= 0:
            _invalid("registered_capital_cny", "must be more than zero")
        term = self.operating_term_years
        if term is not None and (isinstance(term, bool) or not 1 <= term <= 99):
            _invalid("operating_term_years", "1 to 99 years, or none for no fixed term")

    @property
    def sole_shareholder(self) -> bool:
        """Whether the company has one shareholder (a shareholder decision, no shareholders' meeting)."""
        return len(self.shareholders) == 1

    @property
    def entity_type(self) -> str:
        """The registered company type, as the licence prints it."""
        people = [s for s in self.shareholders if s.kind == "person"]
        if self.sole_shareholder:
            return "有限责任公司（自然人独资）" if people else "有限责任公司（法人独资）"
        held_by_people = sum((s.amount_cny for s in people), Decimal(0))
        return "有限责任公司（自然人投资或控股）" if held_by_people * 2 > self.registered_capital_cny else "其他有限责任公司"

    def share(self, holder: Shareholder) -> str:
        """A shareholder's part of the registered capital in per cent, two decimals (100.00)."""
        return f"{(holder.amount_cny * 100 / self.registered_capital_cny).quantize(Decimal('0.01'))}"

    def people(self) -> Iterator[Person]:
        """Every natural person named as an officer or liaison."""
        yield from self.directors
        yield self.legal_representative
        for person in (self.manager, self.finance_officer, self.liaison):
            if person is not None:
                yield person
        yield from self.supervisors

    def texts(self) -> list[tuple[str, str]]:
        """Every printed text value with its field name (to check the font can draw them all)."""
        out: list[tuple[str, str]] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                out.append((f.name, value))
        out += [("business_scope", item) for item in self.business_scope]
        for holder in self.shareholders:
            out += [("shareholder_name", holder.name), ("shareholder_document_number", holder.document_number)]
            if holder.representative:
                out.append(("shareholder_representative", holder.representative))
        for person in self.people():
            out += [("person_name", person.name), ("person_document_number", person.document_number)]
        return out

    def as_content(self) -> dict[str, Any]:
        """The facts as plain JSON values (amounts as strings, dates ISO): what the canonical documents state."""
        def person(p: Person | None) -> dict[str, str] | None:
            return None if p is None else {"id": p.id, "name": p.name, "document_type": p.document_type,
                                           "document_number": p.document_number}

        return {
            "application_id": self.application_id, "company_name": self.company_name, "entity_type": self.entity_type,
            "address": self.address, "address_subdivision": self.address_subdivision,
            "business_scope": list(self.business_scope), "registered_capital_cny": str(self.registered_capital_cny),
            "operating_term_years": self.operating_term_years, "prepared_on": self.prepared_on.isoformat(),
            "shareholders": [{"id": s.id, "name": s.name, "kind": s.kind, "document_type": s.document_type,
                              "document_number": s.document_number, "representative": s.representative,
                              "amount_cny": str(s.amount_cny), "share_percent": self.share(s), "form": s.form,
                              "deadline": s.deadline.isoformat()} for s in self.shareholders],
            "board": self.board, "directors": [person(p) for p in self.directors], "chair": self.chair,
            "legal_representative": person(self.legal_representative) | {"office": self.legal_representative_office},
            "manager": person(self.manager), "supervision": self.supervision,
            "supervisors": [person(p) for p in self.supervisors], "finance_officer": person(self.finance_officer),
            "liaison": person(self.liaison) | {"phone": self.liaison_phone},
        }


def _check_text(name: str, value: object, limit: int) -> None:
    if not isinstance(value, str) or not value.strip():
        _invalid(name, "must be a non-empty text")
    if value != value.strip():
        _invalid(name, "has leading or trailing spaces")
    if len(value) > limit:
        _invalid(name, f"is longer than {limit} characters")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") for char in value):
        _invalid(name, "contains control, format or unassigned characters")


def _invalid(name: str, reason: str) -> NoReturn:
    raise InvalidInput("field_invalid", field=name, reason=reason)
