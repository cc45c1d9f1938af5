"""Public licence verification."""
from __future__ import annotations

import html
import io

import segno
from aiohttp import web

from backend.http.openapi import Operation
from backend.http.problems import language
from backend.http.ratelimit import limit
from backend.http.responses import json_response
from backend.i18n import messages, negotiate
from backend.keys import SERVICES
from backend.ledger.bundle import FILE_EXTENSION
from backend.services.licences import licence_bundle, licence_tlog_proof

BUNDLE_SCHEMA = {
    "type": "object",
    "required": ["licence", "status", "ledger"],
    "properties": {
        "licence": {"type": "object"},
        "status": {"type": "string"},
        "ledger": {
            "type": "object",
            "required": ["index", "leaf", "inclusion", "checkpoint"],
            "properties": {
                "index": {"type": "integer"},
                "leaf": {"type": "string", "contentEncoding": "base64"},
                "inclusion": {"type": "object", "properties": {"size": {"type": "integer"}, "hashes": {"type": "array", "items": {"type": "string"}}}},
                "checkpoint": {"type": "string"},
            },
        },
        "bundle_url": {"type": "string"},
        "credential": {"type": "string", "description": "compact JWS (EdDSA) over the RFC 8785 licence object"},
    },
}


async def verify_licence(request: web.Request) -> web.Response:
    await limit(request, "verify")
    bundle = await licence_bundle(request.config_dict[SERVICES], uscc=request.match_info["uscc"])
    return json_response(bundle)


async def download_bundle(request: web.Request) -> web.Response:
    await limit(request, "verify")
    uscc, text = await licence_tlog_proof(request.config_dict[SERVICES], uscc=request.match_info["uscc"])
    return web.Response(
        text=text, content_type="text/plain", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{uscc}{FILE_EXTENSION}"', "Cache-Control": "no-cache"},
    )


async def licence_qr(request: web.Request) -> web.Response:
    """The QR code a licence carries: the address of its public verification, as SVG."""
    await limit(request, "verify")
    bundle = await licence_bundle(request.config_dict[SERVICES], uscc=request.match_info["uscc"])
    target = f"{request.url.origin()}/licences/{bundle['licence']['uscc']}"
    svg = io.BytesIO()
    segno.make(target, error="m").save(svg, kind="svg", scale=4, border=2, title=bundle["licence"]["uscc"])
    return web.Response(body=svg.getvalue(), content_type="image/svg+xml", headers={"Cache-Control": "max-age=3600"})


PAGE_FIELDS = ("name", "uscc", "type", "legal_representative", "registered_capital", "date_of_establishment",
               "address", "business_scope", "registration_authority")


async def licence_page(request: web.Request) -> web.Response:
    """The page a licence's QR code opens: what it shows and its status, in zh-CN, zh-HK or en (?lang= or
    Accept-Language), with its ledger proof for machines beside it."""
    await limit(request, "verify")
    lang = negotiate(request.query["lang"]) if request.query.get("lang") else language(request)
    bundle = await licence_bundle(request.config_dict[SERVICES], uscc=request.match_info["uscc"])
    licence, ledger = bundle["licence"], bundle["ledger"]
    text = lambda code, **params: html.escape(messages(code, params)[lang])  # noqa: E731
    rows = "".join(f"<tr><th>{text('page.licence.' + key)}</th><td>{html.escape(str(licence.get(key, '')))}</td></tr>"
                   for key in PAGE_FIELDS)
    status = bundle["status"]
    json_url = f"/api/v1/licences/{licence['uscc']}"
    notes = [text("page.licence.translation")] if lang != "zh-CN" else []
    if licence.get("uscc_allocation") == "simulated":
        notes.append(text("page.licence.simulated"))
    body = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{text('page.licence.title')} {html.escape(licence['uscc'])}</title>
<style>body{{font-family:sans-serif;max-width:640px;margin:24px auto;padding:0 12px}}th{{text-align:left;color:#666;
padding-right:12px;vertical-align:top;white-space:nowrap}}.status{{font-size:1.4em;font-weight:bold}}
.active{{color:#07a050}}.revoked,.deregistered{{color:#d03030}}</style></head>
<body><h1>{text('page.licence.title')}</h1>
<p class="status {html.escape(status)}">{text('page.licence.status')}: {text('page.licence.status.' + status)}</p>
<table>{rows}</table>
<p>{text('page.licence.proof', index=ledger['index'], size=ledger['inclusion']['size'], json=json_url)}</p>
{''.join(f'<p><small>{note}</small></p>' for note in notes if note)}
</body></html>"""
    return web.Response(text=body, content_type="text/html", charset="utf-8",
                        headers={"Content-Language": lang, "Cache-Control": "no-cache"})


async def credential_keys(request: web.Request) -> web.Response:
    """The key set that verifies licence credentials."""
    return json_response(request.config_dict[SERVICES].credentials.jwks(), headers={"Cache-Control": "max-age=3600"})


def operations() -> list[Operation]:
    """The public licence endpoint."""
    return [
        Operation(method="GET", path="/api/v1/licences/{uscc}", handler=verify_licence, tag="public",
                  summary="A licence, its status and its ledger proof", response=BUNDLE_SCHEMA, errors=(404, 422)),
        Operation(method="GET", path="/api/v1/licences/{uscc}/bundle", handler=download_bundle, tag="public",
                  summary="The licence's proof bundle (C2SP tlog-proof, the ledger entry in its extra line), for "
                          "`python -m backend.ledger verify`", response_type="text/plain", response={"type": "string"},
                  errors=(404, 422)),
        Operation(method="GET", path="/licences/{uscc}", handler=licence_page, tag="public",
                  summary="The licence's verification page (what its QR code opens), in zh-CN, zh-HK or en",
                  response_type="text/html", response={"type": "string"}, errors=(404, 422)),
        Operation(method="GET", path="/api/v1/licence-credentials/jwks.json", handler=credential_keys, tag="public",
                  summary="The key set (JWK) that verifies licence credentials; verifiers pin it"),
        Operation(method="GET", path="/api/v1/licences/{uscc}/qr.svg", handler=licence_qr, tag="public",
                  summary="The licence's QR code (SVG): the address of its public verification",
                  response_type="image/svg+xml", response={"type": "string"}, errors=(404, 422)),
    ]
