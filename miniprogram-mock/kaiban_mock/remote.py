"""A Hong Kong investor forms a company without crossing the border (足不入境、离岸办理), through a partner bank.

  hk_partner   a partner bank (registered for the run) verifies a Hong Kong resident and their Hong Kong company in
               person, opens the application with signed requests (RFC 9421), attests both (signed JWS on the
               ledger), reserves the name, states HKD capital and the foreign-investment report, generates the
               documents and sends the investor two confirmation links; the investor confirms each with the code
               the SMS brings (for themselves, then for the company with its seal); the bank submits; the licence
               is checked on the ledger.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kaiban_mock import testdata
from kaiban_mock.client import KaibanClient
from kaiban_mock.partner import PartnerClient
from kaiban_mock.scenarios import ScenarioError, _field, pick_free_name, scenario
from kaiban_mock.steplog import StepLog
from kaiban_mock.wechat import WeChatPhone

BASE = "/api/v1/partner/applications"
CARD = b"scan of a Hong Kong identity card seen at the branch"
CERTIFIED = b"notarised copy of the certificate of incorporation"
PHONE = "+85291234567"
HK_ROLES = ["shareholder", "legal_representative", "executive_director", "manager", "finance_officer", "liaison"]


async def _call(partner: PartnerClient, method: str, path: str, body: Any = None, *, want: int = 200) -> Any:
    status, answer = await partner.request(method, path, body)
    if status != want:
        raise ScenarioError(f"{method} {path}: HTTP {status}, expected {want}", answer)
    return answer


async def _sms_code(client: KaibanClient, phone: str) -> str:
    answer = await client.request_json("POST", "/mock/sms/messages", {"phone": phone}, auth=False)
    found = re.search(r"\b(\d{6})\b", answer["items"][-1]["text"]) if answer.get("items") else None
    if not found:
        raise ScenarioError(f"no code was sent to {phone}", answer)
    return found.group(1)


def _details(rng: random.Random, *, founder: str, company: str, today: dt.date) -> dict[str, Any]:
    return {
        "address": testdata.address(rng), "business_scope": ["软件开发", "信息技术咨询服务"], "liaison_phone": "13800138000",
        "registered_capital": {"amount": "1000000", "currency": "HKD", "rate": "0.9210", "rate_date": today.isoformat()},
        "contribution_deadline": testdata.years_from(today, 4).isoformat(),
        "investment_report": {
            "industry_code": "I6513", "total_investment": "1500000",
            "investors": [{"participant_id": founder, "subscribed": "600000", "contribution_form": "currency"},
                          {"participant_id": company, "subscribed": "400000", "contribution_form": "currency"}],
            "actual_controller": {"participant_id": founder, "kind": "natural_person", "region": "HK"},
        },
    }


@scenario("hk_partner", steps=12, description="a Hong Kong investor and their company form a company through a partner bank")
async def hk_partner(client: KaibanClient, phone: WeChatPhone, *, user: str, log: StepLog | None = None,
                     rng: random.Random | None = None) -> dict[str, Any]:
    """The remote formation: every step by the partner's signed requests, the investor signing by links and codes."""
    log = log if log is not None else StepLog(total=12)
    rng = rng or random.Random()  # noqa: S311 - made-up test data, not a secret
    key = Ed25519PrivateKey.generate()
    with log.step("partner registered") as step:
        registered = await client.request_json("POST", "/mock/partners", {
            "name": f"香港測試銀行 {user}", "region": "HK", "public_key": PartnerClient.public_key_b64(key)}, auth=False)
        partner = PartnerClient(session=client.session, base_url=client.base_url, key_id=registered["key_id"], key=key)
        await partner.sync_clock()
        step.detail = f"key {registered['key_id']}  scopes {', '.join(registered['scopes'])}"
    with log.step("application opened") as step:
        consent = await client.request_json("GET", "/api/v1/consents/identity", auth=False)
        clock = await client.request_json("GET", "/mock/clock", auth=False)  # dates by the server's day
        today = dt.date.fromisoformat(clock["now"][:10])
        due = testdata.years_from(today, 4).isoformat()
        created = await _call(partner, "POST", BASE, {
            "reference": f"HKB-{user}"[:64], "consent_text_version": consent["version"], "participants": [
                {"kind": "person", "name": "陳大文", "document_type": "hk_id", "document_number": "G123456(A)",
                 "roles": HK_ROLES, "founder": True,
                 "contribution": {"amount_cny": "552600.00", "form": "currency", "deadline": due}},
                {"kind": "company", "name": "香港雲帆控股有限公司", "document_type": "hk_company", "document_number": "12345678",
                 "roles": ["shareholder"], "representative": 0,
                 "contribution": {"amount_cny": "368400.00", "form": "currency", "deadline": due}}]}, want=201)
        app_id = str(_field(created, "id", "POST partner applications"))
        people = {p["kind"]: p for p in created["participants"]}
        step.detail = f"{app_id}  {len(created['participants'])} participants, pending attestation"
    with log.step("attestations") as step:
        for who, kind, content in ((people["person"], "hk_id_card", CARD),
                                   (people["company"], "certificate_of_incorporation_certified", CERTIFIED)):
            token = partner.attestation(application_id=app_id, participant_id=who["id"], documents={kind: content})
            await _call(partner, "POST", f"{BASE}/{app_id}/attestations", {"participant_id": who["id"], "attestation": token},
                        want=201)
        step.detail = "the investor (HK identity card) and the company (certified copies), signed JWS on the ledger"
    with log.step("governance and name") as step:
        await _call(partner, "PUT", f"{BASE}/{app_id}/governance", {
            "board": "single_director", "supervision": "no_supervisor", "all_shareholders_agree_no_supervisor": True})
        name, _ = await pick_free_name(client, rng, set())
        await _call(partner, "PUT", f"{BASE}/{app_id}/name", {"name": name})
        step.detail = name
    with log.step("details (HKD capital)") as step:
        answer = await _call(partner, "PUT", f"{BASE}/{app_id}/details",
                             _details(rng, founder=people["person"]["id"], company=people["company"]["id"], today=today))
        step.detail = f"HKD 1,000,000 = CNY {answer['application']['details']['registered_capital_cny']}"
    with log.step("documents") as step:
        answer = await _call(partner, "POST", f"{BASE}/{app_id}/documents")
        step.detail = f"{len(answer['documents'])} binding documents"
    for label, extra in (("investor confirms", {}),
                         ("investor confirms for the company", {"on_behalf_of": people["company"]["id"], "seal": {
                             "serial": "HK12345678", "image_sha256": hashlib.sha256(b"company chop").hexdigest()}})):
        with log.step(f"{label}: link") as step:
            link = await _call(partner, "POST", f"{BASE}/{app_id}/participants/{people['person']['id']}/confirmation-link",
                               {"phone": PHONE}, want=201)
            step.detail = f"code sent to {link['phone']}, link valid until {link['expires_at']}"
        with log.step(f"{label}: code") as step:
            code = await _sms_code(client, PHONE)
            signed = await client.request_json("POST", f"/api/v1/confirmations/{link['token']}/signature",
                                               {"code": code, **extra}, auth=False)
            step.detail = f"{signed['signature']['payload']['assurance']['level']}  complete: {signed['complete']}"
    with log.step("submitted") as step:
        final = await _call(partner, "POST", f"{BASE}/{app_id}/submit")
        if final.get("state") != "licensed":
            raise ScenarioError(f"the application is {final.get('state')!r}, not licensed", final.get("review"))
        uscc = final["licence"]["uscc"]
        step.detail = f"licensed  USCC {uscc}"
    with log.step("licence") as step:
        public = await client.licence(uscc)
        step.detail = f"{public['licence']['type']}  ledger #{public['ledger']['index']}"
    return {"scenario": "hk_partner", "user": user, "application_id": app_id, "company_name": name, "uscc": uscc,
            "ledger_index": public["ledger"]["index"], "licence_status": public.get("status"), "steps": log.count,
            "total_ms": log.total_ms}
