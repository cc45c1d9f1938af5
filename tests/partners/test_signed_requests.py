"""Partner endpoints accept only RFC 9421 signed requests from registered keys, once each, within the time window."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from backend import keys
from backend.models import Partner
from backend.services.partners import register_partner
from tests.conftest import REPO

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "miniprogram-mock"))
from kaiban_mock.partner import PartnerClient  # noqa: E402

WHOAMI = "/api/v1/partner/whoami"


@pytest.fixture
async def served(server_factory):
    server = await server_factory()
    async with aiohttp.ClientSession() as session:
        yield server, session


async def _partner(server, session, *, rate_limit: int = 60, scopes=("applications:submit",)) -> PartnerClient:
    key = Ed25519PrivateKey.generate()
    partner = await register_partner(
        name="香港測試銀行", kind="bank", region="HK", public_key_b64=PartnerClient.public_key_b64(key),
        scopes=list(scopes), rate_limit_per_minute=rate_limit, clock=server.app[keys.CLOCK],
    )
    client = PartnerClient(session=session, base_url=str(server.make_url("/")), key_id=partner.key_id, key=key)
    await client.sync_clock()
    return client


async def test_a_signed_request_from_a_registered_partner_is_accepted(served) -> None:
    server, session = served
    partner = await _partner(*served)
    status, body = await partner.request("GET", WHOAMI)
    assert status == 200, body
    assert body["name"] == "香港測試銀行" and body["region"] == "HK" and body["scopes"] == ["applications:submit"]
    assert 'keyid="partner-' in partner.last_headers["Signature-Input"]


async def test_the_refusals_have_distinct_codes(served) -> None:
    server, session = served
    partner = await _partner(*served)
    url = str(server.make_url(WHOAMI))

    async def get(headers):
        async with session.get(url, headers=headers) as response:
            return response.status, (await response.json())["code"]

    assert await get({}) == (401, "partner_signature_missing")
    # a bad signature: the signature of another request
    other = partner.signed_headers("GET", str(server.make_url("/api/v1/partner/other")), b"")
    assert await get(other) == (401, "partner_signature_invalid")
    # an unknown key: a key nobody registered, under a made-up key id
    stranger = PartnerClient(session=session, base_url=partner.base_url, key_id="partner-unknown",
                             key=Ed25519PrivateKey.generate(), clock_offset=partner.clock_offset)
    assert (await stranger.request("GET", WHOAMI))[1]["code"] == "partner_key_unknown"
    # the registered key id with another private key
    forger = PartnerClient(session=session, base_url=partner.base_url, key_id=partner.key_id,
                           key=Ed25519PrivateKey.generate(), clock_offset=partner.clock_offset)
    assert (await forger.request("GET", WHOAMI))[1]["code"] == "partner_signature_invalid"
    # a stale timestamp, and one from the future
    old = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=partner.clock_offset - 600)
    assert (await partner.request("GET", WHOAMI, created=old))[1]["code"] == "partner_request_stale"
    ahead = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=partner.clock_offset + 600)
    assert (await partner.request("GET", WHOAMI, created=ahead))[1]["code"] == "partner_request_stale"
    # a replayed request: the same headers again
    assert (await partner.request("GET", WHOAMI))[0] == 200
    status, body = await partner.replay("GET", WHOAMI)
    assert (status, body["code"]) == (401, "partner_request_replayed")
    assert {"zh-CN", "zh-HK", "en"} <= set(body["messages"]) and "nonce" in body["messages"]["en"]


async def test_a_signature_must_cover_the_target_and_the_body(served) -> None:
    server, session = served
    partner = await _partner(*served)
    url = str(server.make_url(WHOAMI))
    headers = partner.signed_headers("GET", url, b"")
    # drop @target-uri from the covered components: the signature no longer binds the request's address
    narrowed = dict(headers, **{"Signature-Input": headers["Signature-Input"].replace(' "@target-uri"', "")})
    async with session.get(url, headers=narrowed) as response:
        body = await response.json()
        assert response.status == 401 and body["code"] == "partner_signature_incomplete"
        assert "@target-uri" in body["params"]["missing"]
    # a body changed after signing: the Content-Digest no longer matches
    signed = partner.signed_headers("GET", url, b'{"amount": 1}')
    async with session.get(url, data=b'{"amount": 9}', headers=signed) as response:
        assert response.status == 401 and (await response.json())["code"] == "partner_signature_invalid"
    # a body sent without a signed Content-Digest
    async with session.get(url, data=b'{"amount": 9}', headers=partner.signed_headers("GET", url, b"")) as response:
        body = await response.json()
        assert response.status == 401 and body["code"] == "partner_signature_incomplete"
        assert body["params"]["missing"] == ["content-digest"]


async def test_a_disabled_partner_is_refused_and_the_rate_limit_gives_429(served) -> None:
    server, session = served
    limited = await _partner(*served, rate_limit=2)
    assert [(await limited.request("GET", WHOAMI))[0] for _ in range(2)] == [200, 200]
    async with session.get(str(server.make_url(WHOAMI)),
                           headers=limited.signed_headers("GET", str(server.make_url(WHOAMI)), b"")) as response:
        assert response.status == 429 and (await response.json())["code"] == "partner_rate_limited"
        assert int(response.headers["Retry-After"]) > 0
    await Partner.filter(key_id=limited.key_id).update(active=False)
    assert (await limited.request("GET", WHOAMI))[1]["code"] == "partner_key_unknown"


async def test_the_admin_command_registers_lists_and_disables_partners(database_url, tmp_path) -> None:
    key = Ed25519PrivateKey.generate()
    env = {"DATABASE_URL": database_url, "VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(REPO),
           "PATH": "/usr/bin:/bin"}

    def admin(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "backend.admin", "partner", *args], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=60)

    added = admin("add", "--name", "澳門公證處", "--kind", "notary", "--region", "MO",
                  "--public-key", PartnerClient.public_key_b64(key), "--key-id", "mo-notary-1", "--rate-limit", "30")
    assert added.returncode == 0, added.stderr
    assert '"key_id": "mo-notary-1"' in added.stdout and '"rate_limit_per_minute": 30' in added.stdout
    again = admin("add", "--name", "x", "--kind", "notary", "--region", "MO",
                  "--public-key", PartnerClient.public_key_b64(key), "--key-id", "mo-notary-1")
    assert again.returncode == 1 and "partner_key_taken" in again.stderr
    bad = admin("add", "--name", "x", "--kind", "bank", "--region", "HK", "--public-key", "bm90IGEga2V5")
    assert bad.returncode == 1 and "partner_key_invalid" in bad.stderr
    assert admin("disable", "mo-notary-1").returncode == 0
    listed = admin("list")
    assert '"active": false' in listed.stdout and "澳門公證處" in listed.stdout
