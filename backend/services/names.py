"""The name step: rule check, conflict search in the registration area, suggestions, and reservation."""
from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import hashlib
import uuid
from collections.abc import Collection

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from backend.domain.findings import Finding, has_errors
from backend.domain.formation import State, Step, plan_step
from backend.domain.name_lexicon import lexicon
from backend.domain.name_registry import search_conflicts, suggest, trade_sound
from backend.domain.name_registry.search import ConflictSearch
from backend.domain.name_registry.model import Conflict as NameConflict
from backend.domain.name_script import simplified_finding, to_simplified
from backend.domain.names import ParsedName, check_name, compose_name, name_key, normalise_name, parse_name
from backend.errors import CheckFailed, Conflict, InvalidInput
from backend.models import Application, NameClaim
from backend.services.container import Services
from backend.services.identity import today
from backend.services.steps import invalidate_documents, load_owned, record_step
from backend.services.transactions import atomic

MAX_NAME_LENGTH = 60
RESERVATION_MONTHS = 2
PRE_APPROVAL_RESERVATION_MONTHS = 12  # a business that needs approval before registration keeps its name a year
SUGGESTIONS = 5
DEFAULT_REGION = "广州市黄埔区"


@dataclasses.dataclass(frozen=True)
class NameCheck:
    """The answer to "may I use this name?"."""

    name: str  # as it would be registered: normalised, simplified characters
    parsed: ParsedName
    findings: list[Finding]
    conflicts: ConflictSearch
    suggestions: list[str]

    @property
    def available(self) -> bool:
        """No conflict refuses the name (warnings, such as homophones, do not)."""
        return not self.conflicts.blocked

    @property
    def ok(self) -> bool:
        """The name passes every rule and every conflict check: it can be reserved."""
        return not has_errors(self.findings)

    @property
    def first_blocking(self) -> NameConflict | None:
        """The most serious conflict that refuses the name."""
        return next((c for c in self.conflicts.conflicts if c.is_error), None)


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` later (clamped to the month's last day)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def compose(*, region: str | None, trade_name: str, industry: str, form: str | None) -> str:
    """A name from its parts (the check endpoint takes parts as well as a whole name)."""
    return compose_name(trade_name=trade_name, industry=industry, organisation_form=form or "有限公司",
                        region=region or DEFAULT_REGION)


def _conflict_findings(parsed: ParsedName, found: ConflictSearch) -> list[Finding]:
    """One finding per match type, naming its most serious conflict (the full list is in `conflicts`)."""
    out: list[Finding] = []
    seen: set[tuple[str, bool]] = set()
    span = parsed.spans.get("trade_name")
    for conflict in found.conflicts:
        kind = (conflict.match, conflict.excepted)
        if kind in seen:
            continue
        seen.add(kind)
        if conflict.excepted:
            code = "name_related_enterprise"
        elif conflict.is_error:
            code = "name_identical" if conflict.basis in ("exact", "reordered") else "name_conflict"
        else:
            code = "name_similar"
        params = {"name": parsed.name, "existing": conflict.name, "match": conflict.match,
                  "count": found.counts.get(conflict.match, 0)}
        out.append(Finding(code=code, severity=conflict.severity, params=params, span=span, rule="name.conflict",
                           hint_code=f"hint_{code}"))
    return out


def _repaired(parsed: ParsedName, findings: list[Finding], entity_type: str) -> ParsedName:
    """The parts suggestions keep: the applicant's own, with a usable region, form and 字号 characters where those
    broke a rule (the region of a Huangpu company, the first form of the entity type, Chinese characters only)."""
    region_broken = not parsed.region or any(f.is_error and f.rule == "name.region" for f in findings)
    region = DEFAULT_REGION if region_broken else parsed.region
    forms = lexicon().entity_forms.get(entity_type, ("有限公司",))
    form = parsed.organisation_form if parsed.organisation_form in forms else forms[0]
    trade = "".join(c for c in parsed.trade_name if "\u4e00" <= c <= "\u9fff")
    if (region, form, trade) == (parsed.region, parsed.organisation_form, parsed.trade_name):
        return parsed
    return parse_name(compose_name(trade_name=trade, industry=parsed.industry, organisation_form=form,
                                   region=region, bracketed_region=parsed.bracketed_region and not region_broken))


async def check(
    svc: Services, *, name: str, application_id: uuid.UUID | None = None, entity_type: str = "limited_liability_company",
    exceptions: Collection[str] = (), with_suggestions: bool = True,
) -> NameCheck:
    """Check a proposed name against the rules and every name of the registration area; never raises for a bad name."""
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidInput("field_invalid", field="name", reason=f"1-{MAX_NAME_LENGTH} characters")
    if entity_type not in lexicon().entity_forms:
        raise InvalidInput("field_invalid", field="entity_type", reason=f"one of {sorted(lexicon().entity_forms)}")
    simplified, changed = to_simplified(name)
    findings = check_name(simplified, entity_type=entity_type)
    converted = simplified_finding(name, simplified, changed)
    if converted is not None:
        findings.append(converted)
    parsed = parse_name(simplified)
    now = svc.clock.now()
    found = await svc.names.search(parsed, now=now, today=today(svc), exclude_application=application_id,
                                   exceptions=exceptions)
    findings = sorted([*findings, *_conflict_findings(parsed, found)],
                      key=lambda f: (f.severity != "error", f.span or (0, 0)))
    suggestions: list[str] = []
    if with_suggestions and has_errors(findings):
        suggestions = await _suggestions(svc, _repaired(parsed, findings, entity_type), entity_type=entity_type,
                                         exceptions=exceptions, now=now)
    return NameCheck(name=parsed.name, parsed=parsed, findings=findings, conflicts=found, suggestions=suggestions)


async def _suggestions(svc: Services, base: ParsedName, *, entity_type: str, exceptions: Collection[str],
                       now: dt.datetime) -> list[str]:
    """At least five names that keep region, industry and form and pass the rules, the register and live claims."""
    candidates = suggest(base, registry=svc.names.registry, today=today(svc), count=SUGGESTIONS * 2,
                         exceptions=exceptions, entity_type=entity_type)
    free = await svc.names.free(candidates, now=now, today=today(svc), exceptions=exceptions)
    return free[:SUGGESTIONS] if len(free) >= SUGGESTIONS else free


def _commitment(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


async def _lock_trade_name(conn: BaseDBAsyncClient, trade_name: str) -> None:
    """Serialise reservations of one 字号 across processes (PostgreSQL; SQLite serialises writers itself).

    The unique conflict key already stops two claims of one 字号 + industry group; the lock also covers claims that
    conflict under another key (a name without industry words against one with them).
    """
    if conn.capabilities.dialect == "postgres":
        await conn.execute_query("SELECT pg_advisory_xact_lock(hashtext($1))", [f"kaiban.name:{trade_name}"])


async def reserve(
    svc: Services, *, user_id: str, application_id: str, name: str, pre_approval: bool = False,
    exceptions: Collection[str] = (),
) -> tuple[Application, NameClaim, list[Finding]]:
    """Reserve the name for the application (two months, a year with pre-approval); of applicants racing for one
    name or for conflicting variants of it, exactly one wins. Returns the warnings the applicant accepts with it
    (a similar name, traditional characters read as simplified ...)."""
    owned = await load_owned(user_id, application_id)
    result = await check(svc, name=name, application_id=owned.id, entity_type=owned.entity_type,
                         exceptions=exceptions, with_suggestions=False)
    blocking = result.first_blocking
    if blocking is not None:
        raise Conflict("name_taken", name=result.name, existing=blocking.name, match=blocking.match)
    if not result.ok:
        raise CheckFailed("name_rejected", findings=result.findings)
    parsed = result.parsed
    key = name_key(parsed)
    months = PRE_APPROVAL_RESERVATION_MONTHS if pre_approval else RESERVATION_MONTHS

    async def use_case(conn):
        application = await load_owned(user_id, application_id, conn=conn, lock=True)
        transition = plan_step(State(application.state), Step.NAME, changed=application.company_name != parsed.name)
        now = svc.clock.now()
        mine = await NameClaim.filter(application_id=application.id, status="reserved").using_db(conn).first()
        if (mine is not None and mine.name == parsed.name and mine.pre_approval == pre_approval
                and mine.expires_at > now and not transition.changes):
            return application, mine
        await _lock_trade_name(conn, parsed.trade_name)
        claims = await svc.names.claims_registry([parsed.trade_name], now=now, exclude_application=application.id,
                                                 conn=conn)
        live = search_conflicts(parsed, registry=claims, today=today(svc), exceptions=exceptions, limit=1)
        if live.blocked:  # reserved a moment ago, through this process or another
            raise Conflict("name_taken", name=parsed.name, existing=live.conflicts[0].name, match=live.conflicts[0].match)
        await NameClaim.filter(application_id=application.id, status="reserved").using_db(conn).delete()
        await NameClaim.filter(name_key=key, status="reserved", expires_at__lte=now).using_db(conn).delete()
        claim = await NameClaim.create(
            id=uuid.uuid4(), name_key=key, name=parsed.name, application=application, status="reserved",
            expires_at=add_months(now, months), created_at=now, sound=trade_sound(parsed.trade_name),
            pre_approval=pre_approval, using_db=conn,
        )
        application.company_name = parsed.name
        if transition.invalidates_documents:
            await invalidate_documents(application, conn=conn)
        facts = {"name_sha256": _commitment(parsed.name), "conflict_key_sha256": _commitment(key),
                 "expires_at": claim.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "months": months}
        await record_step(svc, application, step="name_reserved", state=transition.state, facts=facts, conn=conn)
        return application, claim

    try:
        application, claim = await atomic(use_case)
    except IntegrityError as exc:  # the unique conflict key: someone else reserved it a moment ago
        raise Conflict("name_taken", name=parsed.name, existing=parsed.name) from exc
    return application, claim, [f for f in result.findings if not f.is_error]


__all__ = ["NameCheck", "add_months", "check", "compose", "normalise_name", "reserve"]
