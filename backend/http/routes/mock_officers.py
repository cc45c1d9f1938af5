"""Mock mode only: a tester makes an officer account or registers a partner from the simulator or a scenario, as an
operator would with `python -m backend admin officer add` / `admin partner add` (never mounted in production)."""
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
from backend.services.partners import SCOPES as PARTNER_SCOPES, register_partner


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


class MockPartner(Body):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    region: Annotated[str, StringConstraints(pattern=r"^(HK|MO)$")] = "HK"
    public_key: Annotated[str, StringConstraints(min_length=40, max_length=64)]  # base64 raw Ed25519 public key


async def make_partner(request: web.Request) -> web.Response:
    body = await parse_body(request, MockPartner)
    svc = request.config_dict[SERVICES]
    partner = await register_partner(name=body.name, kind="bank", region=body.region, public_key_b64=body.public_key,
                                      scopes=list(PARTNER_SCOPES), rate_limit_per_minute=10_000, clock=svc.clock)
    return json_response({"key_id": partner.key_id, "scopes": partner.scopes, "region": partner.region}, status=201)


def operations(*, mock_mode: bool) -> list[Operation]:
    """The tester's officer factory, in mock mode only."""
    if not mock_mode:
        return []
    return [Operation(method="POST", path="/mock/officers", handler=make_officer, tag="mock", body=MockOfficer,
                      status=201, summary="Make an officer account for testing (password and TOTP secret returned)",
                      errors=(409, 422)),
            Operation(method="POST", path="/mock/partners", handler=make_partner, tag="mock", body=MockPartner,
                      status=201, summary="Register a partner bank with every scope for testing (its key id returned)",
                      errors=(409, 422))]
