"""The short crash run of CI (`make crash` runs the long one): applicants form companies on PostgreSQL while server
processes are SIGKILLed and started again; the client's retries complete every formation started, nothing
acknowledged is lost, no credit code twice, the ledger audit is clean and every licence verifies against the pinned
log key."""
from __future__ import annotations

import asyncio

import pytest

from tests.conftest import PG_URL, _drop_postgres_database, _fresh_postgres_database
from tests.e2e.crash import run_crash
from tests.e2e.test_demo import _free_port


@pytest.mark.timeout(400)
def test_kills_lose_nothing_acknowledged(tmp_path) -> None:
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL not set: the crash run is on PostgreSQL")
    url = asyncio.run(_fresh_postgres_database())
    try:
        report = asyncio.run(run_crash(database_url=url, folder=tmp_path, port=_free_port(), seconds=40,
                                       applicants=2, interval=(4.0, 10.0)))
    finally:
        asyncio.run(_drop_postgres_database(url))
    assert report.kills >= 3 and report.formations, report
    assert report.lost == [] and report.duplicate_usccs == [], report
    assert report.abandoned == [], report.abandoned  # every formation with an application went through to its licence
    assert report.audit_ok, report.audit
    assert report.unverified == [], report.unverified
    # every application the client was told about is there, at least as far as it was told
    assert len(report.acknowledged) >= len(report.formations)
