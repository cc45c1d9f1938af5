"""The facts of a formation that the binding documents state, checked for what a document cannot do without."""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import NoReturn

from backend.errors import InvalidInput

CONTRIBUTION_YEARS = 5
"""Company Law 2023 art. 47: the subscribed capital is paid in full within five years of formation."""

_MAX_LENGTHS = {
    "application_id": 64,
    "company_name": 100,
    "entity_type": 60,
    "address": 200,
    "shareholder_name": 100,
    "shareholder_id_type": 40,
    "shareholder_id_number": 64,
    "legal_representative_name": 50,
    "director_name": 50,
    "manager_name": 50,
    "supervisor_name": 50,
    "liaison_name": 50,
    "liaison_phone": 30,
    "contribution_method": 40,
}
_MAX_SCOPE_ITEM = 1000
_MAX_SCOPE_ITEMS = 300


@dataclass(frozen=True)
class FormationFacts:
    """Everything the articles of association and the registration application state.

    Labels (`entity_type`, `shareholder_id_type`, `contribution_method`) are printed as given, in simplified Chinese,
    e.g. "有限责任公司（自然人独资）", "中华人民共和国居民身份证", "货币". `registered_capital_cny` is in yuan, an int or
    a Decimal with at most two decimals. The legal representative must be the director or the manager (art. 10);
    `supervisor_name` is given exactly when `has_supervisor` (art. 83 lets a small company have none).
    `operating_term_years` None means an operating term of 长期 (no fixed term).
    """

    application_id: str
    company_name: str
    entity_type: str
    address: str
    business_scope: Sequence[str]
    registered_capital_cny: Decimal | int
    contribution_deadline: dt.date
    shareholder_name: str
    shareholder_id_type: str
    shareholder_id_number: str
    legal_representative_name: str
    director_name: str
    manager_name: str
    supervisor_name: str | None
    has_supervisor: bool
    liaison_name: str
    liaison_phone: str | None
    prepared_on: dt.date
    contribution_method: str = "货币"
    operating_term_years: int | None = field(default=None)

    def __post_init__(self) -> None:
        for name, limit in _MAX_LENGTHS.items():
            value = getattr(self, name)
            if value is None and name in ("supervisor_name", "liaison_phone"):
                continue
            _check_text(name, value, limit)

        scope = self.business_scope
        if isinstance(scope, str) or not isinstance(scope, Sequence) or not scope:
            _invalid("business_scope", "must be a non-empty list of items")
        if len(scope) > _MAX_SCOPE_ITEMS:
            _invalid("business_scope", f"has more than {_MAX_SCOPE_ITEMS} items")
        for item in scope:
            _check_text("business_scope", item, _MAX_SCOPE_ITEM)
        object.__setattr__(self, "business_scope", tuple(scope))

        object.__setattr__(self, "registered_capital_cny", _capital(self.registered_capital_cny))

        for name in ("contribution_deadline", "prepared_on"):
            value = getattr(self, name)
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                _invalid(name, "must be a date")
        if self.contribution_deadline < self.prepared_on:
            _invalid("contribution_deadline", "is before the documents are prepared")
        # The company is formed on or after the day the documents are prepared, so a deadline within five years of
        # that day is within five years of formation.
        if self.contribution_deadline > add_years(self.prepared_on, CONTRIBUTION_YEARS):
            _invalid("contribution_deadline", f"is more than {CONTRIBUTION_YEARS} years away (Company Law art. 47)")

        if not isinstance(self.has_supervisor, bool):
            _invalid("has_supervisor", "must be true or false")
        if self.has_supervisor != (self.supervisor_name is not None):
            _invalid("supervisor_name", "is given exactly when the company has a supervisor")
        if self.legal_representative_name not in (self.director_name, self.manager_name):
            _invalid("legal_representative_name", "must be the director or the manager (Company Law art. 10)")

        term = self.operating_term_years
        if term is not None and (isinstance(term, bool) or not isinstance(term, int) or not 1 <= term <= 99):
            _invalid("operating_term_years", "must be a number of years from 1 to 99, or none for no fixed term")

    @property
    def legal_representative_office(self) -> str:
        """The office through which the legal representative holds the role: 董事 or 经理 (the director first)."""
        return "董事" if self.legal_representative_name == self.director_name else "经理"

    @property
    def director_is_manager(self) -> bool:
        return self.director_name == self.manager_name

    def texts(self) -> list[tuple[str, str]]:
        """Every printed text value with its field name (used to check the font can draw them all)."""
        out: list[tuple[str, str]] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                out.append((f.name, value))
            elif f.name == "business_scope":
                out.extend((f.name, item) for item in value)
        return out


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _capital(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        _invalid("registered_capital_cny", "must be an integer or a decimal number of yuan")
    try:
        amount = Decimal(value)  # type: ignore[arg-type]
        exact = amount.is_finite() and amount == amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        exact = False
    if not exact:
        _invalid("registered_capital_cny", "must be a finite amount with at most two decimals")
    if amount <= 0:
        _invalid("registered_capital_cny", "must be more than zero")
    if amount >= Decimal(10) ** 14:
        _invalid("registered_capital_cny", "is implausibly large")
    return amount


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
