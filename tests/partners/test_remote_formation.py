"""A Hong Kong investor's company formed end to end through a partner: the partner opens and attests, drives the
steps, sends each signer a one-time confirmation link; the investor confirms with the code sent to their phone, for
themselves and for their Hong Kong company (with its seal); the partner submits and the licence verifies."""
from __future__ import annotations

import datetime as dt
import hashlib
import re

from backend.models import Signature
from tests.partners.test_partner_applications import (  # noqa: F401 - `bank` is a fixture
    BASE, CARD, CERTIFIED, FOUNDER, HOLDING, _details, _person, _submit, bank,
)

PHONE = "+85291234567"
SEAL = {"serial": "HK12345678", "image_sha256": hashlib.sha256(b"company chop").hexdigest()}


async def _sms_code(session, base: str) -> str:
    async with session.post(base + "/mock/sms/messages", json={"phone": PHONE}) as answer:
        text = (await answer.json())["items"][-1]["text"]
    return re.search(r"\b(\d{6})\b", text).group(1)


async def test_a_hong_kong_investors_company_formed_through_the_partner_and_remote_confirmation(bank) -> None:
    server, session, partner = bank
    base = str(server.make_url("")).rstrip("/")
    created = await _submit(partner, FOUNDER, HOLDING)
    app_id = created["id"]
    founder, holding = _person(created, "person"), _person(created, "company")
    for who, kind, content in ((founder, "hk_id_card", CARD), (holding, "certificate_of_incorporation_certified", CERTIFIED)):
        token = partner.attestation(application_id=app_id, participant_id=who["id"], documents={kind: content})
        assert (await partner.request("POST", f"{BASE}/{app_id}/attestations", {"participant_id": who["id"], "attestation": token}))[0] == 201
    await partner.request("PUT", f"{BASE}/{app_id}/governance", {
        "board": "single_director", "supervision": "no_supervisor", "all_shareholders_agree_no_supervisor": True})
    assert (await partner.request("PUT", f"{BASE}/{app_id}/name", {"name": "广州市黄埔区港帆信息技术有限公司"}))[0] == 200
    assert (await partner.request("PUT", f"{BASE}/{app_id}/details",
                                  _details(["软件开发"], founder=founder["id"], holding=holding["id"])))[0] == 200
    status, generated = await partner.request("POST", f"{BASE}/{app_id}/documents")
    assert status == 200 and generated["application"]["state"] == "documents_generated", generated
    early = await partner.request("POST", f"{BASE}/{app_id}/submit")
    assert early[0] == 409 and early[1]["params"]["required"] == "signed"

    # the investor signs for themselves, then for their company, each through a link and a code by SMS
    for on_behalf_of, seal in ((None, None), (holding["id"], SEAL)):
        status, link = await partner.request("POST", f"{BASE}/{app_id}/participants/{founder['id']}/confirmation-link",
                                             {"phone": PHONE})
        assert status == 201 and link["phone"] == "+852 ****4567", link
        async with session.get(f"{base}/confirm/{link['token']}?lang=zh-HK") as page:
            assert page.status == 200 and "確認簽署" in await page.text()
        body = {"code": await _sms_code(session, base), **({"on_behalf_of": on_behalf_of, "seal": seal} if seal else {})}
        async with session.post(f"{base}/api/v1/confirmations/{link['token']}/signature", json=body) as answer:
            signed = await answer.json()
            assert answer.status == 200, signed
        assert signed["signature"]["payload"]["assurance"]["level"] == "partner_attestation+sms_code"
    assert signed["complete"] and signed["state"] == "signed"
    status, shown = await partner.request("GET", f"{BASE}/{app_id}")
    assert {p["signature"] for p in shown["participants"]} == {"signed"}

    status, final = await partner.request("POST", f"{BASE}/{app_id}/submit")
    assert status == 200 and final["state"] == "licensed", final
    async with session.get(f"{base}/api/v1/licences/{final['licence']['uscc']}") as answer:
        licence = (await answer.json())["licence"]
    assert licence["type"] == "有限责任公司（港澳台投资、非独资）" and licence["legal_representative"] == "陳大文"
    stored = await Signature.filter(application_id=app_id, valid=True)
    assert len(stored) == 2 and all(s.signer_id is None for s in stored)  # signed by link, no WeChat account
    assert dt.date.fromisoformat(licence["date_of_establishment"]) <= dt.date.today() + dt.timedelta(days=1)
