"""Every party signs on their own phone: two shareholders with a separate manager and supervisor, a corporate
shareholder through its legal representative with its seal, attested signers with a one-time code or a remote
confirmation link; the applicant sees who has signed; a change after signing asks everyone to sign again."""
from __future__ import annotations

import asyncio
import base64
import hashlib

import rfc8785
from cryptography import x509

from backend import keys
from backend.models import LedgerRecord, Signature
from backend.adapters.documents.pades import verify_pdf
from backend.services import verification
from tests.e2e.phone import DETAILS, Phone, deadline, mainland_id, split_capital

NAME = "广州市黄埔区云帆信息技术有限公司"
SEAL = {"serial": "4401120012345", "image_sha256": hashlib.sha256(b"seal impression").hexdigest()}


def _base(app_id: str) -> str:
    return f"/api/v1/applications/{app_id}"


async def _founded(client) -> tuple[Phone, str]:
    founder = Phone(client)
    await founder.login()
    app = await founder.call("POST", "/api/v1/applications", json={}, expect=201)
    await founder.verify_identity(app["id"])
    return founder, app["id"]


async def _onboard(client, founder: Phone, app_id: str, person: dict) -> tuple[Phone, dict]:
    """The founder adds a participant and invites them; they link their own WeChat, consent and pass a face check."""
    added = await founder.call("POST", f"{_base(app_id)}/participants", json=person, expect=201)
    code = (await founder.call("POST", f"{_base(app_id)}/participants/{added['id']}/invitation", json={}, expect=201))["code"]
    phone = Phone(client)
    await phone.accept_invitation(code)
    await phone.consent(app_id)
    await _face(phone, app_id, added["id"])
    return phone, added


async def _face(phone: Phone, app_id: str, pid: str) -> None:
    started = await phone.call("POST", f"{_base(app_id)}/participants/{pid}/verifications", json={"method": "face"}, expect=201)
    await phone.face("pass")
    await phone.call("POST", f"{_base(app_id)}/participants/{pid}/face-checks/{started['face_check']['verify_id']}/result")


async def _to_documents(founder: Phone, app_id: str) -> None:
    await founder.call("PUT", f"{_base(app_id)}/name", json={"name": NAME})
    await founder.call("PUT", f"{_base(app_id)}/details", json={**DETAILS, "contribution_deadline": deadline()})
    await founder.call("POST", f"{_base(app_id)}/documents", json={})


def _person(name: str, roles: list[str], seq: int) -> dict:
    return {"name": name, "roles": roles, "document_type": "cn_resident_id", "document_number": mainland_id(seq=seq)}


async def test_two_shareholders_with_a_separate_manager_and_supervisor_each_sign_on_their_own_phone(client):
    founder, app_id = await _founded(client)
    founder_row = (await founder.call("GET", f"{_base(app_id)}/participants"))["items"][0]
    await founder.call("PATCH", f"{_base(app_id)}/participants/{founder_row['id']}",
                       json={"roles": ["shareholder", "legal_representative", "executive_director", "finance_officer", "liaison"]})
    await founder.call("PUT", f"{_base(app_id)}/governance", json={"board": "single_director", "supervision": "single_supervisor"})
    second, second_row = await _onboard(client, founder, app_id, _person("李四", ["shareholder"], 31))
    manager, _ = await _onboard(client, founder, app_id, _person("王五", ["manager"], 32))
    supervisor, _ = await _onboard(client, founder, app_id, _person("赵六", ["supervisor"], 33))
    await split_capital(founder, app_id, {founder_row["id"]: "60000", second_row["id"]: "40000"})
    await _to_documents(founder, app_id)

    status = await founder.call("GET", f"{_base(app_id)}/signatures")
    assert [s["status"] for s in status["signers"]] == ["pending"] * 4 and not status["complete"]
    assert {s["name"] for s in status["signers"]} == {"张*", "李*", "王*", "赵*"}  # masked

    # each signer reads what they sign on their own phone: the binding PDF with the hash they sign
    articles = await second.call("GET", f"{_base(app_id)}/documents/articles_of_association")
    assert articles.startswith(b"%PDF") and hashlib.sha256(articles).hexdigest() in {d["sha256"] for d in status["documents"]}
    await founder.fresh_face_check(app_id)
    await founder.call("POST", f"{_base(app_id)}/signatures", json={})
    for phone in (second, manager):
        await phone.call("POST", f"{_base(app_id)}/signatures", json={})
    early = await founder.call("POST", f"{_base(app_id)}/submit", json={}, expect=409)
    assert early["params"]["required"] == "signed"  # submission needs every signature
    status = await founder.call("GET", f"{_base(app_id)}/signatures")
    assert [s["status"] for s in status["signers"]].count("signed") == 3
    pending = [s for s in status["signers"] if s["status"] == "pending"]
    assert [s["name"] for s in pending] == ["赵*"] and pending[0]["roles"] == ["supervisor"]

    signed = await supervisor.call("POST", f"{_base(app_id)}/signatures", json={})
    assert signed["application"]["state"] == "signed" and signed["signing"]["complete"]
    final = await founder.call("POST", f"{_base(app_id)}/submit", json={})
    assert final["state"] == "licensed", final.get("review")
    licence = (await (await client.get(final["licence"]["url"])).json())["licence"]
    assert licence["type"] == "有限责任公司（自然人投资或控股）" and licence["legal_representative"] == "张三"

    stored = await Signature.filter(application_id=app_id, valid=True)
    assert len(stored) == 4 and len({s.signer_id for s in stored}) == 4  # four WeChat users
    ca = x509.load_pem_x509_certificate(client.server.app[keys.SERVICES].ca.ca_certificate_pem().encode())
    for signature in stored:  # offline: the CA certificate verifies each signer's certificate and signature
        cert = x509.load_pem_x509_certificate(signature.certificate_pem.encode())
        ca.public_key().verify(cert.signature, cert.tbs_certificate_bytes)
        cert.public_key().verify(base64.b64decode(signature.signature_b64), rfc8785.dumps(signature.payload))
        assert signature.payload["assurance"]["level"] == "wechat_face"
    steps = [r.step for r in await LedgerRecord.filter(application_id=app_id).order_by("id")]
    assert steps.count("signature") == 3 and steps.count("signed") == 1

    # the signed copy carries the four signatures as PAdES signatures, verifiable offline with the CA certificate,
    # and the binding PDF everyone signed is its untouched prefix
    copy = await second.call("GET", f"{_base(app_id)}/documents/articles_of_association/signed")
    ca_pem = client.server.app[keys.SERVICES].ca.ca_certificate_pem()
    checks = await asyncio.to_thread(verify_pdf, copy, ca_certificate_pem=ca_pem)  # pyHanko runs its own event loop
    assert len(checks) == 4 and all(c.valid for c in checks) and checks[-1].covers_whole_file
    assert copy.startswith(articles) and hashlib.sha256(articles).hexdigest() in {d["sha256"] for d in status["documents"]}
    tampered = copy.replace(b"/Reason", b"/Reasom", 1)
    assert not all(c.valid for c in await asyncio.to_thread(verify_pdf, tampered, ca_certificate_pem=ca_pem))


async def test_a_stale_face_check_and_a_stranger_cannot_sign(client):
    founder, app_id = await _founded(client)
    await _to_documents(founder, app_id)
    from backend.services.clock import advance

    await advance(client.server.app[keys.CLOCK], seconds=11 * 60)  # the identity step's face check is now stale
    stale = await founder.call("POST", f"{_base(app_id)}/signatures", json={}, expect=409)
    assert stale["code"] == "face_check_required" and stale["params"]["max_age_minutes"] == 10
    stranger = Phone(client)
    await stranger.login()
    refused = await stranger.call("POST", f"{_base(app_id)}/signatures", json={}, expect=404)
    assert refused["code"] == "application_not_found"


async def test_a_change_after_signing_asks_everyone_to_sign_again(client):
    founder, app_id = await _founded(client)
    second, second_row = await _onboard(client, founder, app_id, _person("李四", ["shareholder"], 41))
    lead = (await founder.call("GET", f"{_base(app_id)}/participants"))["items"][0]
    await split_capital(founder, app_id, {lead["id"]: "50000", second_row["id"]: "50000"})
    await _to_documents(founder, app_id)
    await second.call("POST", f"{_base(app_id)}/signatures", json={})
    await founder.fresh_face_check(app_id)
    await founder.call("POST", f"{_base(app_id)}/signatures", json={})
    assert (await founder.call("GET", _base(app_id)))["state"] == "signed"

    await founder.call("PUT", f"{_base(app_id)}/details", json={**DETAILS, "business_scope": ["软件开发"],
                                                                "contribution_deadline": deadline()})
    assert (await founder.call("GET", _base(app_id)))["state"] == "details_completed"
    await founder.call("POST", f"{_base(app_id)}/documents", json={})
    status = await second.call("GET", f"{_base(app_id)}/signatures")
    assert [s["status"] for s in status["signers"]] == ["sign_again", "sign_again"]
    assert [s["me"] for s in status["signers"]] == [False, True]
    await _face(second, app_id, status["signers"][1]["participant_id"])
    again = await second.call("POST", f"{_base(app_id)}/signatures", json={})
    assert again["application"]["state"] == "documents_generated"
    assert [s["status"] for s in again["signing"]["signers"]] == ["sign_again", "signed"]
    assert len(await Signature.filter(application_id=app_id, valid=False)) == 2


async def test_a_corporate_shareholder_signs_through_its_representative_with_its_seal(client):
    founder, app_id = await _founded(client)
    rep, rep_row = await _onboard(client, founder, app_id, {**_person("孙七", ["director"], 51), "roles": ["supervisor"]})
    await founder.call("PUT", f"{_base(app_id)}/governance", json={"board": "single_director", "supervision": "single_supervisor"})
    company = await founder.call("POST", f"{_base(app_id)}/participants", expect=201, json={
        "kind": "company", "name": "广州黄埔投资控股有限公司", "roles": ["shareholder"], "document_type": "cn_uscc",
        "document_number": "91110000600037341L", "representative_id": rep_row["id"]})
    lead = (await founder.call("GET", f"{_base(app_id)}/participants"))["items"][0]
    await split_capital(founder, app_id, {lead["id"]: "70000", company["id"]: "30000"})
    await _to_documents(founder, app_id)
    status = await rep.call("GET", f"{_base(app_id)}/signatures")
    mine = [s for s in status["signers"] if s["me"]]
    assert [(s["on_behalf_of"], s["roles"]) for s in mine] == [(None, ["supervisor"]), (company["id"], ["shareholder"])]

    await rep.call("POST", f"{_base(app_id)}/signatures", json={})  # their own slot first
    no_seal = await rep.call("POST", f"{_base(app_id)}/signatures", json={"on_behalf_of": company["id"]}, expect=422)
    assert no_seal["code"] == "signature_seal_required"
    for_company = await rep.call("POST", f"{_base(app_id)}/signatures", json={"on_behalf_of": company["id"], "seal": SEAL})
    assert for_company["signature"]["payload"]["signer"]["seal"] == SEAL
    assert for_company["signature"]["payload"]["signer"]["on_behalf_of"] == company["id"]
    await founder.fresh_face_check(app_id)
    done = await founder.call("POST", f"{_base(app_id)}/signatures", json={})
    assert done["application"]["state"] == "signed"
    final = await founder.call("POST", f"{_base(app_id)}/submit", json={})
    assert final["state"] == "licensed"
    assert (await (await client.get(final["licence"]["url"])).json())["licence"]["type"] == "其他有限责任公司"


async def _attested_hk(client, founder: Phone, app_id: str) -> dict:
    hk = await founder.call("POST", f"{_base(app_id)}/participants", expect=201, json={
        "kind": "person", "name": "陳大文", "roles": ["shareholder"], "document_type": "hk_id", "document_number": "G123456A"})
    await founder.call("POST", f"{_base(app_id)}/participants/{hk['id']}/verifications", json={}, expect=201)
    await verification.close_verification(client.server.app[keys.SERVICES], participant_id=hk["id"],
                                          method="partner_attestation", passed=True, closed_by="partner:test")
    lead = (await founder.call("GET", f"{_base(app_id)}/participants"))["items"][0]
    await split_capital(founder, app_id, {lead["id"]: "50000", hk["id"]: "50000"})
    return hk


async def _hk_on_their_phone(client, founder: Phone, app_id: str) -> tuple[dict, Phone]:
    """The attested Hong Kong shareholder links their own WeChat; the founder then makes the documents."""
    hk = await _attested_hk(client, founder, app_id)
    code = (await founder.call("POST", f"{_base(app_id)}/participants/{hk['id']}/invitation", json={}, expect=201))["code"]
    hk_phone = Phone(client)
    await hk_phone.accept_invitation(code)
    await _to_documents(founder, app_id)
    return hk, hk_phone


async def test_an_attested_hong_kong_signer_confirms_with_a_one_time_code(client):
    founder, app_id = await _founded(client)
    hk, hk_phone = await _hk_on_their_phone(client, founder, app_id)

    no_code = await hk_phone.call("POST", f"{_base(app_id)}/signatures", json={}, expect=409)
    assert no_code["code"] == "signing_code_required"
    bad_phone = await hk_phone.call("POST", f"{_base(app_id)}/participants/{hk['id']}/signing-code", json={"phone": "12345"}, expect=422)
    assert bad_phone["code"] == "phone_invalid"
    sent = await hk_phone.call("POST", f"{_base(app_id)}/participants/{hk['id']}/signing-code", json={"phone": "+852 9123 4567"}, expect=201)
    assert sent["phone"] == "+852 ****4567"
    right = await hk_phone.sms_code("+85291234567")
    wrong = "000000" if right != "000000" else "111111"
    miss = await hk_phone.call("POST", f"{_base(app_id)}/signatures", json={"code": wrong}, expect=422)
    assert miss["code"] == "signing_code_wrong" and miss["params"]["attempts_left"] == 4
    signed = await hk_phone.call("POST", f"{_base(app_id)}/signatures", json={"code": right})
    assert signed["signature"]["payload"]["assurance"]["level"] == "partner_attestation+sms_code"
    reused = await hk_phone.call("POST", f"{_base(app_id)}/signatures", json={"code": right})
    assert reused["signature"]["id"] == signed["signature"]["id"]  # the same documents signed again: the same signature

    lead = (await founder.call("GET", f"{_base(app_id)}/participants"))["items"][0]  # face-checked: no code for them
    face_holder = await founder.call("POST", f"{_base(app_id)}/participants/{lead['id']}/signing-code",
                                     json={"phone": "13800138000"}, expect=409)
    assert face_holder["code"] == "signer_attestation_required"


async def test_five_wrong_codes_lock_the_code(client):
    founder, app_id = await _founded(client)
    hk, hk_phone = await _hk_on_their_phone(client, founder, app_id)
    await hk_phone.call("POST", f"{_base(app_id)}/participants/{hk['id']}/signing-code", json={"phone": "+85366123456"}, expect=201)
    right = await hk_phone.sms_code("+85366123456")
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1, 0):
        miss = await hk_phone.call("POST", f"{_base(app_id)}/signatures", json={"code": wrong}, expect=422)
        assert miss["params"]["attempts_left"] == left
    locked = await hk_phone.call("POST", f"{_base(app_id)}/signatures", json={"code": right}, expect=429)
    assert locked["code"] == "signing_code_locked"


async def test_a_signer_without_the_mini_program_confirms_through_a_link_and_a_code(client):
    founder, app_id = await _founded(client)
    hk = await _attested_hk(client, founder, app_id)
    await _to_documents(founder, app_id)
    link = await founder.call("POST", f"{_base(app_id)}/participants/{hk['id']}/confirmation-link",
                              json={"phone": "+85291234567"}, expect=201)
    token = link["token"]
    assert link["url"].endswith(f"/confirm/{token}") and link["phone"] == "+852 ****4567"
    view = await (await client.get(f"/api/v1/confirmations/{token}")).json()
    assert view["company_name"] == NAME and view["signer"]["name"] == "陳**" and not view["slots"][0]["signed"]
    assert {d["kind"] for d in view["documents"]} == {d["kind"] for d in (await founder.call("GET", _base(app_id)))["documents"]}
    page = await client.get(f"/confirm/{token}", headers={"Accept-Language": "zh-HK"})
    text = await page.text()
    assert page.status == 200 and "確認簽署" in text and view["documents"][0]["sha256"] in text and "G123456A" not in text
    english = await (await client.get(f"/confirm/{token}?lang=en")).text()
    assert "Confirm your signature" in english and "translations only" in english
    code = await founder.sms_code("+85291234567")
    unknown = await client.post("/api/v1/confirmations/not-a-token/signature", json={"code": code})
    assert unknown.status == 404 and (await unknown.json())["code"] == "confirmation_not_found"
    confirmed = await client.post(f"/api/v1/confirmations/{token}/signature", json={"code": code})
    body = await confirmed.json()
    assert confirmed.status == 200, body
    assert body["signature"]["payload"]["signer"]["user"] is None and not body["complete"]
    await founder.fresh_face_check(app_id)
    done = await founder.call("POST", f"{_base(app_id)}/signatures", json={})
    assert done["application"]["state"] == "signed"
    view = await (await client.get(f"/api/v1/confirmations/{token}")).json()
    assert view["used"] and view["slots"][0]["signed"]


async def test_documents_that_no_longer_state_the_data_go_to_an_officer_not_to_a_licence(client):
    from backend.models import Application

    founder, app_id = await _founded(client)
    await _to_documents(founder, app_id)
    await founder.fresh_face_check(app_id)
    await founder.call("POST", f"{_base(app_id)}/signatures", json={})
    stored = await Application.get(id=app_id)  # the data changed behind the documents' back (a fault, not a step)
    stored.details = {**stored.details, "address": "广州市黄埔区萝岗街道科学大道200号"}
    await stored.save(update_fields=["details"])
    referred = await founder.call("POST", f"{_base(app_id)}/submit", json={})
    assert referred["state"] == "in_review"
    assert [f["code"] for f in referred["review"]["findings"]] == ["review_documents_inconsistent"]
