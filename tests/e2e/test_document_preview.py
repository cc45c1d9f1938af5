"""Previews: each kind in each language from the current data; the zh-CN preview is the binding document's bytes."""
from __future__ import annotations

import json

from tests.e2e.phone import Phone


async def test_previews_in_every_language_and_the_canonical_json(client) -> None:
    phone = Phone(client)
    final = await phone.form_company()
    base = f"/api/v1/applications/{final['id']}/documents"
    assert {d["kind"] for d in final["documents"]} == {"articles_of_association", "application_form",
                                                      "shareholder_decision", "appointments", "finance_and_liaison",
                                                      "address_statement"}
    binding = await phone.call("GET", f"{base}/articles_of_association")
    assert await phone.call("GET", f"{base}/articles_of_association/preview?lang=zh-CN") == binding
    english = await phone.call("GET", f"{base}/articles_of_association/preview?lang=en")
    assert english.startswith(b"%PDF-") and english != binding
    raw = await client.get(f"{base}/appointments/preview?format=json", headers=phone.auth)
    content = json.loads(await raw.read())
    assert content["kind"] == "appointments" and content["binding_language"] == "zh-CN"
    bad = await phone.call("GET", f"{base}/appointments/preview?lang=fr", expect=422)
    assert bad["code"] == "document_language_unsupported"
    await phone.call("GET", f"{base}/shareholders_resolution/preview", expect=404)  # one shareholder: a decision
