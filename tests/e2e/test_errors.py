"""One problem shape (RFC 9457) everywhere, in three languages, and never a 500 for bad input."""
from __future__ import annotations

import pytest

from tests.e2e.phone import Phone

PROBLEM_KEYS = {"type", "title", "status", "code", "message", "messages", "detail"}


async def _problem(resp, status: int) -> dict:
    assert resp.status == status, await resp.text()
    assert resp.content_type == "application/problem+json"
    body = await resp.json()
    assert PROBLEM_KEYS <= set(body) and body["status"] == status
    assert set(body["messages"]) == {"zh-CN", "zh-HK", "en"}
    return body


async def test_unknown_route_and_wrong_method(client):
    assert (await _problem(await client.get("/api/v1/nothing-here"), 404))["code"] == "not_found"
    assert (await _problem(await client.delete("/api/v1/ledger/checkpoint"), 405))["code"] == "method_not_allowed"


async def test_body_errors(client):
    phone = Phone(client)
    await phone.login()
    wrong_type = await client.post("/api/v1/applications", data="entity_type=x", headers={**phone.auth, "Content-Type": "application/x-www-form-urlencoded"})
    assert (await _problem(wrong_type, 415))["code"] == "unsupported_media_type"
    malformed = await client.post("/api/v1/applications", data="{not json", headers={**phone.auth, "Content-Type": "application/json"})
    assert (await _problem(malformed, 400))["code"] == "malformed_json"
    huge = await client.post("/api/v1/applications", data=b"[" + b"1," * 600_000 + b"1]", headers={**phone.auth, "Content-Type": "application/json"})
    assert (await _problem(huge, 413))["code"] == "body_too_large"
    unknown = await client.post("/api/v1/applications", json={"entity_typo": "x"}, headers=phone.auth)
    body = await _problem(unknown, 422)
    assert body["code"] == "validation_failed" and {e["field"] for e in body["errors"]} == {"entity_typo"}
    unsupported = await client.post("/api/v1/applications", json={"entity_type": "joint_stock"}, headers=phone.auth)
    assert (await _problem(unsupported, 422))["code"] == "entity_type_unsupported"


async def test_deep_nesting_and_odd_unicode_are_client_errors(client):
    phone = Phone(client)
    await phone.login()
    deep = "[" * 50_000 + "]" * 50_000
    resp = await client.post("/api/v1/auth/refresh", data=deep, headers={"Content-Type": "application/json"})
    assert resp.status in (400, 422)
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.consent(app["id"])
    weird = await client.put(f"/api/v1/applications/{app['id']}/identity", headers=phone.auth,
                             json={"name": "张\u200b三", "document_type": "mainland_resident_id", "document_number": "１１０１０２１９９１０１０１００７８"})
    assert weird.status == 422


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Please log in first."), ("zh-HK", "請先登入。"), ("zh-CN,en;q=0.5", "请先登录。"), ("fr", "请先登录。")],
)
async def test_messages_follow_accept_language(client, language, expected):
    resp = await client.get("/api/v1/applications", headers={"Accept-Language": language})
    assert (await _problem(resp, 401))["message"] == expected


async def test_ledger_and_licence_inputs(client):
    assert (await _problem(await client.get("/api/v1/ledger/entries/99"), 404))["code"] == "ledger_entry_not_found"
    assert (await _problem(await client.get("/api/v1/ledger/entries/abc"), 404))["code"] == "ledger_entry_not_found"
    assert (await _problem(await client.get("/api/v1/ledger/proofs/inclusion?index=5&size=2"), 422))["code"] == "ledger_range_invalid"
    assert (await _problem(await client.get("/api/v1/ledger/proofs/inclusion?index=x&size=2"), 422))["code"] == "validation_failed"
    assert (await _problem(await client.get("/api/v1/licences/91110000600037341L"), 404))["code"] == "licence_not_found"
    assert (await _problem(await client.get("/api/v1/licences/91110000600037341N"), 422))["code"] == "uscc_checksum_invalid"
