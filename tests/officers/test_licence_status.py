"""An officer revokes, then deregisters a licence: the public verification, its proof and the ledger all say so."""
from __future__ import annotations

import base64
import json

import pytest

from backend.ledger.errors import LedgerError
from backend.ledger.verify import verify_licence_bundle
from tests.e2e.phone import Phone
from tests.officers.test_officer_login import _login, _officer
from tests.pinned import LEDGER_ORIGIN, PINNED_LEDGER_VKEY


async def _reviewer(client) -> dict[str, str]:
    totp = await _officer(client)
    token = (await (await _login(client, totp)).json())["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _verify(bundle, status=None):
    return verify_licence_bundle(licence=bundle["licence"], ledger=bundle["ledger"], verifier_key=PINNED_LEDGER_VKEY,
                                 origin=LEDGER_ORIGIN, status=status)


async def test_a_revocation_cannot_be_hidden_from_a_verifier(client) -> None:
    phone = Phone(client)
    final = await phone.form_company()
    uscc = final["licence"]["uscc"]
    officer = await _reviewer(client)
    before = await (await client.get(f"/api/v1/licences/{uscc}")).json()
    assert before["status"] == "active" and _verify(before, "active")

    resp = await client.post(f"/api/v1/officer/licences/{uscc}/status", headers=officer,
                             json={"status": "revoked", "reason": "虚假登记（测试）"})
    assert resp.status == 200 and (await resp.json())["status"] == "revoked"
    after = await (await client.get(f"/api/v1/licences/{uscc}")).json()
    assert after["status"] == "revoked" and after["licence"] == before["licence"]
    assert after["ledger"]["index"] > before["ledger"]["index"]
    leaf = json.loads(base64.b64decode(after["ledger"]["leaf"]))
    assert leaf["status"] == "revoked" and leaf["uscc"] == uscc and "虚假" not in json.dumps(leaf, ensure_ascii=False)
    assert _verify(after, "revoked")
    with pytest.raises(LedgerError):
        _verify(after, "active")  # a page that claims "active" beside this proof is caught
    timeline = await phone.call("GET", f"/api/v1/applications/{final['id']}/timeline")
    assert [item["step"] for item in timeline["items"]][-2:] == ["licensed", "licence_revoked"]

    again = await client.post(f"/api/v1/officer/licences/{uscc}/status", headers=officer,
                              json={"status": "revoked", "reason": "重复"})
    assert again.status == 200
    same = await (await client.get(f"/api/v1/licences/{uscc}")).json()
    assert same["ledger"]["index"] == after["ledger"]["index"]  # a repeat records nothing new

    gone = await client.post(f"/api/v1/officer/licences/{uscc}/status", headers=officer,
                             json={"status": "deregistered", "reason": "公司解散"})
    assert gone.status == 200
    back = await client.post(f"/api/v1/officer/licences/{uscc}/status", headers=officer,
                             json={"status": "revoked", "reason": "x" * 3})
    assert back.status == 409 and (await back.json())["code"] == "licence_status_change_refused"
    assert (await (await client.get(f"/api/v1/licences/{uscc}")).json())["status"] == "deregistered"


async def test_applicants_cannot_change_a_licence_and_bad_requests_are_clear(client) -> None:
    phone = Phone(client)
    uscc = (await phone.form_company())["licence"]["uscc"]
    as_applicant = await client.post(f"/api/v1/officer/licences/{uscc}/status", headers=phone.auth,
                                     json={"status": "revoked", "reason": "想撤销"})
    assert as_applicant.status == 401
    officer = await _reviewer(client)
    unknown = await client.post("/api/v1/officer/licences/91440112MA0ADUR94Q/status", headers=officer,
                                json={"status": "revoked", "reason": "测试"})
    assert unknown.status == 404
    wrong = await client.post(f"/api/v1/officer/licences/{uscc}/status", headers=officer,
                              json={"status": "active", "reason": "测试"})
    assert wrong.status == 422
