"""Hong Kong, Macau and foreign investors at the details step: the negative list applied to the business scope,
the capital's currency and rate, the foreign-investment information report. Applies when any shareholder is from
outside the mainland (or the capital is not in CNY, or a report is given)."""
from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from backend.domain.findings import Finding
from backend.domain.foreign_investment import (
    FOREIGN_ORIGINS, Capital, NegativeList, check_scope, investor_origin, parse_report,
)
from backend.domain.participants import Role
from backend.errors import CheckFailed
from backend.models import Application, Participant
from backend.services.container import Services
from backend.services.participant_records import open_participant

DATA = Path(__file__).resolve().parent.parent / "data" / "negative_list"
CURRENT_EDITION = "2024"


@functools.cache
def negative_list(edition: str = CURRENT_EDITION) -> NegativeList:
    """One edition of the negative list, from its data file."""
    return NegativeList.from_mapping(json.loads((DATA / f"{edition}.json").read_text(encoding="utf-8")))


async def shareholder_origins(svc: Services, application: Application, *,
                              conn: BaseDBAsyncClient | None = None) -> tuple[dict[str, str], list[str]]:
    """({shareholder participant id: origin}, every participant id) of the application."""
    query = Participant.filter(application_id=application.id)
    rows = await (query.using_db(conn) if conn else query)
    origins = {str(r.id): investor_origin(r.document_type, open_participant(svc, r).number)
               for r in rows if str(Role.SHAREHOLDER) in r.roles}
    return origins, [str(r.id) for r in rows]


def foreign_investment(*, scope: Sequence[str], capital: Capital, report: dict[str, Any] | None,
                       origins: dict[str, str], participants: list[str]) -> tuple[dict[str, Any], list[Finding]]:
    """The foreign-investment part of the details, and the findings it raises; prohibited scope items refuse (422)."""
    edition = negative_list()
    findings = check_scope(scope, edition)
    if any(f.is_error for f in findings):
        raise CheckFailed("negative_list_scope_prohibited", findings=findings, edition=edition.edition)
    parsed = parse_report(report, capital=capital, shareholders=origins, participants=participants) if report else None
    if parsed is None:
        findings.append(Finding(code="investment_report_missing", severity="warning", rule="foreign_investment.report"))
    restricted = [{"item": f.params["item"], "no": f.params["no"], "measure": f.hint_code} for f in findings
                  if f.code == "negative_list_restricted"]
    special = [r["no"] for r in restricted]
    return {
        "investor_regions": sorted(set(origins.values())),
        "negative_list": {"edition": edition.edition, "title": edition.title, "restricted": restricted},
        "investment_report": parsed.to_json(capital, special_measures=special) if parsed else None,
    }, findings


def applies(origins: dict[str, str], capital: Capital | None, report: dict[str, Any] | None) -> bool:
    """Whether the foreign-investment rules apply: a shareholder from outside the mainland, or HKD / MOP, or a report."""
    return bool(FOREIGN_ORIGINS & set(origins.values())) or (capital is not None and capital.currency != "CNY") or bool(report)
