"""The page a remote confirmation link opens (a signer without the mini-program): what they sign, in zh-CN, zh-HK or
en, and a form that sends the code from their phone to the same JSON API (`/api/v1/confirmations/{token}/...`)."""
from __future__ import annotations

import html
import json

from aiohttp import web

from backend.http.openapi import Operation
from backend.http.problems import language
from backend.i18n import messages, negotiate
from backend.keys import SERVICES
from backend.services import signing_links

DOCUMENT_KEYS = "page.confirm.document."


async def confirmation_page(request: web.Request) -> web.Response:
    """The signer's page: the company, their capacities, each binding document's SHA-256, and the code form."""
    lang = negotiate(request.query["lang"]) if request.query.get("lang") else language(request)
    token = request.match_info["token"]
    view = await signing_links.confirmation_view(request.config_dict[SERVICES], token=token)
    text = lambda code, **params: html.escape(messages(code, params)[lang])  # noqa: E731
    slots = "".join(
        f"<li>{text('page.confirm.for_company', company=s['company']) if s['company'] else text('page.confirm.for_self')}"
        f" — {html.escape(', '.join(s['roles']))}{' ✓' if s['signed'] else ''}</li>" for s in view["slots"])
    documents = "".join(f"<li>{html.escape(d['kind'])} <code>{html.escape(d['sha256'])}</code></li>" for d in view["documents"])
    api = f"/api/v1/confirmations/{json.dumps(token)[1:-1]}"
    done = text("page.confirm.done") if view["used"] else ""
    body = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{text('page.confirm.title')}</title>
<style>body{{font-family:sans-serif;max-width:640px;margin:24px auto;padding:0 12px}}code{{font-size:.75em;word-break:break-all}}
#out{{font-weight:bold}}</style></head>
<body><h1>{text('page.confirm.title')}</h1>
<p>{text('page.confirm.intro', name=view['signer']['name'], company=view['company_name'] or '')}</p>
<ul>{slots}</ul>
<h2>{text('page.confirm.documents')}</h2><ul>{documents}</ul>
<p><small>{text('page.confirm.binding')}</small></p>
<form id="sign"><label>{text('page.confirm.code')} <input name="code" inputmode="numeric" pattern="[0-9]{{6}}" required></label>
<button>{text('page.confirm.sign')}</button> <button type="button" id="resend">{text('page.confirm.resend')}</button></form>
<p id="out">{done}</p>
<script>
const out = document.getElementById("out"), api = "{api}";
async function call(path, body) {{
  const r = await fetch(api + path, {{method: "POST", headers: {{"Content-Type": "application/json",
    "Accept-Language": document.documentElement.lang}}, body: JSON.stringify(body)}});
  const j = await r.json(); out.textContent = r.ok ? "{text('page.confirm.done')}" : j.message; return r.ok;
}}
document.getElementById("sign").onsubmit = e => {{ e.preventDefault(); call("/signature", {{code: e.target.code.value}}); }};
document.getElementById("resend").onclick = () => call("/code", {{}}).then(ok => ok && (out.textContent = "{text('page.confirm.sent')}"));
</script></body></html>"""
    return web.Response(text=body, content_type="text/html", charset="utf-8",
                        headers={"Content-Language": lang, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def operations() -> list[Operation]:
    """The confirmation link's page."""
    return [Operation(method="GET", path="/confirm/{token}", handler=confirmation_page, tag="signing",
                      summary="The page a confirmation link opens, in zh-CN, zh-HK or en", response_type="text/html",
                      response={"type": "string"}, errors=(404, 409))]
