"""Officers log in with a password and a one-time TOTP code, get a token with their roles, and are audited."""
from __future__ import annotations

import subprocess
import sys

import pyotp
import pytest

from backend import keys
from backend.services.officers import create_officer, hash_password, password_matches
from tests.conftest import REPO
from tests.e2e.phone import Phone

PASSWORD = "correct horse battery staple"


async def _officer(client, *, username: str = "reviewer.li", roles=("reviewer",)):
    app = client.server.app
    created = await create_officer(username=username, display_name="李审核", roles=list(roles), password=PASSWORD,
                                   sealer=app[keys.SERVICES].sealer, clock=app[keys.CLOCK])
    return pyotp.TOTP(created.totp_secret)


def _code(client, totp: pyotp.TOTP, *, steps_ahead: int = 0) -> str:
    now = client.server.app[keys.CLOCK].now()
    return totp.at(now, counter_offset=steps_ahead)


async def _login(client, totp, *, username="reviewer.li", password=PASSWORD, code=None):
    return await client.post("/api/v1/officer/login", json={
        "username": username, "password": password, "totp": code or _code(client, totp)})


def test_passwords_are_stored_with_scrypt_and_checked() -> None:
    stored = hash_password(PASSWORD)
    assert stored.startswith("scrypt$16384$8$1$") and PASSWORD not in stored
    assert password_matches(PASSWORD, stored) and not password_matches(PASSWORD + "!", stored)
    assert stored != hash_password(PASSWORD)  # a random salt each time
    assert not password_matches(PASSWORD, "bcrypt$whatever")


async def test_an_officer_logs_in_and_the_token_carries_the_roles(client) -> None:
    totp = await _officer(client)
    resp = await _login(client, totp)
    body = await resp.json()
    assert resp.status == 200, body
    assert body["roles"] == ["reviewer"] and resp.headers["Cache-Control"] == "no-store"
    officer = {"Authorization": f"Bearer {body['access_token']}"}
    me = await client.get("/api/v1/officer/me", headers=officer)
    assert (await me.json())["username"] == "reviewer.li"
    # an officer's token is no applicant's token, and an applicant's is no officer's
    assert (await client.get("/api/v1/applications", headers=officer)).status == 401
    phone = Phone(client)
    await phone.login()
    assert (await client.get("/api/v1/officer/me", headers=phone.auth)).status == 401


async def test_wrong_or_reused_codes_fail_and_repeated_failures_lock_the_account(client) -> None:
    totp = await _officer(client)
    assert (await _login(client, totp, password="wrong password here")).status == 401
    assert (await _login(client, totp, code="000000" if _code(client, totp) != "000000" else "111111")).status == 401
    used = _code(client, totp)
    assert (await _login(client, totp, code=used)).status == 200
    replay = await _login(client, totp, code=used)
    assert replay.status == 401 and (await replay.json())["code"] == "officer_login_failed"
    unknown = await _login(client, totp, username="nobody")
    assert unknown.status == 401 and (await unknown.json())["code"] == "officer_login_failed"
    for _ in range(4):
        await _login(client, totp, password="wrong password here")
    locked = await _login(client, totp, code=_code(client, totp, steps_ahead=1))
    assert locked.status == 429 and (await locked.json())["code"] == "officer_locked"
    assert int(locked.headers["Retry-After"]) > 0
    await client.post("/mock/clock/advance", json={"seconds": 16 * 60})
    assert (await _login(client, totp)).status == 200


async def test_only_admins_read_the_audit_trail_which_records_every_attempt(client) -> None:
    reviewer = await _officer(client)
    admin = await _officer(client, username="admin.wang", roles=("admin", "reviewer"))
    await _login(client, reviewer, password="wrong password here")
    token = (await (await _login(client, reviewer)).json())["access_token"]
    forbidden = await client.get("/api/v1/officer/audit", headers={"Authorization": f"Bearer {token}"})
    assert forbidden.status == 403 and (await forbidden.json())["code"] == "officer_role_missing"
    admin_token = (await (await _login(client, admin, username="admin.wang")).json())["access_token"]
    trail = await client.get("/api/v1/officer/audit", headers={"Authorization": f"Bearer {admin_token}"})
    items = (await trail.json())["items"]
    seen = [(e["actor"], e["action"], e["outcome"]) for e in items]
    assert ("reviewer.li", "officer_login", "failed") in seen
    assert ("officer:reviewer.li", "officer_login", "ok") in seen
    assert ("officer:reviewer.li", "GET /api/v1/officer/audit", "forbidden") in seen
    assert all(PASSWORD not in str(e) for e in items)


async def test_the_admin_command_creates_an_officer_from_a_password_on_standard_input(database_url, tmp_path) -> None:
    env = {"DATABASE_URL": database_url, "VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(REPO),
           "PATH": "/usr/bin:/bin"}

    def add(username: str, password: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "backend.admin", "officer", "add", "--username", username, "--name", "陳主任",
             "--role", "admin"], input=password + "\n", env=env, cwd=REPO, capture_output=True, text=True, timeout=60)

    made = add("chen.admin", PASSWORD)
    assert made.returncode == 0, made.stderr
    assert '"totp_uri": "otpauth://totp/' in made.stdout and PASSWORD not in made.stdout
    weak = add("weak.one", "short")
    assert weak.returncode == 1 and "officer_password_weak" in weak.stderr
    again = add("chen.admin", PASSWORD)
    assert again.returncode == 1 and "officer_exists" in again.stderr


@pytest.mark.parametrize("body", [{}, {"username": "a", "password": "b"}, {"username": "a", "password": "b", "totp": "1", "x": 1}])
async def test_malformed_log_ins_are_422(client, body) -> None:
    resp = await client.post("/api/v1/officer/login", json=body)
    assert resp.status == 422 and "messages" in await resp.json()
