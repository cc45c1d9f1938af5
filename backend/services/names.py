"""The name step: rule check, identical-name search in the registration area, and reservation."""
from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import uuid

from tortoise.exceptions import IntegrityError

from backend.domain.findings import Finding, has_errors
from backend.domain.formation import State, Step, plan_step
from backend.domain.names import ParsedName, check_name, name_key, normalise_name, parse_name
from backend.errors import CheckFailed, Conflict, InvalidInput
from backend.models import Application, NameClaim
from backend.services.container import Services
from backend.services.steps import invalidate_documents, load_owned, record_step
from backend.services.transactions import atomic

MAX_NAME_LENGTH = 60
RESERVATION_MONTHS = 2


@dataclasses.dataclass(frozen=True)
class NameCheck:
    """The answer to "may I use this name?"."""

    name: str
    parsed: ParsedName | None
    findings: list[Finding]
    identical_to: str | None

    @property
    def ok(self) -> bool:
        """No blocking finding and no identical name."""
        return not has_errors(self.findings)


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` later (clamped to the month's last day)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


async def _identical(svc: Services, parsed: ParsedName, *, except_application: uuid.UUID | None) -> NameClaim | None:
    """A registered or still reserved name with the same 字号 in the same industry (or with no industry words)."""
    key = name_key(parsed)
    now = svc.clock.now()
    for claim in await NameClaim.filter(name_key__startswith=f"{parsed.trade_name}|"):
        if claim.application_id == except_application:
            continue
        if claim.status == "reserved" and claim.expires_at is not None and claim.expires_at <= now:
            continue
        other_group = claim.name_key.split("|", 1)[1]
        if claim.name_key == key or not other_group or not parsed.industry_group:
            return claim
    return None


async def check(svc: Services, *, name: str, application_id: uuid.UUID | None = None) -> NameCheck:
    """Check a proposed name against the rules and the register; never raises for a bad name."""
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidInput("field_invalid", field="name", reason=f"1-{MAX_NAME_LENGTH} characters")
    findings = check_name(name)
    parsed = parse_name(name) if not has_errors(findings) else None
    identical = None
    if parsed is not None:
        claim = await _identical(svc, parsed, except_application=application_id)
        if claim is not None:
            identical = claim.name
            findings = [
                *findings,
                Finding(
                    code="name_identical",
                    severity="error",
                    params={"name": parsed.name, "existing": claim.name},
                    span=parsed.spans.get("trade_name"),
                    rule="name.conflict",
                    hint_code="hint_name_identical",
                ),
            ]
    return NameCheck(name=normalise_name(name), parsed=parsed, findings=findings, identical_to=identical)


async def reserve(svc: Services, *, user_id: str, application_id: str, name: str) -> tuple[Application, NameClaim]:
    """Reserve the name for the application for two months; of two applicants racing, exactly one wins."""
    owned = await load_owned(user_id, application_id)
    result = await check(svc, name=name, application_id=owned.id)
    if result.identical_to is not None:
        raise Conflict("name_taken", name=result.name, existing=result.identical_to)
    if not result.ok or result.parsed is None:
        raise CheckFailed("name_rejected", findings=result.findings)
    parsed = result.parsed
    key = name_key(parsed)

    async def use_case(conn):
        application = await load_owned(user_id, application_id, conn=conn, lock=True)
        transition = plan_step(State(application.state), Step.NAME, changed=application.company_name != parsed.name)
        now = svc.clock.now()
        mine = await NameClaim.filter(application_id=application.id, status="reserved").using_db(conn).first()
        if mine is not None and mine.name_key == key and mine.expires_at > now and not transition.changes:
            return application, mine
        await NameClaim.filter(application_id=application.id, status="reserved").using_db(conn).delete()
        await NameClaim.filter(name_key=key, status="reserved", expires_at__lte=now).using_db(conn).delete()
        claim = await NameClaim.create(
            id=uuid.uuid4(),
            name_key=key,
            name=parsed.name,
            application=application,
            status="reserved",
            expires_at=add_months(now, RESERVATION_MONTHS),
            created_at=now,
            using_db=conn,
        )
        application.company_name = parsed.name
        if transition.invalidates_documents:
            await invalidate_documents(application, conn=conn)
        facts = {"name": parsed.name, "expires_at": claim.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
        await record_step(svc, application, step="name_reserved", state=transition.state, facts=facts, conn=conn)
        return application, claim

    try:
        return await atomic(use_case)
    except IntegrityError as exc:  # the unique name key: someone else reserved it a moment ago
        raise Conflict("name_taken", name=parsed.name, existing=parsed.name) from exc
