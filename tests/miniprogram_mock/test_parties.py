"""The testers' scenarios of several people end in a licence against a real server, each person signing from a
simulated WeChat user of their own; the step count each scenario announces is the count it runs."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import aiohttp
import pytest
from stdnum.cn import uscc as stdnum_uscc

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "miniprogram-mock"))

import kaiban_mock.parties  # noqa: E402,F401 - registers the scenarios
from kaiban_mock.client import KaibanClient  # noqa: E402
from kaiban_mock.scenarios import SCENARIOS, run_scenario  # noqa: E402
from kaiban_mock.steplog import StepLog  # noqa: E402
from kaiban_mock.wechat import WeChatPhone  # noqa: E402

from backend.models import Signature  # noqa: E402


@pytest.mark.parametrize("name, signers, company_type", [
    ("two_shareholders", 4, "有限责任公司（自然人投资或控股）"),
    ("corporate_shareholder", 3, "其他有限责任公司"),
])
async def test_each_party_signs_from_their_own_wechat_and_the_licence_verifies(server_factory, name, signers, company_type) -> None:
    server = await server_factory()
    async with aiohttp.ClientSession() as session:
        client = KaibanClient(session, str(server.make_url("/")))
        log = StepLog(total=SCENARIOS[name].steps, enabled=False)
        summary = await run_scenario(name, client, WeChatPhone(client), user=f"party-{name}", log=log,
                                     rng=random.Random(11))
        licence = (await client.licence(summary["uscc"]))["licence"]
    assert summary["scenario"] == name and summary["licence_status"] == "active"
    assert stdnum_uscc.is_valid(summary["uscc"]) and licence["type"] == company_type
    assert summary["signers"] == signers and log.count == SCENARIOS[name].steps
    stored = await Signature.filter(application_id=summary["application_id"], valid=True)
    assert len(stored) == signers
    assert len({s.signer_id for s in stored}) == (4 if name == "two_shareholders" else 2)  # the representative signs twice
    if name == "corporate_shareholder":
        assert [s.payload["signer"]["seal"] is not None for s in stored].count(True) == 1


async def test_a_hong_kong_investor_through_a_partner_ends_in_a_verified_licence(server_factory) -> None:
    import kaiban_mock.remote  # noqa: F401 - registers the scenario

    server = await server_factory()
    async with aiohttp.ClientSession() as session:
        client = KaibanClient(session, str(server.make_url("/")))
        log = StepLog(total=SCENARIOS["hk_partner"].steps, enabled=False)
        summary = await run_scenario("hk_partner", client, WeChatPhone(client), user="hk-1", log=log, rng=random.Random(3))
    assert summary["licence_status"] == "active" and stdnum_uscc.is_valid(summary["uscc"])
    assert log.count == SCENARIOS["hk_partner"].steps
    stored = await Signature.filter(application_id=summary["application_id"], valid=True)
    assert len(stored) == 2 and {s.payload["assurance"]["level"] for s in stored} == {"partner_attestation+sms_code"}
