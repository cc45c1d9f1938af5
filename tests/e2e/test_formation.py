"""One company formed end to end through HTTP, checked from the outside."""
from __future__ import annotations

import asyncio
import base64
import importlib.util
import json

import pytest
import rfc8785
from stdnum.cn import uscc as stdnum_uscc

from backend.ledger.verify import verify_licence_bundle
from tests.conftest import SHARED
from tests.e2e.phone import Phone
from tests.pinned import LEDGER_ORIGIN, PINNED_LEDGER_VKEY


def independent_checker():
    """shared/tools/ledger_check.py: a verifier written from the RFCs, not from our code."""
    spec = importlib.util.spec_from_file_location("ledger_check", SHARED / "tools" / "ledger_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_sole_founder_forms_a_company_and_anyone_can_verify_the_licence(client):
    phone = Phone(client)
    final = await phone.form_company()
    assert final["state"] == "licensed", final
    uscc = final["licence"]["uscc"]
    assert stdnum_uscc.is_valid(uscc) and uscc.startswith("91440112")

    resp = await client.get(f"/api/v1/licences/{uscc}")  # public: no token
    assert resp.status == 200
    bundle = await resp.json()
    licence = bundle["licence"]
    assert licence["name"] == "广州市黄埔区云帆信息技术有限公司"
    assert licence["legal_representative"] == "张三"
    assert licence["registered_capital"] == "人民币壹拾万元整"
    assert licence["address"].startswith("广东省广州市黄埔区萝岗街道")
    assert bundle["status"] == "active"

    # our offline verifier with the key pinned in the repository
    verify_licence_bundle(licence=licence, ledger=bundle["ledger"], verifier_key=PINNED_LEDGER_VKEY, origin=LEDGER_ORIGIN)
    # the leaf commits to the licence fields themselves
    leaf = json.loads(base64.b64decode(bundle["ledger"]["leaf"]))
    assert leaf["uscc"] == uscc
    import hashlib

    assert leaf["licence_sha256"] == hashlib.sha256(rfc8785.dumps(licence)).hexdigest()

    # an independent RFC 9162 verifier, against the live server, every entry and consistency proofs
    checker = independent_checker()
    base = str(client.make_url("")).rstrip("/")
    problems = await asyncio.to_thread(checker.check_service, base, uscc, key=PINNED_LEDGER_VKEY)
    assert problems == []


async def test_a_changed_licence_field_fails_verification(client):
    phone = Phone(client)
    final = await phone.form_company()
    bundle = await (await client.get(f"/api/v1/licences/{final['licence']['uscc']}")).json()
    forged = {**bundle["licence"], "registered_capital": "人民币壹仟万元整"}
    from backend.ledger.errors import LedgerError

    with pytest.raises(LedgerError):
        verify_licence_bundle(licence=forged, ledger=bundle["ledger"], verifier_key=PINNED_LEDGER_VKEY, origin=LEDGER_ORIGIN)


async def test_the_server_serves_the_pinned_key(client):
    resp = await client.get("/api/v1/ledger/key")
    assert (await resp.text()).strip() == PINNED_LEDGER_VKEY


async def test_the_signature_verifies_offline_with_its_certificate(client):
    from cryptography import x509

    phone = Phone(client)
    await phone.form_company()
    apps = (await phone.call("GET", "/api/v1/applications"))["items"]
    app_id = apps[0]["id"]
    assert apps[0]["signatures"][0]["assurance"] == "wechat_face"
    # signing again after licensing is refused as a change, but the first signature is on record
    from backend.models import Signature

    stored = await Signature.get(application_id=app_id)
    certificate = x509.load_pem_x509_certificate(stored.certificate_pem.encode())
    assert "SIMULATED" in certificate.issuer.rfc4514_string()
    certificate.public_key().verify(base64.b64decode(stored.signature_b64), rfc8785.dumps(stored.payload))
    assert stored.payload["application"] == app_id
    documents = {d["kind"]: d["sha256"] for d in apps[0]["documents"]}
    assert {d["kind"]: d["sha256"] for d in stored.payload["documents"]} == documents
