"""A Hong Kong investor's application opened and driven by a partner bank up to the generated documents: signed
attestations verified against the partner's key, on the ledger and verifiable there, the negative list and HKD
capital at the details step; a partner sees its own applications only."""
from __future__ import annotations

import base64
import datetime as dt
import json
import sys
from pathlib import Path

import aiohttp
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from backend import keys
from backend.models import LedgerRecord, Verification
from backend.services.partners import register_partner
from tests.conftest import SHARED

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "miniprogram-mock"))
from kaiban_mock.partner import PartnerClient  # noqa: E402

sys.path.insert(0, str(SHARED / "tools"))
import ledger_check  # noqa: E402

BASE = "/api/v1/partner/applications"
SCOPES = ("applications:submit", "applications:read", "attestations:write")
DUE = (dt.date.today() + dt.timedelta(days=365 * 4)).isoformat()
FOUNDER = {"kind": "person", "name": "陳大文", "document_type": "hk_id", "document_number": "G123456(A)",
           "roles": ["shareholder", "legal_representative", "executive_director", "manager", "finance_officer", "liaison"],
           "founder": True, "contribution": {"amount_cny": "552600.00", "form": "currency", "deadline": DUE}}
HOLDING = {"kind": "company", "name": "香港雲帆控股有限公司", "document_type": "hk_company", "document_number": "12345678",
           "roles": ["shareholder"], "representative": 0,
           "contribution": {"amount_cny": "368400.00", "form": "currency", "deadline": DUE}}  # HKD 600,000 and 400,000
CARD = b"scan of the Hong Kong identity card, front and back"
CERTIFIED = b"notarised copy of the certificate of incorporation and business registration"


@pytest.fixture
async def bank(server_factory):
    server = await server_factory()
    async with aiohttp.ClientSession() as session:
        yield server, session, await _partner(server, session, "香港測試銀行")


async def _partner(server, session, name: str, scopes=SCOPES) -> PartnerClient:
    key = Ed25519PrivateKey.generate()
    registered = await register_partner(name=name, kind="bank", region="HK", public_key_b64=PartnerClient.public_key_b64(key),
                                        scopes=list(scopes), rate_limit_per_minute=1000, clock=server.app[keys.CLOCK])
    client = PartnerClient(session=session, base_url=str(server.make_url("/")), key_id=registered.key_id, key=key)
    await client.sync_clock()
    return client


async def _consent_version(partner: PartnerClient) -> str:
    async with partner.session.get(partner.base_url.rstrip("/") + "/api/v1/consents/identity") as response:
        return (await response.json())["version"]


async def _submit(partner: PartnerClient, *people) -> dict:
    status, body = await partner.request("POST", BASE, {"reference": "HKB-2026-0001", "participants": list(people),
                                                       "consent_text_version": await _consent_version(partner)})
    assert status == 201, body
    return body


def _person(view: dict, kind: str) -> dict:
    return next(p for p in view["participants"] if p["kind"] == kind)


def _details(scope: list[str], *, founder: str, holding: str) -> dict:
    today = dt.date.today()
    return {
        "address": "广州市黄埔区萝岗街道科学大道100号", "business_scope": scope, "liaison_phone": "13800138000",
        "registered_capital": {"amount": "1000000", "currency": "HKD", "rate": "0.9210", "rate_date": today.isoformat()},
        "contribution_deadline": (today + dt.timedelta(days=365 * 4)).isoformat(),
        "investment_report": {
            "industry_code": "I6513", "total_investment": "1500000",
            "investors": [{"participant_id": founder, "subscribed": "600000", "contribution_form": "currency"},
                          {"participant_id": holding, "subscribed": "400000", "contribution_form": "currency"}],
            "actual_controller": {"participant_id": founder, "kind": "natural_person", "region": "HK"},
        },
    }


async def test_a_hong_kong_investors_application_through_the_partner_up_to_documents(bank) -> None:
    server, session, partner = bank
    created = await _submit(partner, FOUNDER, HOLDING)
    app_id = created["id"]
    assert created["state"] == "created" and created["reference"] == "HKB-2026-0001"
    founder, holding = _person(created, "person"), _person(created, "company")
    assert founder["status"] == "pending_attestation" and founder["founder"] and founder["name"] != "陳大文"
    assert founder["verification"] == {"method": "partner_attestation", "status": "pending", "assurance": "partner_attestation"}
    assert "G123456" not in json.dumps(created, ensure_ascii=False)

    # the founder attested: verified with assurance partner_attestation, which is the identity step
    token = partner.attestation(application_id=app_id, participant_id=founder["id"], documents={"hk_id_card": CARD})
    status, attested = await partner.request("POST", f"{BASE}/{app_id}/attestations",
                                             {"participant_id": founder["id"], "attestation": token})
    assert status == 201, attested
    view = attested["application"]
    assert view["state"] == "identity_verified" and view["identity"]["document_type"] == "hk_id"
    assert _person(view, "person")["status"] == "verified" and _person(view, "person")["assurance"] == "partner_attestation"
    # the same attestation again is the same record
    again = await partner.request("POST", f"{BASE}/{app_id}/attestations", {"participant_id": founder["id"], "attestation": token})
    assert again[0] == 201 and again[1]["attestation"]["id"] == attested["attestation"]["id"]
    # the corporate shareholder's certified documents, attested by their hashes
    certified = partner.attestation(application_id=app_id, participant_id=holding["id"], method="in_person_notarised_copy",
                                    documents={"certificate_of_incorporation_certified": CERTIFIED})
    assert (await partner.request("POST", f"{BASE}/{app_id}/attestations",
                                  {"participant_id": holding["id"], "attestation": certified}))[0] == 201

    status, governed = await partner.request("PUT", f"{BASE}/{app_id}/governance", {
        "board": "single_director", "supervision": "no_supervisor", "all_shareholders_agree_no_supervisor": True})
    assert status == 200 and governed["governance"]["supervision"] == "no_supervisor", governed
    status, named = await partner.request("PUT", f"{BASE}/{app_id}/name", {"name": "广州市黄埔区港帆信息技术有限公司"})
    assert status == 200 and named["application"]["state"] == "name_reserved", named

    # a prohibited item of the negative list refuses the scope; a restricted one is flagged with its conditions
    status, refused = await partner.request("PUT", f"{BASE}/{app_id}/details",
                                            _details(["软件开发", "烟草制品零售"], founder=founder["id"], holding=holding["id"]))
    assert status == 422 and refused["code"] == "negative_list_scope_prohibited", refused
    prohibited = refused["findings"][0]
    assert prohibited["code"] == "negative_list_prohibited" and prohibited["params"]["no"] == 7
    assert "烟草" in prohibited["hint"]["messages"]["zh-CN"] and "煙草製品" in prohibited["hint"]["messages"]["zh-HK"]
    assert "tobacco" in prohibited["hint"]["messages"]["en"]
    status, detailed = await partner.request("PUT", f"{BASE}/{app_id}/details", _details(
        ["软件开发", "信息技术咨询服务", "市场调查（不含涉外调查）"], founder=founder["id"], holding=holding["id"]))
    assert status == 200, detailed
    stored = detailed["application"]["details"]
    assert stored["registered_capital_cny"] == "921000.00"
    assert stored["registered_capital"] == {"amount": "1000000.00", "currency": "HKD", "rate": "0.9210",
                                            "rate_date": dt.date.today().isoformat(), "cny_equivalent": "921000.00"}
    report = stored["foreign_investment"]["investment_report"]
    assert report["foreign_share_percent"] == "100.00" and report["special_measures"] == [15]
    assert [i["share_percent"] for i in report["investors"]] == ["60.00", "40.00"]
    assert stored["foreign_investment"]["negative_list"]["edition"] == "2024"
    assert [f["code"] for f in detailed["findings"]] == ["negative_list_restricted"]

    status, generated = await partner.request("POST", f"{BASE}/{app_id}/documents")
    assert status == 200, generated
    assert generated["application"]["state"] == "documents_generated" and len(generated["documents"]) == 6

    # the attestation on the ledger verifies against the partner's key and holds no personal data
    record = await LedgerRecord.filter(application_id=app_id, step="partner_attested").order_by("id").first()
    async with session.get(str(server.make_url(f"/api/v1/ledger/entries/{record.ledger_index}"))) as response:
        leaf = base64.b64decode((await response.json())["leaf"])
    facts = json.loads(leaf)["facts"]
    assert facts["partner"] == partner.key_id and facts["assurance"] == "partner_attestation"
    payload = jwt.decode(facts["attestation"], partner.key.public_key(), algorithms=["EdDSA"])
    assert payload["participant"] == founder["id"] and payload["documents"][0]["kind"] == "hk_id_card"
    assert "陳大文" not in leaf.decode() and "G123456" not in leaf.decode()
    # and it is in the tree the signed checkpoint commits to (RFC 9162, checked by the independent shared checker)
    async with session.get(str(server.make_url("/api/v1/ledger/checkpoint"))) as response:
        _, size, root = (await response.text()).split("\n")[:3]
    async with session.get(str(server.make_url(f"/api/v1/ledger/proofs/inclusion?index={record.ledger_index}&size={size}"))) as response:
        proof = [base64.b64decode(h) for h in (await response.json())["hashes"]]
    assert ledger_check.inclusion(record.ledger_index, int(size), ledger_check.leaf_hash(leaf), proof, base64.b64decode(root))
    assert (await Verification.get(participant_id=founder["id"])).closed_by == f"partner:{partner.key_id}"

    status, listed = await partner.request("GET", BASE)
    assert status == 200 and [a["id"] for a in listed["items"]] == [app_id]
    status, shown = await partner.request("GET", f"{BASE}/{app_id}")
    assert shown["state"] == "documents_generated" and {p["signature"] for p in shown["participants"]} == {"not_signed"}
    assert _person(shown, "person")["signing_requires"] == "partner_attestation"  # a Hong Kong card: no WeChat face check


async def test_attestations_that_do_not_verify_are_refused_with_distinct_codes(bank) -> None:
    server, session, partner = bank
    created = await _submit(partner, FOUNDER)
    app_id, pid = created["id"], created["participants"][0]["id"]

    async def attest(token: str) -> tuple[int, str]:
        status, body = await partner.request("POST", f"{BASE}/{app_id}/attestations", {"participant_id": pid, "attestation": token})
        return status, body["code"]

    forged = PartnerClient(session=session, base_url=partner.base_url, key_id=partner.key_id, key=Ed25519PrivateKey.generate())
    assert await attest(forged.attestation(application_id=app_id, participant_id=pid, documents={"hk_id_card": CARD})) == (
        422, "attestation_signature_invalid")
    other_kid = partner.attestation(application_id=app_id, participant_id=pid, documents={"hk_id_card": CARD}, key_id="another")
    assert await attest(other_kid) == (422, "attestation_key_mismatch")
    elsewhere = partner.attestation(application_id=app_id, participant_id=app_id, documents={"hk_id_card": CARD})
    assert await attest(elsewhere) == (422, "attestation_mismatch")
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=200)
    assert await attest(partner.attestation(application_id=app_id, participant_id=pid, documents={"hk_id_card": CARD},
                                            verified_at=old)) == (422, "attestation_stale")
    named = partner.attestation(application_id=app_id, participant_id=pid, documents={"hk_id_card": CARD},
                                staff_reference="陳大文")
    assert await attest(named) == (422, "attestation_malformed")
    assert await attest("this-is.not-a.compact-jws") == (422, "attestation_malformed")
    status, body = await partner.request("GET", f"{BASE}/{app_id}")
    assert body["participants"][0]["status"] == "pending_attestation"
    assert not await LedgerRecord.filter(application_id=app_id, step="partner_attested").exists()


async def test_a_partner_sees_and_acts_on_its_own_applications_only(bank) -> None:
    server, session, partner = bank
    created = await _submit(partner, FOUNDER)
    app_id, pid = created["id"], created["participants"][0]["id"]
    rival = await _partner(server, session, "澳門測試銀行")
    assert (await rival.request("GET", f"{BASE}/{app_id}"))[0] == 404
    assert (await rival.request("GET", BASE))[1]["items"] == []
    token = rival.attestation(application_id=app_id, participant_id=pid, documents={"hk_id_card": CARD})
    status, body = await rival.request("POST", f"{BASE}/{app_id}/attestations", {"participant_id": pid, "attestation": token})
    assert (status, body["code"]) == (404, "application_not_found")
    assert (await rival.request("PUT", f"{BASE}/{app_id}/name", {"name": "广州市黄埔区港帆信息技术有限公司"}))[0] == 404
    assert (await rival.request("POST", f"{BASE}/{app_id}/withdraw"))[0] == 404
    status, withdrawn = await partner.request("POST", f"{BASE}/{app_id}/withdraw")
    assert status == 200 and withdrawn["state"] == "withdrawn"
    reader = await _partner(server, session, "只讀銀行", scopes=("applications:read",))
    status, body = await reader.request("POST", BASE, {"participants": [FOUNDER], "consent_text_version": "x"})
    assert (status, body["code"]) == (403, "partner_scope_missing")


async def test_a_bad_submission_leaves_nothing_half_made(bank) -> None:
    server, session, partner = bank
    version = await _consent_version(partner)
    status, body = await partner.request("POST", BASE, {"participants": [dict(FOUNDER, founder=False)], "consent_text_version": version})
    assert (status, body["code"]) == (422, "partner_founder_required")
    bad_card = dict(FOUNDER, document_number="G123456(B)")
    status, body = await partner.request("POST", BASE, {"participants": [bad_card], "consent_text_version": version})
    assert (status, body["code"]) == (422, "participant_document_invalid")
    assert (await partner.request("GET", BASE))[1]["items"] == []


async def test_a_submission_is_refused_unsigned_tampered_replayed_stale_or_from_an_unknown_key(bank) -> None:
    server, session, partner = bank
    url = str(server.make_url(BASE))
    body = json.dumps({"participants": [FOUNDER], "consent_text_version": await _consent_version(partner)},
                      ensure_ascii=False).encode()

    async def post(data: bytes, headers: dict) -> tuple[int, str]:
        async with session.post(url, data=data, headers=headers) as response:
            return response.status, (await response.json())["code"]

    assert await post(body, {"Content-Type": "application/json"}) == (401, "partner_signature_missing")
    tampered = body.replace("陳大文".encode(), "陳小文".encode())
    assert await post(tampered, partner.signed_headers("POST", url, body)) == (401, "partner_signature_invalid")
    stranger = PartnerClient(session=session, base_url=partner.base_url, key_id="partner-nobody",
                             key=Ed25519PrivateKey.generate(), clock_offset=partner.clock_offset)
    assert await post(body, stranger.signed_headers("POST", url, body)) == (401, "partner_key_unknown")
    stale = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=partner.clock_offset - 900)
    assert await post(body, partner.signed_headers("POST", url, body, created=stale)) == (401, "partner_request_stale")
    signed = partner.signed_headers("POST", url, body)
    async with session.post(url, data=body, headers=signed) as response:
        assert response.status == 201
    assert await post(body, signed) == (401, "partner_request_replayed")
    assert len((await partner.request("GET", BASE))[1]["items"]) == 1  # the replay opened nothing
