"""The durable credit-code allocator: distinct valid codes under concurrency, none reissued after a restart or an
abandoned allocation, each one recorded."""
from __future__ import annotations

import asyncio
import uuid

import pytest
from stdnum.cn import uscc as stdnum_uscc

from backend.adapters.uscc.durable import DurableUsccAllocator
from backend.clock import SystemClock
from backend.db import close_database, open_database
from backend.domain.identifiers import check_uscc
from backend.models import UsccAllocation


@pytest.fixture
async def db(database_url):
    await open_database(database_url)
    yield database_url
    await close_database()


async def test_concurrent_allocations_give_distinct_valid_recorded_codes(db) -> None:
    allocator = DurableUsccAllocator(clock=SystemClock())
    app_id = str(uuid.uuid4())
    codes = await asyncio.gather(*(allocator.allocate(application_id=app_id) for _ in range(60)))
    assert len(set(codes)) == 60
    for code in codes:
        assert stdnum_uscc.is_valid(code) and check_uscc(code, strict_org_code=True) == code
        assert code.startswith("91440112MA")
    rows = await UsccAllocation.all()
    assert sorted(r.code for r in rows) == sorted(codes)
    assert {str(r.application_id) for r in rows} == {app_id}


async def test_a_restart_never_reissues_a_code_even_one_abandoned(db) -> None:
    first = DurableUsccAllocator(clock=SystemClock())
    before = [await first.allocate() for _ in range(5)]  # say the approvals using them all failed: abandoned
    await close_database()  # the server stops
    await open_database(db)  # and another starts on the same database
    after = [await DurableUsccAllocator(clock=SystemClock()).allocate() for _ in range(5)]
    assert not set(before) & set(after)
    assert await UsccAllocation.all().count() == 10
