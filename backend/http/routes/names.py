"""The name check, answering while the applicant types (no login needed, rate-limited per client)."""
from __future__ import annotations

from typing import Any

from aiohttp import web

from backend.errors import InvalidInput
from backend.http.openapi import Operation
from backend.http.problems import language
from backend.http.request import parse_body, parse_query
from backend.http.responses import json_response
from backend.http.schemas import NameCheckRequest, NameQuery
from backend.http.ratelimit import limit
from backend.keys import SERVICES
from backend.services import names

_STRING = {"type": "string"}
RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "ok", "available", "parsed", "findings", "conflicts", "suggestions"],
    "properties": {
        "name": {"type": "string", "description": "the name as it would be registered (normalised, simplified)"},
        "ok": {"type": "boolean", "description": "no error at all: the name can be reserved"},
        "available": {"type": "boolean", "description": "no registered or reserved name refuses it"},
        "parsed": {"type": "object", "required": ["region", "trade_name", "industry", "form"],
                   "properties": {k: _STRING for k in ("region", "trade_name", "industry", "form")}},
        "findings": {"type": "array", "items": {"type": "object"}},
        "conflicts": {"type": "array", "description": "the most serious first (at most 20; see conflict_counts)",
                      "items": {"type": "object", "required": ["name", "match", "severity"],
                                "properties": {"name": _STRING, "match": _STRING, "severity": _STRING}}},
        "conflict_counts": {"type": "object", "description": "how many conflicts of each match type"},
        "conflict_total": {"type": "integer"},
        "suggestions": {"type": "array", "items": _STRING},
    },
}


def check_view(result: names.NameCheck, *, lang: str) -> dict[str, Any]:
    """The answer of the name check."""
    parsed = result.parsed
    return {
        "name": result.name,
        "ok": result.ok,
        "available": result.available,
        "parsed": {
            "region": parsed.region,
            "trade_name": parsed.trade_name,
            "industry": parsed.industry,
            "form": parsed.organisation_form,
            "organisation_form": parsed.organisation_form,
            "bracketed_region": parsed.bracketed_region,
            "industry_group": parsed.industry_group,
            "spans": {k: list(v) for k, v in parsed.spans.items()},
        },
        "findings": [f.to_dict(lang) for f in result.findings],
        "conflicts": [c.to_dict() for c in result.conflicts.conflicts],
        "conflict_counts": result.conflicts.counts,
        "conflict_total": result.conflicts.total,
        "suggestions": result.suggestions,
    }


async def _answer(request: web.Request, *, name: str, entity_type: str, related: list[str]) -> web.Response:
    result = await names.check(request.config_dict[SERVICES], name=name, entity_type=entity_type, exceptions=related)
    return json_response(check_view(result, lang=language(request)), headers={"Cache-Control": "no-store"})


async def post_check_name(request: web.Request) -> web.Response:
    await limit(request, "names")
    body = await parse_body(request, NameCheckRequest)
    if body.name:
        name = body.name
    elif body.trade_name:
        name = names.compose(region=body.region, trade_name=body.trade_name, industry=body.industry or "",
                             form=body.form)
    else:
        raise InvalidInput("field_invalid", field="name", reason="a name, or its parts with at least trade_name")
    return await _answer(request, name=name, entity_type=body.entity_type, related=body.related_usccs)


async def get_check_name(request: web.Request) -> web.Response:
    await limit(request, "names")
    query = parse_query(request, NameQuery)
    return await _answer(request, name=query.name, entity_type="limited_liability_company", related=[])


def operations() -> list[Operation]:
    """The name endpoints."""
    return [
        Operation(method="POST", path="/api/v1/names/check", handler=post_check_name, tag="names",
                  body=NameCheckRequest, response=RESPONSE_SCHEMA, errors=(422,),
                  summary="Check a proposed company name: rules, conflicts in Guangzhou, suggestions"),
        Operation(method="GET", path="/api/v1/names/check", handler=get_check_name, tag="names", query=NameQuery,
                  response=RESPONSE_SCHEMA, errors=(422,), summary="Check a proposed company name (as POST, by name)"),
    ]
