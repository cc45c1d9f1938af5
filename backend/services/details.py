"""The details step: the registered address in Huangpu, business scope, registered capital and its deadline."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.domain.address import parse_huangpu_address
from backend.domain.findings import Finding
from backend.domain.foreign_investment import Capital
from backend.domain.formation import State, Step, plan_step
from backend.errors import InvalidInput
from backend.models import Application
from backend.services import investors
from backend.services.container import Services
from backend.services.identity import today
from backend.services.records import digest
from backend.services.steps import invalidate_documents, load_owned, record_step
from backend.services.transactions import atomic

MAX_CAPITAL = Decimal("1000000000000")
CONTRIBUTION_YEARS = 5
MAX_SCOPE_ITEMS = 50
MAX_SCOPE_ITEM_LENGTH = 200
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def parse_capital(raw: str | int) -> Decimal:
    """Registered capital in yuan: above zero, at most two decimals."""
    try:
        amount = Decimal(str(raw).strip())
    except InvalidOperation:
        raise InvalidInput("capital_invalid", value=str(raw)) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_CAPITAL or amount.as_tuple().exponent < -2:
        raise InvalidInput("capital_invalid", value=str(raw))
    return amount.quantize(Decimal("0.01"))


def contribution_window(day: dt.date) -> tuple[dt.date, dt.date]:
    """Earliest and latest contribution dates for a company formed on `day` (Company Law 2023 art. 47)."""
    try:
        latest = day.replace(year=day.year + CONTRIBUTION_YEARS)
    except ValueError:  # 29 February
        latest = day.replace(year=day.year + CONTRIBUTION_YEARS, day=28)
    return day, latest


def normalise_scope(items: list[str]) -> list[str]:
    """Trim items, drop empty ones and duplicates (keeping order)."""
    seen: dict[str, None] = {}
    for item in items:
        text = " ".join(item.split()).strip("；;，,。 ")
        if len(text) > MAX_SCOPE_ITEM_LENGTH:
            raise InvalidInput("field_invalid", field="business_scope", reason=f"an item over {MAX_SCOPE_ITEM_LENGTH} characters")
        if text:
            seen.setdefault(text, None)
    if not seen:
        raise InvalidInput("business_scope_empty")
    if len(seen) > MAX_SCOPE_ITEMS:
        raise InvalidInput("field_invalid", field="business_scope", reason=f"more than {MAX_SCOPE_ITEMS} items")
    return list(seen)


async def complete_details(
    svc: Services,
    *,
    user_id: str,
    application_id: str,
    address: str,
    business_scope: list[str],
    registered_capital_cny: str | int,
    contribution_deadline: dt.date,
    liaison_phone: str | None,
    capital: Capital | None = None,
    investment_report: dict[str, Any] | None = None,
    findings: list[Finding] | None = None,
) -> Application:
    """Check and store the company's details; a retry with the same details changes nothing. `capital` (HKD or MOP
    with its rate) replaces `registered_capital_cny` by its CNY equivalent; with investors from outside the mainland
    the negative list and the investment report apply (their warnings are appended to `findings`)."""
    parsed = parse_huangpu_address(address)
    capital_cny = parse_capital(capital.cny if capital is not None else registered_capital_cny)
    scope = normalise_scope(business_scope)
    origins, people = await investors.shareholder_origins(svc, await load_owned(user_id, application_id))
    extra: dict[str, Any] = {}
    if investors.applies(origins, capital, investment_report):
        money = capital or Capital(amount=capital_cny, currency="CNY", rate=None, rate_date=None)
        extra["foreign_investment"], raised = investors.foreign_investment(
            scope=scope, capital=money, report=investment_report, origins=origins, participants=people)
        extra["registered_capital"] = money.to_json()
        if findings is not None:
            findings.extend(raised)
    earliest, latest = contribution_window(today(svc))
    if not earliest <= contribution_deadline <= latest:
        raise InvalidInput("contribution_deadline_invalid", earliest=earliest.isoformat(), latest=latest.isoformat())
    if liaison_phone is not None and not _MOBILE.match(liaison_phone):
        raise InvalidInput("field_invalid", field="liaison_phone", reason="an 11-digit mainland mobile number")
    details = {
        "address": parsed.full,
        "address_subdivision": parsed.subdivision,
        "address_subdivision_code": parsed.subdivision_code,
        "business_scope": scope,
        "registered_capital_cny": str(capital_cny),
        "contribution_deadline": contribution_deadline.isoformat(),
        **extra,
    }
    details_digest = digest({**details, "liaison_phone": liaison_phone})

    async def use_case(conn):
        application = await load_owned(user_id, application_id, conn=conn, lock=True)
        transition = plan_step(State(application.state), Step.DETAILS, changed=application.details_digest != details_digest)
        if not transition.changes:
            return application
        application.details = details
        application.details_digest = details_digest
        application.contact_sealed = (
            svc.sealer.seal_json({"liaison_phone": liaison_phone}, aad=f"contact:{application.id}") if liaison_phone else None
        )
        if transition.invalidates_documents:
            await invalidate_documents(application, conn=conn)
        await record_step(
            svc, application, step="details_completed", state=transition.state, facts={"details_sha256": digest(details)}, conn=conn
        )
        return application

    return await atomic(use_case)
