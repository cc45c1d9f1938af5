"""Hostile input on the main write endpoints: each case refused with its own problem code, never a 500, on SQLite and
PostgreSQL (which refuses NUL in text, where SQLite takes it)."""
from __future__ import annotations

import gzip
import json

import pytest

from tests.e2e.phone import DETAILS, Phone, deadline, mainland_id

JSON = "application/json"
# Each endpoint with a body it would take and the text field that the cases abuse.
ENDPOINTS = {
    "identity": ("PUT", "/api/v1/applications/{id}/identity",
                 {"name": "张三", "document_type": "mainland_resident_id", "document_number": mainland_id()}, "name"),
    "name": ("PUT", "/api/v1/applications/{id}/name", {"name": "广州市黄埔区云帆信息技术有限公司"}, "name"),
    "details": ("PUT", "/api/v1/applications/{id}/details", {**DETAILS, "contribution_deadline": deadline()}, "address"),
    "participant": ("POST", "/api/v1/applications/{id}/participants",
                    {"name": "李四", "roles": ["shareholder"], "document_type": "cn_resident_id",
                     "document_number": mainland_id(seq=2)}, "name"),
    "name_check": ("POST", "/api/v1/names/check", {"name": "广州市黄埔区云帆信息技术有限公司"}, "name"),
    "identity_check": ("POST", "/api/v1/identity/documents/check",
                       {"type": "cn_resident_id", "number": mainland_id()}, "number"),
}


def _with(body: dict, field: str, value) -> bytes:
    return json.dumps({**body, field: value}).encode()


# case -> (build the raw body from (body, field), extra headers, status, code)
CASES = {
    "oversized": (lambda body, field: _with(body, field, "云" * 400_000), {}, 413, "body_too_large"),
    "gzip_bomb": (lambda body, field: gzip.compress(_with(body, field, "a" * 50_000_000)), {"Content-Encoding": "gzip"},
                  413, "body_too_large"),
    "malformed": (lambda body, field: json.dumps(body).encode()[:-1], {}, 400, "malformed_json"),
    "not_utf8": (lambda body, field: _with(body, field, "@@").replace(b"@@", b"\xff\xfe"), {}, 400,
                 "malformed_json"),
    "wrong_type": (lambda body, field: json.dumps(body).encode(), {"Content-Type": "text/plain"}, 415,
                   "unsupported_media_type"),
    "form_type": (lambda body, field: b"name=x", {"Content-Type": "application/x-www-form-urlencoded"}, 415,
                  "unsupported_media_type"),
    "deep_nesting": (lambda body, field: b"[" * 100_000 + b"]" * 100_000, {}, 400, "malformed_json"),
    "nested_field": (lambda body, field: _with(body, field, json.loads("[" * 500 + "]" * 500)), {}, 422,
                     "validation_failed"),
    "long_string": (lambda body, field: _with(body, field, "云" * 100_000), {}, 422, "validation_failed"),
    "huge_array": (lambda body, field: _with(body, field, ["a"] * 60_000), {}, 422, "validation_failed"),
    "nul": (lambda body, field: _with(body, field, body[field][:2] + "\x00" + body[field][2:]), {}, 422,
            "text_control_character"),
    "escape_character": (lambda body, field: _with(body, field, "\x1b[31m" + body[field]), {}, 422,
                         "text_control_character"),
    "lone_surrogate": (lambda body, field: _with(body, field, "x").replace(b'"x"', b'"\\ud800"'), {}, 422,
                       "validation_failed"),
}


async def test_the_bodies_abused_below_are_taken_as_they_are(client, applicant) -> None:
    phone, app_id = applicant
    for endpoint, (method, template, body, _) in ENDPOINTS.items():
        resp = await client.request(method, template.format(id=app_id), json=body, headers=phone.auth)
        # taken as input: done, or (the name before the identity is verified) a step out of order
        assert resp.status in (200, 201) or (await resp.json())["code"] == "step_out_of_order", (endpoint, await resp.text())


@pytest.fixture
async def applicant(client):
    """A logged-in applicant with a draft application and the identity consent given."""
    phone = Phone(client)
    await phone.login()
    application = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.consent(application["id"])
    return phone, application["id"]


@pytest.mark.parametrize("case", sorted(CASES))
async def test_hostile_bodies_get_their_problem_code_on_every_write_endpoint(client, applicant, case) -> None:
    phone, app_id = applicant
    build, headers, status, code = CASES[case]
    wrong = []
    for endpoint, (method, template, body, field) in ENDPOINTS.items():
        raw = build(body, field)
        resp = await client.request(method, template.format(id=app_id), data=raw,
                                    headers={**phone.auth, "Content-Type": JSON, "Accept-Language": "en", **headers})
        problem = await resp.json() if resp.content_type == "application/problem+json" else {}
        if resp.status != status or problem.get("code") != code:
            wrong.append(f"{endpoint}: {resp.status} {problem.get('code') or (await resp.text())[:120]}")
        elif status == 422 and code in ("validation_failed", "text_control_character"):
            named = {e["field"] for e in problem.get("errors", [])} | {problem.get("params", {}).get("field")}
            if not any(name and name.split(".")[0] == field for name in named):
                wrong.append(f"{endpoint}: {code} does not name {field}: {problem}")
    assert wrong == [], "\n".join(wrong)


async def test_control_characters_in_a_query_string_are_refused(client) -> None:
    resp = await client.get("/api/v1/names/check", params={"name": "广州市黄埔区云\x00帆信息技术有限公司"})
    body = await resp.json()
    assert resp.status == 422 and body["code"] == "text_control_character" and body["params"]["field"] == "name"


async def test_zero_width_characters_in_a_persons_name_are_refused(client, applicant) -> None:
    phone, app_id = applicant
    resp = await client.put(f"/api/v1/applications/{app_id}/identity", headers=phone.auth, json={
        "name": "张\u200b三", "document_type": "mainland_resident_id", "document_number": mainland_id()})
    body = await resp.json()
    assert resp.status == 422 and body["code"] == "field_invalid" and body["params"]["field"] == "name"


async def test_a_full_width_identity_number_is_read_as_its_ascii_digits(client, applicant) -> None:
    phone, app_id = applicant
    number = mainland_id()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)  # what a Chinese input method types in full-width mode
    done = await phone.call("PUT", f"/api/v1/applications/{app_id}/identity", json={
        "name": "张三", "document_type": "mainland_resident_id", "document_number": full_width})
    masked = done["application"]["identity"]["document_number"]
    assert masked.startswith(number[:4]) and masked.endswith(number[-4:]) and number not in json.dumps(done)


@pytest.mark.parametrize("name", [
    "广州市黄埔区Сloud云帆信息技术有限公司",  # a Cyrillic С among Latin and Chinese letters
    "广州市黄埔区云\u200d帆信息技术有限公司",  # a zero-width joiner inside the trade name
])
async def test_mixed_scripts_and_invisible_characters_in_a_company_name_are_refused(client, applicant, name) -> None:
    phone, app_id = applicant
    resp = await client.put(f"/api/v1/applications/{app_id}/name", headers=phone.auth, json={"name": name})
    body = await resp.json()
    assert resp.status == 422 and body["code"] == "name_rejected"
    check = await (await client.post("/api/v1/names/check", json={"name": name})).json()
    assert check["ok"] is False


async def test_full_width_latin_in_a_company_name_is_checked_as_ascii(client) -> None:
    check = await (await client.post("/api/v1/names/check", json={"name": "广州市黄埔区ＡＢＣ信息技术有限公司"})).json()
    assert check["name"] == "广州市黄埔区ABC信息技术有限公司" and check["parsed"]["trade_name"] == "ABC"
