"""Login through the fake WeChat platform, token lifetimes by the shared clock, refresh rotation."""
from __future__ import annotations

import jwt

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
