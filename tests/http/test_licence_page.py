"""The page a licence's QR code opens, in three languages, and the licence as a signed credential."""
from __future__ import annotations

import pytest

from backend import keys
from backend.services.credentials import CredentialInvalid, LicenceIssuer, derive_issuer_key, verify_credential
from tests.e2e.phone import Phone
from tests.officers.test_licence_status import _reviewer


async def test_the_verification_page_reads_in_each_language_and_shows_a_revocation(client) -> None:
    uscc = (await Phone(client).form_company())["licence"]["uscc"]
    zh_cn = await client.get(f"/licences/{uscc}")
    text = await zh_cn.text()
    assert zh_cn.status == 200 and zh_cn.content_type == "text/html" and zh_cn.headers["Content-Language"] == "zh-CN"
    assert "电子营业执照核验" in text and "存续" in text and "广州市黄埔区云帆信息技术有限公司" in text and uscc in text
    zh_hk = await (await client.get(f"/licences/{uscc}", headers={"Accept-Language": "zh-HK"})).text()
    assert "電子營業執照核驗" in zh_hk and "統一社會信用代碼" in zh_hk and "以簡體中文登記內容為準" in zh_hk
    en = await (await client.get(f"/licences/{uscc}?lang=en")).text()
    assert "Unified social credit code" in en and "Active" in en and "translation" in en
    officer = await _reviewer(client)
    await client.post(f"/api/v1/officer/licences/{uscc}/status", headers=officer,
                      json={"status": "revoked", "reason": "测试"})
    assert "Revoked" in await (await client.get(f"/licences/{uscc}?lang=en")).text()
    assert (await client.get("/licences/91440112MA0ADUR94Q")).status == 404


async def test_the_licence_credential_verifies_with_the_published_key_and_binds_the_fields(client) -> None:
    uscc = (await Phone(client).form_company())["licence"]["uscc"]
    bundle = await (await client.get(f"/api/v1/licences/{uscc}")).json()
    jwks = await (await client.get("/api/v1/licence-credentials/jwks.json")).json()
    [jwk] = jwks["keys"]
    # the key served is the one derived from the authority's key (what a deployment publishes and verifiers pin)
    expected = LicenceIssuer(key=derive_issuer_key(client.server.app[keys.SECRETS].ca_key)).jwks()["keys"][0]
    assert jwk == expected and jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
    assert verify_credential(bundle["credential"], jwk=jwk, licence=bundle["licence"]) == bundle["licence"]
    changed = {**bundle["licence"], "registered_capital": "人民币壹佰万元整"}
    with pytest.raises(CredentialInvalid):
        verify_credential(bundle["credential"], jwk=jwk, licence=changed)
    head, payload, signature = bundle["credential"].split(".")
    with pytest.raises(CredentialInvalid):
        flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]  # a byte of the signature
        verify_credential(f"{head}.{payload}.{flipped}", jwk=jwk)
    other = LicenceIssuer(key=derive_issuer_key(derive_issuer_key(client.server.app[keys.SECRETS].ca_key)))
    with pytest.raises(CredentialInvalid):
        verify_credential(other.sign(bundle["licence"]), jwk=jwk)
