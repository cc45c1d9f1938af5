"""Documents drafted from every participant through the API: two shareholders with a separate manager and
supervisor, and a corporate shareholder acting through its representative; a seeded capital error refuses them."""
from __future__ import annotations

from backend import keys
from backend.services import verification
from tests.adapters.documents.test_render import body_text
from tests.e2e.phone import DETAILS, Phone, deadline


def _text(pdf: bytes) -> str:
    return body_text(pdf)  # the pages' text without their footers, white space removed


async def _formed_by_founder(client) -> tuple[Phone, str, str]:
    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.verify_identity(app["id"])
    base = f"/api/v1/applications/{app['id']}"
    await phone.call("PUT", f"{base}/name", json={"name": "广州市黄埔区云帆信息技术有限公司"})
    await phone.call("PUT", f"{base}/details", json={**DETAILS, "contribution_deadline": deadline()})
    founder = (await phone.call("GET", f"{base}/participants"))["items"][0]
    return phone, base, founder["id"]


async def _add(phone: Phone, client, base: str, body: dict, *, attest: bool = True) -> dict:
    added = await phone.call("POST", f"{base}/participants", json=body, expect=201)
    if attest:
        await phone.call("POST", f"{base}/participants/{added['id']}/verifications", json={}, expect=201)
        await verification.close_verification(client.server.app[keys.SERVICES], participant_id=added["id"],
                                              method="partner_attestation", passed=True, closed_by="partner:test")
    return added


def _contribution(amount: str, form: str = "currency") -> dict:
    return {"amount_cny": amount, "form": form, "deadline": deadline()}


async def test_two_shareholders_with_a_separate_manager_and_supervisor(client) -> None:
    phone, base, founder = await _formed_by_founder(client)
    await phone.call("PATCH", f"{base}/participants/{founder}", json={
        "roles": ["shareholder", "legal_representative", "executive_director", "liaison"],
        "contribution": _contribution("50000")})
    partner = await _add(phone, client, base, {"name": "陳大文", "roles": ["shareholder"], "document_type": "hk_id",
                                               "document_number": "G123456A",
                                               "contribution": _contribution("40000", "intellectual_property")})
    assert partner["contribution"] == {"amount_cny": "40000.00", "form": "intellectual_property", "deadline": deadline()}
    await _add(phone, client, base, {"name": "林美玲", "roles": ["manager", "finance_officer"], "document_type": "hk_id",
                                     "document_number": "A5555550"})
    await _add(phone, client, base, {"name": "何小華", "roles": ["supervisor"], "document_type": "hk_id",
                                     "document_number": "C5678909"})
    await phone.call("PUT", f"{base}/governance", json={"board": "single_director", "supervision": "single_supervisor"})

    # seeded error: 50,000 + 40,000 is not the registered capital of 100,000 (art. 47)
    refused = await phone.call("POST", f"{base}/documents", json={}, expect=422)
    assert [(f["rule"], f["code"]) for f in refused["findings"]] == [
        ("company_law_2023_art47", "company_law_contributions_do_not_add_up")]
    assert "Art. 47" in refused["findings"][0]["messages"]["en"]
    # a contribution for someone who is not a shareholder is refused at once
    manager = (await phone.call("GET", f"{base}/participants"))["items"][2]
    wrong = await phone.call("PATCH", f"{base}/participants/{manager['id']}", json={"contribution": _contribution("1")},
                             expect=422)
    assert wrong["code"] == "participant_contribution_not_shareholder"

    await phone.call("PATCH", f"{base}/participants/{founder}", json={"contribution": _contribution("60000")})
    made = await phone.call("POST", f"{base}/documents", json={})
    kinds = {d["kind"] for d in made["documents"]}
    assert kinds == {"articles_of_association", "application_form", "shareholders_resolution", "appointments",
                     "finance_and_liaison", "address_statement"}
    articles = _text(await phone.call("GET", f"{base}/documents/articles_of_association"))
    assert "股东会由全体股东组成" in articles and "陳大文" in articles and "知识产权" in articles
    assert "占注册资本的60.00%" in articles and "占注册资本的40.00%" in articles
    assert "首任经理为林美玲" in articles and "首任监事为何小華" in articles
    appointments = _text(await phone.call("GET", f"{base}/documents/appointments"))
    assert all(name in appointments for name in ("张三", "林美玲", "何小華"))
    finance = _text(await phone.call("GET", f"{base}/documents/finance_and_liaison"))
    assert "林美玲" in finance and "13800138000" in finance
    resolution = _text(await phone.call("GET", f"{base}/documents/shareholders_resolution"))
    assert "股东会决议" in resolution and "陳大文" in resolution


async def test_a_corporate_shareholder_signs_through_its_representative(client) -> None:
    phone, base, founder = await _formed_by_founder(client)
    await phone.call("PATCH", f"{base}/participants/{founder}", json={"contribution": _contribution("70000")})
    representative = await _add(phone, client, base, {"name": "吳志強", "roles": ["supervisor"], "document_type": "hk_id",
                                                      "document_number": "C5678909"})
    await _add(phone, client, base, {"kind": "company", "name": "上海云帆投资有限公司", "roles": ["shareholder"],
                                     "document_type": "cn_uscc", "document_number": "91310115MA1K3BTP2B",
                                     "representative_id": representative["id"],
                                     "contribution": _contribution("30000", "equity")}, attest=False)
    await phone.call("PUT", f"{base}/governance", json={"board": "single_director", "supervision": "single_supervisor"})
    await phone.call("POST", f"{base}/documents", json={})
    articles = _text(await phone.call("GET", f"{base}/documents/articles_of_association"))
    assert "上海云帆投资有限公司" in articles and "股权" in articles and "法定代表人吳志強代表" in articles
    form = _text(await phone.call("GET", f"{base}/documents/application_form"))
    assert "统一社会信用代码：91310115MA1K3BTP2B" in form
