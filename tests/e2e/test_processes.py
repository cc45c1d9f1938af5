"""Several server processes on one port and one PostgreSQL database (WEB_PROCESSES): connections are spread over
them, formations complete whichever process answers each step (the fake WeChat platform runs once for all), a code
the fake SMS gateway sent through one process is read through either, and a server process killed outright is
started again by the supervisor."""
from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import aiohttp
import pytest
from stdnum.cn import uscc as stdnum_uscc

from tests.conftest import REPO
from tests.e2e.test_demo import _free_port, _log, _wait_ready, stop
from tests.pinned import LEDGER_ORIGIN, TEST_LEDGER_SEED_B64

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "miniprogram-mock"))
from kaiban_mock.client import KaibanClient  # noqa: E402
from kaiban_mock.scenarios import run_scenario  # noqa: E402
from kaiban_mock.steplog import StepLog  # noqa: E402
from kaiban_mock.wechat import WeChatPhone  # noqa: E402


@pytest.fixture
def two_process_server(database_url, tmp_path):
    """`python -m backend serve` with WEB_PROCESSES=2 on a PostgreSQL database."""
    if not database_url.startswith("postgres"):
        pytest.skip("several server processes share a PostgreSQL database")
    port = _free_port()
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": database_url, "PYTHONPATH": str(REPO),
           "LEDGER_SIGNING_SEED": TEST_LEDGER_SEED_B64, "LEDGER_ORIGIN": LEDGER_ORIGIN, "LEDGER_KEY_NAME": LEDGER_ORIGIN,
           "WEB_PROCESSES": "2", "PORT": str(port)}
    subprocess.run([sys.executable, "-m", "backend", "migrate"], env=env, cwd=REPO, check=True, capture_output=True)
    process = subprocess.Popen([sys.executable, "-m", "backend", "serve"], env=env, cwd=REPO, stdout=_log(tmp_path),
                               stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process)
        yield base
    finally:
        stop(process)


def _pids(base: str, calls: int = 40) -> set[int]:
    seen = set()
    for _ in range(calls):  # a new connection each time: the kernel picks a process per connection
        with urllib.request.urlopen(f"{base}/api/v1/meta", timeout=5) as answer:
            seen.add(json.loads(answer.read())["process"])
    return seen


async def _form(base: str, n: int) -> list[dict]:
    async def one(i: int) -> dict:
        connector = aiohttp.TCPConnector(force_close=True)  # every call on a new connection, any process
        async with aiohttp.ClientSession(connector=connector) as session:
            client = KaibanClient(session, base)
            return await run_scenario("sole_founder", client, WeChatPhone(client), user=f"proc-{i}",
                                      log=StepLog(total=15, enabled=False), rng=random.Random(i))
    return await asyncio.gather(*(one(i) for i in range(n)))


def _both_answering(base: str, timeout: float = 60) -> set[int]:
    """The processes answering, once both do (the second may still be starting when the first is ready)."""
    deadline, seen = time.monotonic() + timeout, set()
    while time.monotonic() < deadline and len(seen) < 2:
        seen = _pids(base, 20)
        time.sleep(0.2)
    return seen


async def test_two_processes_share_the_port_and_every_formation_completes(two_process_server):
    base = two_process_server
    first = _both_answering(base)
    assert len(first) == 2, first
    summaries = await _form(base, 4)
    assert all(s["licence_status"] == "active" and stdnum_uscc.is_valid(s["uscc"]) for s in summaries)
    assert len({s["uscc"] for s in summaries}) == 4

    victim = sorted(first)[0]
    os.kill(victim, signal.SIGKILL)  # a server process dies outright; the supervisor starts another
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            seen = _pids(base, 20)
        except OSError:
            seen = set()
        if len(seen) == 2 and victim not in seen:
            break
        time.sleep(0.5)
    assert len(seen) == 2 and victim not in seen, seen
    again = await _form(base, 2)
    assert all(s["licence_status"] == "active" for s in again)


async def _logged_in(session: aiohttp.ClientSession, base: str, user: str) -> tuple[KaibanClient, WeChatPhone]:
    client = KaibanClient(session, base)
    phone = WeChatPhone(client)
    await client.wechat_login((await phone.login_code(user))["code"])
    return client, phone


async def test_signatures_racing_through_two_processes_complete_the_signing_once(two_process_server):
    from kaiban_mock import testdata

    assert len(_both_answering(two_process_server)) == 2
    from kaiban_mock.parties import CoSigner, own_face_check

    base = two_process_server
    rng = random.Random(5)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as session:
        founder, phone = await _logged_in(session, base, "race-founder")
        app_id = (await founder.create_application("limited_liability_company"))["id"]
        await founder.give_identity_consent(app_id)
        person = testdata.mainland_founder(rng)
        started = await founder.put_identity(app_id, name=person.name, document_number=person.document_number)
        await phone.face("race-founder", "pass")
        await founder.face_check_result(app_id, started["face_check"]["verify_id"])
        other = testdata.other_person(rng, {person.document_number})
        from kaiban_mock.parties import contribution

        added = await founder.add_participant(app_id, {"name": other.name, "roles": ["shareholder"], "contribution": contribution("50000"),
                                                       "document_type": "cn_resident_id", "document_number": other.document_number})
        lead = (await founder.participants(app_id))["items"][0]
        await founder.change_participant(app_id, lead["id"], {"contribution": contribution("50000")})
        code = await founder.invite(app_id, added["id"])
        second, second_phone = await _logged_in(session, base, "race-second")
        await second.accept_invitation(code)
        await second.give_identity_consent(app_id)
        cosigner = CoSigner(client=second, phone=second_phone, user="race-second", participant_id=added["id"], label="second")
        await own_face_check(cosigner, app_id)
        await founder.reserve_name(app_id, testdata.company_name(testdata.trade_name(rng)))
        await founder.put_details(app_id, testdata.llc_details(rng))
        await founder.generate_documents(app_id)
        check = await founder.start_face_check(app_id)
        await phone.face("race-founder", "pass")
        await founder.face_check_result(app_id, check["verify_id"])
        # both people sign at once, and the second person's phone sends its request twice
        answers = await asyncio.gather(founder.sign(app_id), second.sign(app_id), second.sign(app_id))
        status = await founder.signatures(app_id)
        application = await founder.get_application(app_id)
    assert status["complete"] and [s["status"] for s in status["signers"]] == ["signed", "signed"]
    assert application["state"] == "signed"
    assert answers[1]["signature"]["id"] == answers[2]["signature"]["id"]  # the retry is the same signature
    steps = [item["step"] for item in (await _timeline(base, founder.access_token, app_id))]
    assert steps.count("signed") == 1 and steps.count("signature") == 1, steps


async def _timeline(base: str, token: str, app_id: str) -> list[dict]:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/api/v1/applications/{app_id}/timeline",
                               headers={"Authorization": f"Bearer {token}"}) as answer:
            return (await answer.json())["items"]


async def _sms_through_one_process(base: str, phone: str) -> tuple[int, list[dict]]:
    """Ask for `phone`'s fake SMS messages on a new connection; answer the process that answered and the messages."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) as session:  # one kept-alive connection
        pids = []
        for path, body in (("/api/v1/meta", None), ("/mock/sms/messages", {"phone": phone}), ("/api/v1/meta", None)):
            async with session.request("GET" if body is None else "POST", base + path, json=body) as answer:
                assert answer.status == 200, await answer.text()
                found = await answer.json()
            if body is None:
                pids.append(found["process"])
            else:
                items = found["items"]
    assert pids[0] == pids[1], pids  # the same connection, so the same process, before and after
    return pids[0], items


async def test_a_code_sent_through_one_process_is_read_through_either(two_process_server):
    import kaiban_mock.remote  # registers the Hong Kong partner scenario (and names its phone)

    base = two_process_server
    assert len(_both_answering(base)) == 2
    # the remote formation: every call on a new connection, so the codes are sent and read through either process
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as session:
        client = KaibanClient(session, base)
        summary = await run_scenario("hk_partner", client, WeChatPhone(client), user="proc-sms",
                                     log=StepLog(total=12, enabled=False), rng=random.Random(7))
    assert summary["licence_status"] == "active"
    seen: dict[int, list[str]] = {}
    for _ in range(30):
        pid, items = await _sms_through_one_process(base, kaiban_mock.remote.PHONE)
        seen.setdefault(pid, []).append(json.dumps(items, ensure_ascii=False))
    assert len(seen) == 2, seen.keys()  # both processes answered
    answers = {answer for answers in seen.values() for answer in answers}
    assert len(answers) == 1, answers  # and every answer is the same outbox
    texts = [item["text"] for item in json.loads(answers.pop())]
    assert len(texts) >= 2 and all("Kaiban" in text for text in texts)  # a code for each of the two links
