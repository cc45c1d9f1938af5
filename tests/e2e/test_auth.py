"""Login through the fake WeChat platform, token lifetimes by the shared clock, refresh rotation."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from backend import keys
from tests.e2e.phone import Phone


async def test_login_returns_tokens_and_never_the_session_key(client):
    phone = Phone(client)
    body = await phone.login()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    assert "session_key" not in str(body)
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "EdDSA"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert {"iss", "aud", "exp", "iat", "sub"} <= set(claims)
    resp = await client.get("/api/v1/applications", headers=phone.auth)
    assert resp.status == 200


async def test_a_login_code_works_once(client):
    phone = Phone(client)
    code = await phone.login_code()
    first = await client.post("/api/v1/auth/wechat-login", json={"code": code})
    assert first.status == 200
    second = await client.post("/api/v1/auth/wechat-login", json={"code": code})
    problem = await second.json()
    assert second.status == 401 and problem["code"] == "login_code_used"


async def test_a_login_code_expires_after_five_minutes(client):
    phone = Phone(client)
    code = await phone.login_code()
    moved = await client.post("/mock/clock/advance", json={"seconds": 301})
    assert moved.status == 200
    resp = await client.post("/api/v1/auth/wechat-login", json={"code": code})
    assert resp.status == 401 and (await resp.json())["code"] == "login_code_invalid"


async def test_access_token_expires_by_the_service_clock_and_refresh_rotates(client):
    phone = Phone(client)
    await phone.login()
    used = await client.get("/api/v1/applications", headers=phone.auth)  # checked once: the signature is remembered
    assert used.status == 200
    await client.post("/mock/clock/advance", json={"seconds": 16 * 60})
    expired = await client.get("/api/v1/applications", headers=phone.auth)
    assert expired.status == 401 and (await expired.json())["code"] == "token_expired"

    resp = await client.post("/api/v1/auth/refresh", json={"refresh_token": phone.refresh})
    assert resp.status == 200
    fresh = await resp.json()
    assert fresh["refresh_token"] != phone.refresh
    ok = await client.get("/api/v1/applications", headers={"Authorization": f"Bearer {fresh['access_token']}"})
    assert ok.status == 200


async def test_a_reused_refresh_token_revokes_the_family(client):
    phone = Phone(client)
    await phone.login()
    first = await (await client.post("/api/v1/auth/refresh", json={"refresh_token": phone.refresh})).json()
    reused = await client.post("/api/v1/auth/refresh", json={"refresh_token": phone.refresh})
    assert reused.status == 401 and (await reused.json())["code"] == "refresh_token_invalid"
    # the token issued before the reuse is revoked too
    later = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert later.status == 401


async def test_forged_tokens_are_refused(client):
    phone = Phone(client)
    body = await phone.login()
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    none_token = jwt.encode(claims, key=None, algorithm="none")
    hs_token = jwt.encode(claims, key="x" * 32, algorithm="HS256")
    tampered = body["access_token"][:-4] + ("AAAA" if not body["access_token"].endswith("AAAA") else "BBBB")
    for token in (none_token, hs_token, tampered, "not-a-jwt"):
        resp = await client.get("/api/v1/applications", headers={"Authorization": f"Bearer {token}"})
        assert resp.status == 401, token
        assert (await resp.json())["code"] == "token_invalid"
    missing = await client.get("/api/v1/applications")
    assert missing.status == 401 and (await missing.json())["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"aud": "someone-else"}, "wrong audience"),
        ({"iss": "not-kaiban"}, "wrong issuer"),
        ({"nbf_offset": 3600}, "not yet valid"),
        ({"iat_offset": 3600}, "issued in the future"),
        ({"drop": "exp"}, "no expiry"),
        ({"exp_offset": -3600}, "expired"),
    ],
)
async def test_tokens_signed_with_our_key_but_wrong_claims_are_refused(client, change, why):
    """Even a correctly signed token is refused when a claim is wrong (PyJWT's time checks are replaced by ours)."""
    phone = Phone(client)
    body = await phone.login()
    app = client.server.app
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    now = int(app[keys.CLOCK].timestamp())
    for name in ("nbf", "iat", "exp"):
        if f"{name}_offset" in change:
            claims[name] = now + change[f"{name}_offset"]
    claims.update({k: v for k, v in change.items() if k in ("aud", "iss")})
    claims.pop(change.get("drop", ""), None)
    token = jwt.encode(claims, app[keys.SECRETS].token_key, algorithm="EdDSA")
    resp = await client.get("/api/v1/applications", headers={"Authorization": f"Bearer {token}"})
    assert resp.status == 401, why
    assert (await resp.json())["code"] in ("token_invalid", "token_expired"), why
    # the untouched token still works, so the refusal is the claim's doing
    assert (await client.get("/api/v1/applications", headers=phone.auth)).status == 200


async def test_algorithm_confusion_and_a_swapped_payload_are_refused(client):
    phone = Phone(client)
    body = await phone.login()
    other = Phone(client)
    await other.login()
    app = client.server.app
    public = app[keys.SECRETS].token_key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    # HS256 keyed with the public key: the classic confusion (made by hand: PyJWT itself refuses to), refused
    # because only EdDSA is accepted
    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    signing_input = f"{b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{b64(json.dumps(claims).encode())}"
    confused = f"{signing_input}.{b64(hmac.new(public, signing_input.encode(), hashlib.sha256).digest())}"
    # another user's payload under this token's signature
    head, _, signature = body["access_token"].split(".")
    other_payload = other.token.split(".")[1]
    swapped = f"{head}.{other_payload}.{signature}"
    for token in (confused, swapped):
        resp = await client.get("/api/v1/applications", headers={"Authorization": f"Bearer {token}"})
        assert resp.status == 401 and (await resp.json())["code"] == "token_invalid"
