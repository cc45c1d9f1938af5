"""The testers' failure-path scenarios end in a licence against a real server (each on its own database)."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import aiohttp
import pytest
from stdnum.cn import uscc as stdnum_uscc

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "miniprogram-mock"))

import kaiban_mock.paths  # noqa: E402,F401 - registers the scenarios
from kaiban_mock.client import KaibanClient  # noqa: E402
from kaiban_mock.scenarios import SCENARIOS, run_scenario  # noqa: E402
from kaiban_mock.steplog import StepLog  # noqa: E402
from kaiban_mock.wechat import WeChatPhone  # noqa: E402


@pytest.mark.parametrize("name", ["face_retry", "name_suggestion", "review_resubmit"])
async def test_each_failure_path_still_ends_in_a_verified_licence(server_factory, name) -> None:
    server = await server_factory()
    async with aiohttp.ClientSession() as session:
        client = KaibanClient(session, str(server.make_url("/")))
        log = StepLog(total=SCENARIOS[name].steps, enabled=False)
        summary = await run_scenario(name, client, WeChatPhone(client), user=f"path-{name}", log=log,
                                     rng=random.Random(7))
        labels = [step.label for step in log.steps]
    assert summary["scenario"] == name and summary["licence_status"] == "active"
    assert stdnum_uscc.is_valid(summary["uscc"])
    detour = {"face_retry": ["face check cancelled", "face check retried"],
              "name_suggestion": ["name taken by another", "name check → suggestion"],
              "review_resubmit": ["officer rejects", "edit and resubmit"]}[name]
    assert all(label in labels for label in detour), labels
    if name == "review_resubmit":
        assert summary["timeline_records"] > 9  # in review, rejected and the second round are on the ledger too
