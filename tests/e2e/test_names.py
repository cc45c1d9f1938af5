"""The name check over HTTP (no login, rate-limited, the register loaded from CSV) and the reservation: one winner
of 50 racing for conflicting variants, expiry with the shared clock, a year with pre-approval, the ledger record."""
from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
import uuid

import aiohttp
import asyncpg
import pytest

from backend.domain.name_registry import write_csv
from tests.conftest import REPO
from tests.e2e.phone import FOUNDER, Phone, mainland_id
from tests.e2e.test_demo import _free_port, _log, _wait_ready, stop
from tests.pinned import LEDGER_ORIGIN, TEST_LEDGER_SEED_B64

CHECK = "/api/v1/names/check"
DAY = 24 * 3600


async def _check(client, **body) -> dict:
    resp = await client.post(CHECK, json=body)
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def _applicant(client, seq: int) -> tuple[Phone, str]:
    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.verify_identity(app["id"], {**FOUNDER, "document_number": mainland_id(seq=seq)})
    return phone, app["id"]


async def test_the_check_needs_no_login_and_answers_parts_findings_conflicts_suggestions(client):
    answer = await _check(client, name="广州市黄埔区云帆信息技术有限公司")
    assert answer["available"] is True and answer["ok"] is True
    assert {k: answer["parsed"][k] for k in ("region", "trade_name", "industry", "form")} == {
        "region": "广州市黄埔区", "trade_name": "云帆", "industry": "信息技术", "form": "有限公司"}
    assert answer["conflicts"] == [] and answer["suggestions"] == []
    from_parts = await _check(client, trade_name="云帆", industry="信息技术")
    assert from_parts["name"] == "广州市黄埔区云帆信息技术有限公司"
    bad = await _check(client, name="黄埔区AB信息技术有限公司")
    assert bad["ok"] is False and {"name_region_district_without_city", "name_trade_name_not_chinese"} <= {
        f["code"] for f in bad["findings"]}
    assert len(bad["suggestions"]) >= 5
    for suggestion in bad["suggestions"]:
        assert suggestion.startswith("广州市黄埔区") and suggestion.endswith("信息技术有限公司")
    empty = await client.post(CHECK, json={})
    assert empty.status == 422


async def test_traditional_characters_are_read_as_simplified_with_a_hint(client):
    answer = await _check(client, name="雲帆（廣州）資訊科技有限公司")
    assert answer["name"] == "云帆（广州）资讯科技有限公司" and answer["parsed"]["trade_name"] == "云帆"
    [converted] = [f for f in answer["findings"] if f["code"] == "name_traditional_converted"]
    assert converted["severity"] == "warning" and converted["span"] == [0, 8]
    assert converted["params"]["characters"] == "雲廣資訊" and converted["hint"]["messages"]["zh-HK"]
    assert answer["ok"] is True


async def test_a_reserved_name_refuses_its_variants_and_suggestions_pass(client):
    phone, app_id = await _applicant(client, 20)
    reserved = await phone.call("PUT", f"/api/v1/applications/{app_id}/name", json={"name": "广州市云帆房地产有限公司"})
    assert reserved["reservation"]["pre_approval"] is False
    answer = await _check(client, name="云帆（广州）置业有限公司")
    assert answer["available"] is False and answer["ok"] is False
    first = answer["conflicts"][0]
    assert (first["name"], first["match"], first["severity"]) == ("广州市云帆房地产有限公司", "same_industry", "error")
    assert answer["conflict_counts"] == {"same_industry": 1}
    assert len(answer["suggestions"]) >= 5
    for suggestion in answer["suggestions"]:
        again = await _check(client, name=suggestion)
        assert again["ok"] is True and again["available"] is True, again
        assert suggestion.endswith("（广州）置业有限公司")  # the applicant's region, industry wording and form
    unrelated = await _check(client, name="广州市黄埔区云帆食品有限公司")
    assert unrelated["available"] is True


async def test_the_register_file_is_loaded_at_start_with_every_match_type(server_factory, aiohttp_client, tmp_path):
    path = tmp_path / "register.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(handle, [
            ("广州市天河区澄曦科技有限公司", "registered", "2020-01-01", "91440106MA5AAAAA1X"),
            ("广州市越秀区红光酒业有限公司", "deregistered", "2019-01-01", "91440104MA5BBBBB2X"),
        ])
    client = await aiohttp_client(await server_factory(names_registry_csv=str(path)))
    same = await _check(client, name="广州市黄埔区澄曦科技有限公司")
    assert [(c["match"], c["severity"]) for c in same["conflicts"]] == [("exact", "error")]
    assert any(f["code"] == "name_identical" for f in same["findings"])
    similar = await _check(client, name="广州市黄埔区澄晞科技有限公司")
    assert similar["available"] is True and [(c["match"], c["severity"]) for c in similar["conflicts"]] == [
        ("homophone", "warning")]
    assert [f["severity"] for f in similar["findings"] if f["code"] == "name_similar"] == ["warning"]
    related = await _check(client, name="广州市黄埔区澄曦科技有限公司", related_usccs=["91440106MA5AAAAA1X"])
    assert related["available"] is True and related["conflicts"][0]["excepted"] is True
    long_ended = await _check(client, name="广州市黄埔区红光酒业有限公司")
    assert long_ended["available"] is True
    phone, app_id = await _applicant(client, 50)  # a similar name may be reserved; the warning comes with it
    reserved = await phone.call("PUT", f"/api/v1/applications/{app_id}/name", json={"name": "广州市黄埔区澄晞科技有限公司"})
    assert [w["code"] for w in reserved["warnings"]] == ["name_similar"]
    taken = await phone.call("PUT", f"/api/v1/applications/{app_id}/name", json={"name": "广州市黄埔区澄曦科技有限公司"},
                             expect=409)
    assert taken["code"] == "name_taken" and taken["params"]["existing"] == "广州市天河区澄曦科技有限公司"


async def test_the_check_is_rate_limited_per_client(server_factory, aiohttp_client):
    client = await aiohttp_client(await server_factory(name_check_rate=3))
    for _ in range(3):
        await _check(client, name="广州市黄埔区云帆信息技术有限公司")
    resp = await client.post(CHECK, json={"name": "广州市黄埔区云帆信息技术有限公司"})
    assert resp.status == 429 and int(resp.headers["Retry-After"]) >= 1
    assert (await resp.json())["code"] == "rate_limited"


async def _race(clients: list, names: list[str], seq0: int) -> list[tuple[int, str | None]]:
    applicants = await asyncio.gather(*(_applicant(clients[i % len(clients)], seq0 + i) for i in range(len(names))))

    async def claim(applicant, name):
        phone, app_id = applicant
        resp = await phone.client.put(f"/api/v1/applications/{app_id}/name", json={"name": name}, headers=phone.auth)
        return resp.status, (await resp.json()).get("code")

    return await asyncio.gather(*(claim(a, n) for a, n in zip(applicants, names)))


VARIANTS = ["广州市云帆房地产有限公司", "云帆（广州）置业有限公司", "广州云帆地产有限公司", "广州市黄埔区云帆实业有限公司",
            "广州市黄埔区云帆房地产开发有限公司"]


async def test_fifty_reservations_of_conflicting_variants_through_two_servers_make_one_winner(
        server_factory, aiohttp_client):
    clients = [await aiohttp_client(await server_factory()), await aiohttp_client(await server_factory())]
    results = await _race(clients, [VARIANTS[i % len(VARIANTS)] for i in range(50)], 100)
    assert sorted(status for status, _ in results) == [200] + [409] * 49, results
    assert {code for status, code in results if status == 409} == {"name_taken"}


async def test_expiry_and_pre_approval_release_the_name_by_the_shared_clock(client):
    first, first_app = await _applicant(client, 30)
    year = await first.call("PUT", f"/api/v1/applications/{first_app}/name",
                            json={"name": "广州市黄埔区云帆信息技术有限公司", "pre_approval": True})
    assert year["reservation"]["pre_approval"] is True
    viewed = await first.call("GET", f"/api/v1/applications/{first_app}")
    assert viewed["name_reservation"]["expires_at"] == year["reservation"]["expires_at"]
    second, second_app = await _applicant(client, 31)
    await client.post("/mock/clock/advance", json={"seconds": 62 * DAY})
    await second.login()  # access tokens expire with the clock too
    taken = await second.call("PUT", f"/api/v1/applications/{second_app}/name",
                              json={"name": "云帆（广州）信息技术有限公司"}, expect=409)
    assert taken["code"] == "name_taken"  # a year's reservation outlives two months
    await second.call("PUT", f"/api/v1/applications/{second_app}/name", json={"name": "广州市黄埔区云航科技有限公司"})
    third, third_app = await _applicant(client, 32)
    assert (await _check(client, name="广州市黄埔区云航科技有限公司"))["available"] is False
    await client.post("/mock/clock/advance", json={"seconds": 62 * DAY})  # two months after the second reservation
    assert (await _check(client, name="广州市黄埔区云航科技有限公司"))["available"] is True
    await third.login()
    await third.call("PUT", f"/api/v1/applications/{third_app}/name", json={"name": "广州市黄埔区云航科技有限公司"})
    assert (await _check(client, name="广州市黄埔区云帆信息技术有限公司"))["available"] is False
    await client.post("/mock/clock/advance", json={"seconds": 245 * DAY})  # a year after the first reservation
    assert (await _check(client, name="广州市黄埔区云帆信息技术有限公司"))["available"] is True


async def test_the_ledger_holds_hashes_of_the_reserved_name_only(client):
    phone, app_id = await _applicant(client, 40)
    await phone.call("PUT", f"/api/v1/applications/{app_id}/name", json={"name": "广州市黄埔区云帆信息技术有限公司"})
    timeline = await phone.call("GET", f"/api/v1/applications/{app_id}/timeline")
    [step] = [item for item in timeline["items"] if item["step"] == "name_reserved"]
    entry = await (await client.get(f"/api/v1/ledger/entries/{step['ledger_index']}")).json()
    leaf = base64.b64decode(entry["leaf"]).decode()
    assert "云帆" not in leaf
    facts = json.loads(leaf)["facts"]
    assert set(facts) == {"name_sha256", "conflict_key_sha256", "expires_at", "months"} and facts["months"] == 2


@pytest.fixture
def two_processes(database_url, tmp_path):
    """Two server processes (`python -m backend serve`) on one PostgreSQL database."""
    if not database_url.startswith("postgres"):
        pytest.skip("two server processes share a PostgreSQL database")
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": database_url, "PYTHONPATH": str(REPO),
           "LEDGER_SIGNING_SEED": TEST_LEDGER_SEED_B64, "LEDGER_ORIGIN": LEDGER_ORIGIN, "LEDGER_KEY_NAME": LEDGER_ORIGIN}
    subprocess.run([sys.executable, "-m", "backend", "migrate"], env=env, cwd=REPO, check=True, capture_output=True)
    processes, bases = [], []
    try:
        for _ in range(2):
            port = _free_port()
            processes.append(subprocess.Popen([sys.executable, "-m", "backend", "serve"], env={**env, "PORT": str(port)},
                                              cwd=REPO, stdout=_log(tmp_path), stderr=subprocess.STDOUT, text=True))
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes):
            _wait_ready(base, process)
        yield bases
    finally:
        for process in processes:
            stop(process)


async def test_fifty_reservations_through_two_server_processes_on_postgresql_make_one_winner(two_processes):
    sessions = [aiohttp.ClientSession(base_url=base) for base in two_processes]
    try:
        results = await _race(sessions, [VARIANTS[i % len(VARIANTS)] for i in range(50)], 200)
    finally:
        for session in sessions:
            await session.close()
    assert sorted(status for status, _ in results) == [200] + [409] * 49, results
    assert {code for status, code in results if status == 409} == {"name_taken"}


async def test_a_variant_claimed_in_an_open_transaction_is_refused_once_that_commits(client, database_url):
    """The per-字号 lock: a name without industry words (云帆实业) and one with (云帆房地产) have different conflict
    keys, so only the lock keeps a reservation from slipping in while the other is not yet committed."""
    if not database_url.startswith("postgres"):
        pytest.skip("SQLite serialises writers itself")
    _, holder_app = await _applicant(client, 60)
    rival, rival_app = await _applicant(client, 61)
    raw = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        transaction = raw.transaction()
        await transaction.start()
        await raw.execute("SELECT pg_advisory_xact_lock(hashtext($1))", "kaiban.name:云帆")
        await raw.execute(
            "INSERT INTO name_claims (id, name_key, name, status, expires_at, created_at, application_id, pre_approval,"
            " sound) VALUES ($1, '云帆|', '广州市黄埔区云帆实业有限公司', 'reserved', now() + interval '60 days', now(),"
            " $2, false, 'yun fan')", uuid.uuid4(), uuid.UUID(holder_app))
        pending = asyncio.ensure_future(rival.call("PUT", f"/api/v1/applications/{rival_app}/name",
                                                   json={"name": "广州市云帆房地产有限公司"}, expect=409))
        await asyncio.sleep(0.5)  # let the rival reach the lock (if it comes later, its first check refuses it)
        await transaction.commit()
    finally:
        await raw.close()
    taken = await pending
    assert taken["code"] == "name_taken" and taken["params"]["existing"] == "广州市黄埔区云帆实业有限公司"
