"""POST /api/v1/scope/recommend: business-scope items for the applicant's own description (stateless)."""
from __future__ import annotations

import asyncio
from typing import Annotated, Any

from aiohttp import web
from pydantic import Field, StringConstraints

from backend import keys
from backend.adapters.drafting import LocalDrafting
from backend.http.openapi import Operation
from backend.http.problems import language
from backend.http.ratelimit import limit
from backend.http.request import parse_body
from backend.http.responses import json_response
from backend.http.schemas import Body
from backend.services.scope import ScopeAdvice, default_scope_service, explain

MAX_DESCRIPTION = 1000


class ScopeRequest(Body):
    """The business in the applicant's words (Simplified or Traditional Chinese, or English)."""

    description: Annotated[str, StringConstraints(min_length=1, max_length=MAX_DESCRIPTION)]
    limit: Annotated[int, Field(ge=1, le=30)] = 10


ITEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "kind", "industry_code", "score", "why"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string", "description": "the standard wording (经营范围规范表述)"},
        "kind": {"type": "string", "enum": ["general", "licensed"], "description": "一般项目 / 许可项目"},
        "industry_code": {"type": "string", "description": "GB/T 4754-2017 class"},
        "score": {"type": "number", "description": "BM25 score (higher is better)"},
        "why": {"type": "string"},
        "why_messages": {"type": "object"},
        "matched": {"type": "array", "items": {"type": "string"}},
        "approval": {"type": ["string", "null"]},
        "before_registration": {"type": "boolean", "description": "the approval is needed before registration"},
        "suggested": {"type": "boolean", "description": "part of the suggested scope_text"},
    },
}
RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["items", "industry", "scope_text"],
    "properties": {
        "items": {"type": "array", "items": ITEM_SCHEMA},
        "industry": {"type": ["object", "null"], "description": "main GB/T 4754 class and the name's industry wording"},
        "scope_text": {"type": "string", "description": "the suggested items as a licence prints them"},
        "approval_before_registration": {"type": "array", "items": {"type": "string"}},
        "description": {"type": "string", "description": "the description as tidied by the drafting provider"},
    },
}


def _body(advice: ScopeAdvice, lang: str) -> dict[str, Any]:
    suggested = {id(r) for r in advice.suggested}
    items = []
    for r in advice.recommendations:
        why = explain(r)
        items.append({
            "id": r.item.id, "name": r.item.name, "kind": r.item.kind, "industry_code": r.item.industry_code,
            "score": r.score, "why": why[lang], "why_messages": why, "matched": list(r.matched),
            "approval": r.item.approval, "before_registration": r.item.before_registration,
            "suggested": id(r) in suggested,
        })
    return {
        "items": items,
        "industry": advice.industry.to_dict() if advice.industry else None,
        "scope_text": advice.scope_text,
        "approval_before_registration": [r.item.name for r in advice.suggested if r.item.before_registration],
    }


async def recommend_scope(request: web.Request) -> web.Response:
    """Rank catalogue items for the description, with the industry and the suggested scope text."""
    await limit(request, "scope")
    body = await parse_body(request, ScopeRequest)
    provider = request.config_dict.get(keys.DRAFTING) or LocalDrafting()
    description = await provider.tidy(field="business_description", text=body.description)
    service = default_scope_service()
    loop = asyncio.get_running_loop()
    advice = await loop.run_in_executor(None, lambda: service.recommend(description=description, limit=body.limit))
    return json_response(_body(advice, language(request)) | {"description": description},
                         headers={"Cache-Control": "no-store"})


def operations() -> list[Operation]:
    """The scope recommender (no login: it stores nothing)."""
    return [
        Operation(method="POST", path="/api/v1/scope/recommend", handler=recommend_scope, tag="scope",
                  body=ScopeRequest, response=RESPONSE_SCHEMA, errors=(415, 422),
                  summary="Recommend business-scope items (经营范围) for a description"),
    ]
