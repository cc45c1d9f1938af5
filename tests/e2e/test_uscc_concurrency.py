"""100 officers' approvals at once, through two server applications on one database (in this process, and as two
`python -m backend serve` processes on PostgreSQL), give 100 distinct valid credit codes; a server started later on the
same database, after a clean stop or a crash, never reissues one (nor one allocated then abandoned)."""
from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
import uuid

import aiohttp
import pyotp
import pytest
from stdnum.cn import uscc as stdnum_uscc

from backend import keys
from backend.db import close_database, open_database
from backend.domain.identifiers import check_uscc
from backend.models import Application, Identity, Licence, UsccAllocation
from backend.secrets import load_secrets, make_sealer
from tests.conftest import REPO, make_settings
from tests.e2e.phone import Phone
from tests.e2e.test_demo import _free_port, _log, _wait_ready
from tests.pinned import LEDGER_ORIGIN, TEST_LEDGER_SEED_B64
from tests.officers.test_licence_status import _reviewer
from tests.officers.test_review import _referred

APPROVALS = 100


async def _copies(sealer, application_id: str, count: int) -> list[str]:
    """`count` copies of a referred application, each with the founder's identity sealed under its own id."""
    original = await Application.get(id=application_id)
    identity = await Identity.get(application_id=application_id)
    facts = sealer.open_json(bytes(identity.sealed), aad=f"identity:{identity.id}")
    ids = []
    for _ in range(count):
        copy_id, identity_id = uuid.uuid4(), uuid.uuid4()
        await Application.create(**{**_fields(original), "id": copy_id})
        await Identity.create(**{**_fields(identity), "id": identity_id, "application_id": copy_id,
                                 "sealed": sealer.seal_json(facts, aad=f"identity:{identity_id}")})
        ids.append(str(copy_id))
    return ids


def _fields(row) -> dict:
    return {name: getattr(row, name) for name in row._meta.db_fields if name != row._meta.pk_attr} | {
        f"{fk}_id": getattr(row, f"{fk}_id") for fk in row._meta.fk_fields}


async def test_concurrent_approvals_on_two_servers_give_distinct_codes_never_reissued(server_factory, aiohttp_client):
    first = await aiohttp_client(await server_factory())
    second = await aiohttp_client(await server_factory())
    referred = await _referred(first, Phone(first))
    ids = [referred] + await _copies(first.server.app[keys.SERVICES].sealer, referred, APPROVALS - 1)
    officer = await _reviewer(first)

    async def approve(n: int, application_id: str):
        client = first if n % 2 else second
        resp = await client.post(f"/api/v1/officer/applications/{application_id}/decision", headers=officer,
                                 json={"decision": "approve"})
        return resp.status, await resp.json()

    results = await asyncio.gather(*(approve(n, a) for n, a in enumerate(ids)))
    assert [status for status, _ in results] == [200] * APPROVALS, [b for s, b in results if s != 200][:3]
    codes = [body["licence"]["uscc"] for _, body in results]
    assert len(set(codes)) == APPROVALS
    assert all(stdnum_uscc.is_valid(c) and check_uscc(c, strict_org_code=True) for c in codes)
    assert await Licence.all().count() == APPROVALS
    allocated = set(await UsccAllocation.all().values_list("code", flat=True))
    assert set(codes) <= allocated

    # a code allocated and then abandoned (its approval never committed) ...
    abandoned = await first.server.app[keys.SERVICES].uscc.allocate()
    # ... and a restart: a new server on the same database gives none of the codes seen so far
    third = await aiohttp_client(await server_factory())
    fresh = [await third.server.app[keys.SERVICES].uscc.allocate() for _ in range(3)]
    assert not set(fresh) & (allocated | {abandoned})
    phone = Phone(third)
    licensed = await phone.form_company(name="广州市黄埔区新芽信息技术有限公司")
    assert licensed["state"] == "licensed"
    assert licensed["licence"]["uscc"] not in allocated | {abandoned} | set(fresh)


class Servers:
    """`python -m backend serve` processes on one PostgreSQL database, started and killed at will."""

    def __init__(self, database_url: str, tmp_path) -> None:
        self.tmp_path = tmp_path
        self.env = {**os.environ, "VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": database_url,
                    "PYTHONPATH": str(REPO), "LEDGER_SIGNING_SEED": TEST_LEDGER_SEED_B64,
                    "LEDGER_ORIGIN": LEDGER_ORIGIN, "LEDGER_KEY_NAME": LEDGER_ORIGIN, "MESSAGE_INTERVAL": "3600"}
        self.processes: list[subprocess.Popen] = []

    def start(self) -> str:
        port = _free_port()
        process = subprocess.Popen([sys.executable, "-m", "backend", "serve"], env={**self.env, "PORT": str(port)},
                                   cwd=REPO, stdout=_log(self.tmp_path), stderr=subprocess.STDOUT, text=True)
        self.processes.append(process)
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base, process)
        return base

    def crash(self) -> None:
        """SIGKILL every server: nothing is shut down cleanly."""
        for process in self.processes:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def servers(database_url, tmp_path):
    if not database_url.startswith("postgres"):
        pytest.skip("server processes share a PostgreSQL database")
    made = Servers(database_url, tmp_path)
    subprocess.run([sys.executable, "-m", "backend", "migrate"], env=made.env, cwd=REPO, check=True,
                   capture_output=True)
    yield made
    made.crash()


async def _officer_token(session: aiohttp.ClientSession) -> dict[str, str]:
    made = await (await session.post("/mock/officers", json={"username": "reviewer.proc"})).json()
    now = (await (await session.get("/mock/clock")).json())["now"]
    code = pyotp.TOTP(made["totp_secret"]).at(dt.datetime.fromisoformat(now))
    login = await session.post("/api/v1/officer/login", json={"username": "reviewer.proc", "password": made["password"],
                                                              "totp": code})
    assert login.status == 200, await login.text()
    return {"Authorization": f"Bearer {(await login.json())['access_token']}"}


async def test_two_server_processes_approving_at_once_then_a_crash_never_reissue_a_code(servers, database_url,
                                                                                       tmp_path):
    bases = [servers.start(), servers.start()]
    sessions = [aiohttp.ClientSession(base_url=base) for base in bases]
    try:
        referred = await _referred(sessions[0], Phone(sessions[0]))
        await open_database(database_url)  # this test process prepares the copies in the same database
        sealer = make_sealer(load_secrets(make_settings(database_url=database_url, var_dir=tmp_path / "var", port=1)))
        ids = [referred] + await _copies(sealer, referred, APPROVALS - 1)
        officer = await _officer_token(sessions[0])

        async def approve(n: int, application_id: str):
            resp = await sessions[n % 2].post(f"/api/v1/officer/applications/{application_id}/decision",
                                              headers=officer, json={"decision": "approve"})
            return resp.status, await resp.json()

        results = await asyncio.gather(*(approve(n, a) for n, a in enumerate(ids)))
    finally:
        for session in sessions:
            await session.close()
    assert [status for status, _ in results] == [200] * APPROVALS, [b for s, b in results if s != 200][:3]
    codes = {body["licence"]["uscc"] for _, body in results}
    assert len(codes) == APPROVALS and all(check_uscc(c, strict_org_code=True) for c in codes)

    servers.crash()  # killed mid-flight, no clean shutdown; a new server starts on the same database
    async with aiohttp.ClientSession(base_url=servers.start()) as session:
        licensed = await Phone(session).form_company(name="广州市黄埔区新芽信息技术有限公司")
    assert licensed["state"] == "licensed" and licensed["licence"]["uscc"] not in codes
    assert set(await UsccAllocation.all().values_list("code", flat=True)) >= codes | {licensed["licence"]["uscc"]}
    await close_database()
