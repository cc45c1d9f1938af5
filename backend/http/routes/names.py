"""The name check, answering while the applicant types."""
from __future__ import annotations

from aiohttp import web

from backend.http.responses import json_response

from backend.http.openapi import Operation
from backend.http.problems import language
from backend.http.request import current_user, parse_query
from backend.http.schemas import NameQuery
from backend.keys import SERVICES
from backend.services import names


async def check_name(request: web.Request) -> web.Response:
    current_user(request)
    query = parse_query(request, NameQuery)
    result = await names.check(request.config_dict[SERVICES], name=query.name)
    lang = language(request)
    parsed = result.parsed
    return json_response(
        {
            "name": result.name,
            "ok": result.ok,
            "available": result.identical_to is None,
            "findings": [f.to_dict(lang) for f in result.findings],
            "parsed": None
            if parsed is None
            else {
                "region": parsed.region,
                "trade_name": parsed.trade_name,
                "industry": parsed.industry,
                "organisation_form": parsed.organisation_form,
                "bracketed_region": parsed.bracketed_region,
                "spans": {k: list(v) for k, v in parsed.spans.items()},
            },
        }
    )


def operations() -> list[Operation]:
    """The name endpoints."""
    return [
        Operation(method="GET", path="/api/v1/names/check", handler=check_name, tag="names", auth=True, query=NameQuery,
                  summary="Check a proposed company name", errors=(422,)),
    ]
