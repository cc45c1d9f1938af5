"""POST /api/v1/scope/recommend on a minimal app built from the route module's operations only."""
from __future__ import annotations

import pytest
from aiohttp import web

from backend.http.problems import problem_middleware
from backend.http.routes import scope

PATH = "/api/v1/scope/recommend"


@pytest.fixture
async def client(aiohttp_client):
    app = web.Application(middlewares=[problem_middleware])
    for op in scope.operations():
        app.router.add_route(op.method, op.path, op.handler)
    return await aiohttp_client(app)


async def test_recommends_items_with_industry_and_scope_text(client) -> None:
    response = await client.post(PATH, json={"description": "开一家咖啡店，也在网上卖咖啡豆"},
                                 headers={"Accept-Language": "en"})
    assert response.status == 200
    body = await response.json()
    first = body["items"][0]
    assert set(first) >= {"name", "kind", "industry_code", "score", "why"}
    assert first["name"] == "餐饮服务" and first["kind"] == "licensed" and first["industry_code"] == "6232"
    assert "食品经营许可证" in first["approval"] and first["why"] == first["why_messages"]["en"]
    assert "咖啡" in first["matched"]
    assert body["industry"]["code"] == "6232" and body["industry"]["name_wording_group"] == "catering"
    assert body["industry"]["name_wording"] in {"餐饮", "餐饮服务"}
    assert "许可项目：" in body["scope_text"] and body["scope_text"].endswith("许可证件为准）")
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True)


async def test_marks_approval_needed_before_registration(client) -> None:
    body = await (await client.post(PATH, json={"description": "成立一家保安公司，提供保安服务"})).json()
    first = body["items"][0]
    assert first["name"] == "保安服务" and first["before_registration"] is True
    assert "前置审批" in first["why"] and body["approval_before_registration"] == ["保安服务"]


@pytest.mark.parametrize("payload", [
    {"description": ""},
    {"description": "   "},
    {"description": "软件" * 501},
    {"description": 42},
    {"description": ["软件开发"]},
    {"description": None},
    {},
    {"description": "软件", "extra": 1},
    {"description": "软件", "limit": 0},
])
async def test_bad_input_is_a_problem_422(client, payload) -> None:
    response = await client.post(PATH, json=payload)
    assert response.status == 422
    assert response.content_type == "application/problem+json"
    body = await response.json()
    assert body["code"] == "validation_failed" and body["errors"][0]["field"] in {"description", "extra", "limit"}
    assert set(body["messages"]) == {"zh-CN", "zh-HK", "en"}


async def test_not_json_is_415_and_malformed_json_400(client) -> None:
    assert (await client.post(PATH, data="description=x", headers={"Content-Type": "text/plain"})).status == 415
    assert (await client.post(PATH, data="{", headers={"Content-Type": "application/json"})).status == 400
    assert (await client.post(PATH, data="[1]", headers={"Content-Type": "application/json"})).status == 422
