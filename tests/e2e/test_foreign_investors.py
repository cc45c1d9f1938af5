"""In the mini-program too: once a shareholder is from Hong Kong, the business scope is checked against the
negative list at the details step, and the application records its investors' regions; mainland-only stays as it was."""
from __future__ import annotations

from tests.e2e.phone import DETAILS, Phone, deadline

HK_SHAREHOLDER = {"kind": "person", "name": "陳大文", "roles": ["shareholder"], "document_type": "hk_id",
                  "document_number": "G123456A"}


async def _to_details(client) -> tuple[Phone, str]:
    phone = Phone(client)
    await phone.login()
    app = (await phone.call("POST", "/api/v1/applications", json={}, expect=201))["id"]
    await phone.verify_identity(app)
    await phone.call("PUT", f"/api/v1/applications/{app}/name", json={"name": "广州市黄埔区港帆信息技术有限公司"})
    return phone, app


async def test_a_hong_kong_shareholder_brings_the_negative_list_to_the_details_step(client):
    phone, app = await _to_details(client)
    await phone.call("POST", f"/api/v1/applications/{app}/participants", json=HK_SHAREHOLDER, expect=201)
    details = {**DETAILS, "contribution_deadline": deadline(), "business_scope": ["软件开发", "电影发行"]}
    refused = await phone.call("PUT", f"/api/v1/applications/{app}/details", json=details, expect=422)
    assert refused["code"] == "negative_list_scope_prohibited" and refused["findings"][0]["params"]["no"] == 27
    assert set(refused["messages"]) == {"zh-CN", "zh-HK", "en"} and "2024" in refused["messages"]["en"]
    done = await phone.call("PUT", f"/api/v1/applications/{app}/details", json={**details, "business_scope": ["软件开发"]})
    foreign = done["details"]["foreign_investment"]
    assert foreign["investor_regions"] == ["HK", "mainland"] and foreign["negative_list"]["restricted"] == []
    assert done["details"]["registered_capital"]["currency"] == "CNY"


async def test_a_mainland_only_company_is_not_checked_against_the_list(client):
    phone, app = await _to_details(client)
    details = {**DETAILS, "contribution_deadline": deadline(), "business_scope": ["软件开发", "电影发行"]}
    done = await phone.call("PUT", f"/api/v1/applications/{app}/details", json=details)
    assert done["state"] == "details_completed" and "foreign_investment" not in done["details"]
