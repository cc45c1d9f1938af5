"""Load mode: several applicants at once, throughput and per-endpoint percentiles, every licence verified."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "miniprogram-mock"))

from kaiban_mock.load import endpoint_of, main, run_load  # noqa: E402

from tests.pinned import PINNED_LEDGER_VKEY  # noqa: E402

OTHER_KEY = "kaiban.huangpu.gov.cn/formation-ledger+4a9f1c2e+AcBK9gdRqlx2bIqtmdyV5wnHZkyTbkgGZ5Hu4Pm6HbQ1"


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("PUT", "/api/v1/applications/178fd10f-0b82-49ae-b07c-a8afe86f379c/name", "PUT /api/v1/applications/{id}/name"),
        ("POST", "/api/v1/applications/178fd10f-0b82-49ae-b07c-a8afe86f379c/face-checks/0Pcd3Es--x9m/result",
         "POST /api/v1/applications/{id}/face-checks/{verify_id}/result"),
        ("GET", "/api/v1/licences/91440112MAF7KTTY17", "GET /api/v1/licences/{uscc}"),
        ("GET", "/api/v1/ledger/entries/42", "GET /api/v1/ledger/entries/{index}"),
        ("POST", "/api/v1/auth/wechat-login", "POST /api/v1/auth/wechat-login"),
    ],
)
def test_calls_are_grouped_by_endpoint(method: str, path: str, expected: str) -> None:
    assert endpoint_of(method, path) == expected


async def test_three_applicants_form_companies_and_every_licence_verifies(server_factory) -> None:
    server = await server_factory()
    base = str(server.make_url("")).rstrip("/")
    result = await run_load(base_url=base, applicants=3, seconds=1.5, ledger_key=PINNED_LEDGER_VKEY)
    summary = result.summary()
    assert result.ok, summary
    assert summary["formations"] >= 3 and summary["verified"] == summary["formations"]
    assert summary["formations_per_second"] > 0
    usccs = [f["uscc"] for f in result.formations]
    assert len(set(usccs)) == len(usccs)  # every formation its own company
    by_endpoint = {row["endpoint"]: row for row in summary["endpoints"]}
    submit = by_endpoint["POST /api/v1/applications/{id}/submit"]
    assert submit["calls"] == summary["formations"] and submit["errors"] == 0
    assert 0 < submit["p50_ms"] <= submit["p95_ms"] <= submit["p99_ms"] <= submit["max_ms"]
    assert "GET /api/v1/licences/{uscc}" in by_endpoint
    assert "POST /api/v1/applications/{id}/submit" in result.table()


async def test_a_wrong_pinned_key_leaves_every_licence_unverified(server_factory) -> None:
    server = await server_factory()
    base = str(server.make_url("")).rstrip("/")
    result = await run_load(base_url=base, applicants=1, seconds=0.1, ledger_key=OTHER_KEY)
    assert result.formations and result.verified == 0
    assert len(result.unverified) == len(result.formations) and not result.ok


def test_the_command_refuses_a_bad_setting_and_an_unreachable_server(capsys) -> None:
    assert main(["--applicants", "0", "--seconds", "1"]) == 2
    assert "applicants must be at least 1" in capsys.readouterr().err
    assert main(["--base-url", "http://127.0.0.1:9", "--applicants", "1", "--seconds", "0.1"]) in (1, 2)
