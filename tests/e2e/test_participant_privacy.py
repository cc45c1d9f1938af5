"""Participants' personal data: nowhere in clear (database, var/, logs, ledger, decoded), masked to applicants, shown
in clear to a reviewer only with an audit row; admin commands attest and erase abandoned drafts, ledger intact."""
from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import asyncpg

from backend import keys
from backend.models import Consent, DataAccess, Identity, Participant
from backend.services import personal_data
from tests.conftest import REPO
from tests.e2e.phone import DETAILS, FOUNDER, Phone, deadline, split_capital
from tests.e2e.test_formation import independent_checker
from tests.pinned import PINNED_LEDGER_VKEY

HK = {"kind": "person", "name": "陳大文", "roles": ["shareholder"], "document_type": "hk_id", "document_number": "G123456A"}
HK_PHONE = "+85291234567"
SECRETS = [FOUNDER["document_number"], HK["document_number"], HK["name"], DETAILS["liaison_phone"], HK_PHONE, "91234567"]
_B64 = re.compile(rb"[A-Za-z0-9+/=]{24,}")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


def decoded_views(blob: bytes) -> list[bytes]:
    """The bytes themselves, every base64 run decoded, every PDF stream inflated (of both)."""
    views = [blob]
    for token in _B64.findall(blob):
        try:
            views.append(base64.b64decode(token + b"=" * (-len(token) % 4)))
        except ValueError:
            pass
    for view in list(views):
        for stream in _STREAM.findall(view):
            try:
                views.append(zlib.decompress(stream.strip()))
            except zlib.error:
                pass
    return views


def assert_clean(blob: bytes, where: str, *, allowed: tuple[str, ...] = ()) -> None:
    for view in decoded_views(blob):
        for secret in SECRETS:
            if secret in allowed:
                continue
            escaped = json.dumps(secret)[1:-1]  # a JSON column may hold "\u9673..."
            for encoded in {secret.encode(), secret.encode("utf-16-be"), escaped.encode(), escaped.upper().replace("\\U", "\\u").encode()}:
                assert encoded not in view, f"{secret} in clear in {where}"


async def _database_bytes(database_url: str) -> bytes:
    if database_url.startswith("sqlite://"):
        path = Path(database_url.removeprefix("sqlite://"))
        import sqlite3

        connection = sqlite3.connect(path)
        try:
            connection.execute("PRAGMA wal_checkpoint(FULL)")
            return "\n".join(connection.iterdump()).encode() + path.read_bytes()
        finally:
            connection.close()
    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        tables = [r["tablename"] for r in await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        parts = []
        for table in tables:
            for row in await connection.fetch(f'SELECT * FROM "{table}"'):
                parts.append(f'INSERT INTO "{table}" ' + repr(tuple(row.values())))
        return "\n".join(parts).encode()
    finally:
        await connection.close()


async def _form_with_a_hong_kong_shareholder(phone: Phone, client) -> dict:
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    app_id = app["id"]
    await phone.verify_identity(app_id)
    hk = await phone.call("POST", f"/api/v1/applications/{app_id}/participants", json=HK, expect=201)
    await phone.call("POST", f"/api/v1/applications/{app_id}/participants/{hk['id']}/verifications", json={}, expect=201)
    from backend.services import verification

    await verification.close_verification(client.server.app[keys.SERVICES], participant_id=hk["id"],
                                          method="partner_attestation", passed=True, closed_by="partner:test")
    await phone.call("PUT", f"/api/v1/applications/{app_id}/name", json={"name": "广州市黄埔区云帆信息技术有限公司"})
    await phone.call("PUT", f"/api/v1/applications/{app_id}/details", json={**DETAILS, "contribution_deadline": deadline()})
    founder = (await phone.call("GET", f"/api/v1/applications/{app_id}/participants"))["items"][0]
    await split_capital(phone, app_id, {founder["id"]: "60000", hk["id"]: "40000"})
    await phone.call("POST", f"/api/v1/applications/{app_id}/documents", json={})
    await phone.fresh_face_check(app_id)
    await phone.call("POST", f"/api/v1/applications/{app_id}/signatures", json={})
    invitation = await phone.call("POST", f"/api/v1/applications/{app_id}/participants/{hk['id']}/invitation", json={}, expect=201)
    hk_phone = Phone(client)
    await hk_phone.accept_invitation(invitation["code"])
    await hk_phone.sign_with_code(app_id, hk["id"], HK_PHONE)
    return await phone.call("POST", f"/api/v1/applications/{app_id}/submit", json={})


async def test_participants_data_is_nowhere_in_clear(client, database_url, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    phone = Phone(client)
    final = await _form_with_a_hong_kong_shareholder(phone, client)
    assert final["state"] == "licensed", final
    app_id = final["id"]

    shown = await phone.call("GET", f"/api/v1/applications/{app_id}/participants")
    assert_clean(str(shown).encode(), "the participants response", allowed=())
    assert {p["name"] for p in shown["items"]} == {"张*", "陳**"}
    assert "4401" in shown["items"][0]["document_number"] and "*" in shown["items"][0]["document_number"]

    size = int((await (await client.get("/api/v1/ledger/checkpoint")).text()).split("\n")[1])
    for index in range(size):
        entry = await (await client.get(f"/api/v1/ledger/entries/{index}")).json()
        assert_clean(base64.b64decode(entry["leaf"]), f"ledger entry {index}")
    # the founder's name is on the public licence; every other row and file holds no name or number in clear
    dump = await _database_bytes(database_url)
    lines = dump.split(b"\n")
    assert_clean(b"\n".join(line for line in lines if not line.startswith(b'INSERT INTO "licences"')), "the database",
                 allowed=(FOUNDER["name"],) if database_url.startswith("sqlite://") else ())  # raw file pages: below
    assert all(FOUNDER["name"].encode() not in line for line in lines
               if line.startswith(b"INSERT INTO") and not line.startswith(b'INSERT INTO "licences"'))
    for path in (tmp_path / "var").rglob("*"):
        if path.is_file() and not path.name.startswith("kaiban.sqlite3"):
            assert_clean(path.read_bytes(), str(path))
    assert_clean(caplog.text.encode(), "the logs")
    for kind in ("articles_of_association", "application_form"):
        resp = await client.get(f"/api/v1/applications/{app_id}/documents/{kind}", headers=phone.auth)
        assert resp.status == 200  # the applicant's own documents state names; they are sealed at rest (checked above)


async def test_a_reviewer_sees_clear_data_and_every_view_is_audited(client):
    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.verify_identity(app["id"])
    await phone.call("POST", f"/api/v1/applications/{app['id']}/participants", json=HK, expect=201)
    svc = client.server.app[keys.SERVICES]
    seen = await personal_data.reviewer_view(svc, viewer="officer-7", role=personal_data.REVIEWER_TEST_ROLE,
                                             application_id=app["id"], purpose="review")
    assert {p["document_number"] for p in seen["items"]} == {FOUNDER["document_number"], HK["document_number"]}
    audited = await DataAccess.filter(application_id=app["id"])
    assert len(audited) == 2 and {a.viewer for a in audited} == {"officer-7"}
    try:
        await personal_data.reviewer_view(svc, viewer="someone", role="applicant", application_id=app["id"], purpose="x")
    except Exception as exc:  # noqa: BLE001 - the code is what matters
        assert getattr(exc, "code", None) == "reviewer_role_required"
    else:
        raise AssertionError("a non-reviewer saw clear data")
    assert await DataAccess.filter(application_id=app["id"]).count() == 2
    # over HTTP (mock mode), the same: refused without the reviewer test role, audited with it
    url = f"/mock/review/applications/{app['id']}/participants"
    refused = await client.get(url, headers={"X-Test-Reviewer": "officer-8"})
    assert refused.status == 403 and (await refused.json())["code"] == "reviewer_role_required"
    answer = await client.get(url, headers={"X-Test-Reviewer": "officer-8", "X-Test-Role": "reviewer_test"})
    assert answer.status == 200 and HK["document_number"] in await answer.text()
    assert await DataAccess.filter(application_id=app["id"], viewer="officer-8").count() == 2


def _admin(database_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "VAR_DIR": str(tmp_path / "var"), "MOCK_MODE": "true",
           "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "backend", "admin", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=120)


async def test_the_admin_command_records_a_partner_attestation(client, database_url, tmp_path):
    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.verify_identity(app["id"])
    hk = await phone.call("POST", f"/api/v1/applications/{app['id']}/participants", json=HK, expect=201)
    early = await asyncio.to_thread(_admin, database_url, tmp_path, "attest", "--participant", hk["id"], "--partner", "hkbank", "--reference", "R1")
    assert early.returncode == 1 and '"verification_not_pending"' in early.stdout
    await phone.call("POST", f"/api/v1/applications/{app['id']}/participants/{hk['id']}/verifications", json={}, expect=201)
    done = await asyncio.to_thread(_admin, database_url, tmp_path, "attest", "--participant", hk["id"], "--partner", "hkbank", "--reference", "R1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"assurance": "partner_attestation"' in done.stdout and '"status": "passed"' in done.stdout
    shown = (await phone.call("GET", f"/api/v1/applications/{app['id']}/participants"))["items"][1]
    assert shown["status"] == "verified" and shown["assurance"] == "partner_attestation"


async def test_retention_erases_abandoned_drafts_and_the_ledger_still_verifies(client, database_url, tmp_path):
    phone = Phone(client)
    finished = await phone.form_company()
    abandoned_phone = Phone(client)
    await abandoned_phone.login()
    app = await abandoned_phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await abandoned_phone.verify_identity(app["id"], {**FOUNDER, "name": "李四"})
    await abandoned_phone.call("POST", f"/api/v1/applications/{app['id']}/participants", json=HK, expect=201)
    checkpoint = (await (await client.get("/api/v1/ledger/checkpoint")).text()).split("\n")[:3]

    kept = await asyncio.to_thread(_admin, database_url, tmp_path, "erase-abandoned")
    assert kept.returncode == 0 and '"erased": []' in kept.stdout  # not yet past the retention period
    await client.post("/mock/clock/advance", json={"seconds": 91 * 86400})
    erased = await asyncio.to_thread(_admin, database_url, tmp_path, "erase-abandoned")
    assert erased.returncode == 0 and app["id"] in erased.stdout and finished["id"] not in erased.stdout, erased.stdout

    assert not await Participant.filter(application_id=app["id"]).exists()
    assert not await Identity.filter(application_id=app["id"]).exists()
    assert not await Consent.filter(application_id=app["id"]).exists()
    assert await Participant.filter(application_id=finished["id"]).exists()  # a registration record is kept
    assert (await (await client.get("/api/v1/ledger/checkpoint")).text()).split("\n")[:3] == checkpoint
    base = str(client.make_url("")).rstrip("/")
    problems = await asyncio.to_thread(independent_checker().check_service, base, finished["licence"]["uscc"], key=PINNED_LEDGER_VKEY)
    assert problems == []


def test_the_scan_sees_through_base64_json_escapes_and_deflated_pdf_streams():
    try:
        assert_clean(json.dumps({"n": HK["name"]}).encode(), "a JSON column")
    except AssertionError:
        pass
    else:
        raise AssertionError("JSON escape not seen")
    hidden = base64.b64encode(("xx" + HK["document_number"] + "yy" * 10).encode())
    try:
        assert_clean(b"prefix " + hidden, "a test blob")
    except AssertionError:
        pass
    else:
        raise AssertionError("base64 not decoded")
    pdf = b"obj\nstream\n" + zlib.compress(HK["name"].encode("utf-16-be")) + b"\nendstream"
    try:
        assert_clean(pdf, "a test pdf")
    except AssertionError:
        return
    raise AssertionError("PDF stream not inflated")


async def test_a_face_check_keeps_a_keyed_index_of_its_cert_hash_not_the_searchable_hash(client):
    from backend.adapters.wechat.protocol import cert_hash
    from backend.models import FaceCheck

    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.verify_identity(app["id"])
    [check] = await FaceCheck.filter(application_id=app["id"])
    assert check.status == "passed"
    assert check.cert_hash != cert_hash("IDENTITY_CARD", FOUNDER["name"], FOUNDER["document_number"])
