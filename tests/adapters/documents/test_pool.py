"""Rendering in worker processes gives the very bytes rendered here, and a formation works with workers on."""
from __future__ import annotations

import pytest

from backend.adapters.documents import render
from backend.adapters.documents.pool import RenderPool
from tests.adapters.documents.test_render import make_facts, render_application_form, render_articles
from tests.e2e.phone import Phone


async def test_worker_processes_render_the_same_bytes_as_this_process() -> None:
    pool = RenderPool(processes=2)
    try:
        facts = make_facts()
        remote = [await pool.run(render, kind, facts, "zh-CN") for kind in ("articles_of_association", "application_form")]
    finally:
        pool.close()
    assert remote == [render_articles(facts), render_application_form(facts)]


async def test_starting_the_pool_starts_every_worker_at_once() -> None:
    pool = RenderPool(processes=2)
    try:
        assert await pool.start() == 2
    finally:
        pool.close()
    assert await RenderPool(processes=0).start() == 0


async def test_no_workers_renders_in_threads_and_negative_counts_are_refused() -> None:
    pool = RenderPool(processes=0)
    assert await pool.run(render, "articles_of_association", make_facts()) == render_articles(make_facts())
    pool.close()
    with pytest.raises(ValueError, match="processes must be 0 or more"):
        RenderPool(processes=-1)


async def test_a_company_is_formed_with_render_workers(server_factory, aiohttp_client) -> None:
    client = await aiohttp_client(await server_factory(render_processes=1))
    final = await Phone(client).form_company()
    assert final["state"] == "licensed" and len(final["documents"]) == 6
