"""100 officers' approvals at once, through two server applications on one database, give 100 distinct valid credit
codes; a server started later on the same database never reissues one (nor one allocated then abandoned)."""
from __future__ import annotations

import asyncio
import dataclasses
import uuid

from stdnum.cn import uscc as stdnum_uscc

from backend import keys
from backend.domain.identifiers import check_uscc
from backend.models import Application, Identity, Licence, UsccAllocation
from backend.services.identity import open_identity
from tests.e2e.phone import Phone
from tests.officers.test_licence_status import _reviewer
from tests.officers.test_review import _referred

APPROVALS = 100


async def _copies(app, application_id: str, count: int) -> list[str]:
    """`count` copies of a referred application, each with the founder's identity sealed under its own id."""
    sealer = app[keys.SERVICES].sealer
    original = await Application.get(id=application_id)
    identity = await Identity.get(application_id=application_id)
    facts = dataclasses.asdict(open_identity(app[keys.SERVICES], identity))
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
    ids = [referred] + await _copies(first.server.app, referred, APPROVALS - 1)
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
