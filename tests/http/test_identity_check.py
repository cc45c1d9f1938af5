"""POST /api/v1/identity/documents/check on a minimal app built from the route module's operations only."""
from __future__ import annotations

import datetime as dt

import pytest
from aiohttp import web

from backend.http.problems import problem_middleware
from backend.http.routes import identity_check
from backend.keys import CLOCK

PATH = "/api/v1/identity/documents/check"


class FixedClock:
    """2025-06-01 09:00 in China."""

    def now(self) -> dt.datetime:
        return dt.datetime(2025, 6, 1, 1, 0, tzinfo=dt.timezone.utc)

    def timestamp(self) -> float:
        return self.now().timestamp()


@pytest.fixture
async def client(aiohttp_client):
    app = web.Application(middlewares=[problem_middleware])
    app[CLOCK] = FixedClock()
    for op in identity_check.operations():
        app.router.add_route(op.method, op.path, op.handler)
    return await aiohttp_client(app)


async def test_valid_resident_id(client) -> None:
    response = await client.post(PATH, json={"type": "cn_resident_id", "number": "11010519491231002x", "expiry": "长期"})
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert await response.json() == {
        "valid": True,
        "findings": [],
        "derived": {"birth_date": "1949-12-31", "sex": "female", "region_code": "110105", "region_name": "朝阳区",
                    "expiry": "long_term"},
    }


async def test_invalid_number_answers_findings_in_the_negotiated_language(client) -> None:
    response = await client.post(PATH, json={"type": "cn_resident_id", "number": "36042619910102009X"},
                                 headers={"Accept-Language": "en"})
    body = await response.json()
    assert response.status == 200 and body["valid"] is False and body["derived"] == {}
    [finding] = body["findings"]
    assert finding["code"] == "doc_check_char_invalid"
    assert set(finding["messages"]) == {"zh-CN", "zh-HK", "en"}
    assert finding["message"] == finding["messages"]["en"]
    assert "36042619910102009X" not in str(body)  # masked


async def test_expired_document_uses_the_service_clock(client) -> None:
    response = await client.post(PATH, json={"type": "hk_mo_travel_permit", "number": "H12345678",
                                             "expiry": "2020.05.31-2025.05.31"})
    body = await response.json()
    assert body["valid"] is False
    assert body["findings"][0]["code"] == "doc_expired"
    assert "2025-05-31" in body["findings"][0]["messages"]["zh-CN"]


async def test_passport_mrz_two_lines(client) -> None:
    mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F3204153ZE184226B<<<<<16"
    body = await (await client.post(PATH, json={"type": "passport_mrz", "number": mrz})).json()
    assert body["valid"] is True, body
    assert body["derived"]["birth_date"] == "1974-08-12" and body["derived"]["expiry"] == "2032-04-15"


async def test_unknown_type_is_a_finding_not_an_error(client) -> None:
    response = await client.post(PATH, json={"type": "library_card", "number": "123"})
    body = await response.json()
    assert response.status == 200
    assert body["valid"] is False and body["findings"][0]["code"] == "doc_type_unknown"


@pytest.mark.parametrize("payload", [{"number": "123"}, {"type": "hk_id"}, {"type": "hk_id", "number": "1", "x": 1},
                                     {"type": "hk_id", "number": 123}])
async def test_a_body_that_does_not_match_the_schema_is_a_problem(client, payload) -> None:
    response = await client.post(PATH, json=payload)
    assert response.status == 422
    assert response.content_type == "application/problem+json"
    assert (await response.json())["code"] == "validation_failed"


async def test_not_json_is_a_problem(client) -> None:
    response = await client.post(PATH, data="type=hk_id", headers={"Content-Type": "text/plain"})
    assert response.status == 415


def test_operation_needs_no_login_and_documents_its_body() -> None:
    [op] = identity_check.operations()
    assert (op.method, op.path, op.auth) == ("POST", PATH, False)
    assert set(op.body.model_json_schema()["properties"]) == {"type", "number", "expiry"}
