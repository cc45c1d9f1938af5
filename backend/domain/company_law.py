"""The Company Law 2023 checks run before anyone signs the documents of a limited liability company. Pure, no I/O.

Each finding names its article in `rule` and its message (zh-CN, zh-HK, en in `backend/i18n/company_law.json`)
says what is wrong and how to fix it. The rules on who holds which role (art. 10 legal representative, art. 42 one
to fifty shareholders, art. 68/75 board or single director, art. 69/76/83 supervision, art. 76 no director or senior
manager, finance officer included, as supervisor) are those of `backend.domain.participants.rules`, reused here; this
module adds the capital rules: every shareholder's contribution stated (art. 46), contributions adding up to the
registered capital and paid in full within five years of formation (art. 47), only shareholders contributing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from backend.domain.findings import Finding
from backend.domain.participants import Governance, Participant, Role, check_participants
from backend.domain.participants.contributions import Contribution

CONTRIBUTION_YEARS = 5  # art. 47
ART46 = "company_law_2023_art46"
ART47 = "company_law_2023_art47"


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def latest_payment_day(formed_on: dt.date) -> dt.date:
    """The last day a subscribed contribution may fall due for a company formed on `formed_on` (art. 47)."""
    return add_years(formed_on, CONTRIBUTION_YEARS)


def check_formation(
    *, participants: Sequence[Participant], governance: Governance, contributions: Mapping[str, Contribution],
    registered_capital_cny: Decimal, formed_on: dt.date,
) -> list[Finding]:
    """Every Company Law rule the formation fails: the participant rules, then the capital rules."""
    findings = check_participants(participants=participants, governance=governance, today=formed_on)
    return findings + check_capital(participants=participants, contributions=contributions,
                                    registered_capital_cny=registered_capital_cny, formed_on=formed_on)


def check_capital(
    *, participants: Sequence[Participant], contributions: Mapping[str, Contribution],
    registered_capital_cny: Decimal, formed_on: dt.date,
) -> list[Finding]:
    """The capital rules: each shareholder subscribes, only shareholders do, the sum and the five-year term hold."""
    by_id = {p.id: p for p in participants}
    shareholders = [p for p in participants if Role.SHAREHOLDER in p.roles]
    findings: list[Finding] = []
    for person in shareholders:
        if person.id not in contributions:
            findings.append(Finding("company_law_contribution_missing", "error", {"name": person.name,
                                                                                 "participant": person.id}, rule=ART46))
    for pid in sorted(contributions):
        holder = by_id.get(pid)
        if holder is None or Role.SHAREHOLDER not in holder.roles:
            findings.append(Finding("company_law_contribution_not_shareholder", "error",
                                    {"participant": pid, "name": holder.name if holder else pid}, rule=ART46))
    latest = latest_payment_day(formed_on)
    for person in shareholders:
        contribution = contributions.get(person.id)
        if contribution is None:
            continue
        if contribution.deadline > latest:
            findings.append(Finding("company_law_contribution_too_late", "error",
                                    {"name": person.name, "participant": person.id,
                                     "deadline": contribution.deadline.isoformat(), "latest": latest.isoformat(),
                                     "years": CONTRIBUTION_YEARS}, rule=ART47))
        elif contribution.deadline < formed_on:
            findings.append(Finding("company_law_contribution_deadline_past", "error",
                                    {"name": person.name, "participant": person.id,
                                     "deadline": contribution.deadline.isoformat(), "today": formed_on.isoformat()},
                                    rule=ART47))
    total = sum((c.amount_cny for pid, c in contributions.items() if pid in by_id), Decimal(0))
    if shareholders and total != registered_capital_cny:
        findings.append(Finding("company_law_contributions_do_not_add_up", "error",
                                {"total": _amount(total), "capital": _amount(registered_capital_cny),
                                 "difference": _amount(registered_capital_cny - total)}, rule=ART47))
    return findings


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):,}"
