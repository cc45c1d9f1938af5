"""The simulator's pages and the licence QR code as served (the browser test clicks through them)."""
from __future__ import annotations

from tests.e2e.phone import Phone


async def test_the_pages_are_served_in_mock_mode(client) -> None:
    moved = await client.get("/mock/app", allow_redirects=False)
    assert moved.status == 302 and moved.headers["Location"] == "/mock/app/"
    index = await client.get("/mock/app/")
    assert index.status == 200 and "企业开办" in await index.text()
    script = await client.get("/mock/app/app.js")
    assert script.status == 200 and "/api/v1" in await script.text()
    font = await client.get("/mock/app/font.ttf")
    body = await font.read()
    assert font.status == 200 and body[:4] == b"\x00\x01\x00\x00"  # a single TrueType font, not the collection
    assert (await client.get("/mock/app/../../backend/settings.py")).status in (403, 404)


async def test_a_licence_qr_code_is_an_svg_and_unknown_codes_are_refused(client) -> None:
    final = await Phone(client).form_company()
    uscc = final["licence"]["uscc"]
    qr = await client.get(f"/api/v1/licences/{uscc}/qr.svg")
    assert qr.status == 200 and qr.content_type == "image/svg+xml"
    assert (await qr.text()).lstrip().startswith(("<?xml", "<svg"))
    other = await client.get("/api/v1/licences/91440112MA0ADUR94Q/qr.svg")
    assert other.status == 404 and (await other.json())["code"] == "licence_not_found"
    bad = await client.get("/api/v1/licences/NOT-A-CODE/qr.svg")
    assert bad.status in (404, 422) and "code" in await bad.json()
