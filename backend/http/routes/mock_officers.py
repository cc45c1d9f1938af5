"""Mock mode only: a tester makes an officer account from the simulator or a scenario, as an operator would with
`python -m backend admin officer add` (never mounted in production)."""
from __future__ import annotations

import secrets
from typing import Annotated

from aiohttp import web
from pydantic import Field, StringConstraints

from backend.http.openapi import Operation
from backend.http.request import parse_body
from backend.http.responses import json_response
from backend.http.schemas import Body
from backend.keys import SERVICES
from backend.services.officers import ROLES, create_officer


class MockOfficer(Body):
    username: Annotated[str, StringConstraints(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9.-]+$")]
    roles: list[str] = Field(default_factory=lambda: ["reviewer"], min_length=1, max_length=len(ROLES))


async def make_officer(request: web.Request) -> web.Response:
    body = await parse_body(request, MockOfficer)
    svc = request.config_dict[SERVICES]
    password = secrets.token_urlsafe(18)
    created = await create_officer(username=body.username, display_name=body.username, roles=body.roles,
                                   password=password, sealer=svc.sealer, clock=svc.clock)
    return json_response({"username": created.officer.username, "roles": created.officer.roles, "password": password,
                          "totp_secret": created.totp_secret}, status=201, headers={"Cache-Control": "no-store"})


def operations(*, mock_mode: bool) -> list[Operation]:
    """The tester's officer factory, in mock mode only."""
    if not mock_mode:
        return []
    return [Operation(method="POST", path="/mock/officers", handler=make_officer, tag="mock", body=MockOfficer,
                      status=201, summary="Make an officer account for testing (password and TOTP secret returned)",
                      errors=(409, 422))]
