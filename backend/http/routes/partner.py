"""Partner endpoints (Hong Kong and Macau banks, notaries, service centres): every request signed per RFC 9421."""
from __future__ import annotations

from aiohttp import web

from backend.http.openapi import Operation
from backend.http.responses import json_response
from backend.keys import CLOCK, SETTINGS
from backend.services.partner_auth import AuthenticatedPartner, SignedRequest, authenticate

PARTNER_ERRORS = (401, 403, 429)


async def signed_partner(request: web.Request) -> AuthenticatedPartner:
    """Authenticate the partner that signed `request` (401/429 with a distinct code otherwise)."""
    settings = request.config_dict[SETTINGS]
    # behind a proxy that terminates TLS the partner signed the public address, not the one we were reached at
    url = settings.public_base_url.rstrip("/") + str(request.rel_url) if settings.public_base_url else str(request.url)
    body = await request.read()
    return await authenticate(
        SignedRequest(method=request.method, url=url, headers=request.headers, body=body),
        clock=request.config_dict[CLOCK], window=settings.partner_signature_window,
    )


async def whoami(request: web.Request) -> web.Response:
    partner = await signed_partner(request)
    return json_response({
        "name": partner.name, "kind": partner.kind, "region": partner.region, "scopes": list(partner.scopes),
        "rate_limit_per_minute": partner.rate_limit_per_minute,
    })


def operations() -> list[Operation]:
    """The partner endpoints."""
    return [
        Operation(method="GET", path="/api/v1/partner/whoami", handler=whoami, tag="partners",
                  summary="Check a partner's request signing: who the signed request comes from (RFC 9421, Ed25519; "
                          "covers @method, @target-uri and content-digest; created, keyid and nonce parameters)",
                  errors=PARTNER_ERRORS),
    ]
