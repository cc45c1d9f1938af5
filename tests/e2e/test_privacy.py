"""Personal data is encrypted at rest, masked in responses and never on the ledger in clear."""
from __future__ import annotations

import base64
import json
import sqlite3

import pytest

from backend.ledger.verify import verify_licence_bundle
from backend.models import Document
from backend.privacy import commitment
from tests.e2e.phone import DETAILS, FOUNDER, Phone
from tests.pinned import LEDGER_ORIGIN, PINNED_LEDGER_VKEY


async def test_personal_data_is_nowhere_in_clear(client, database_url):
    phone = Phone(client)
    final = await phone.form_company()
    number, name, mobile = FOUNDER["document_number"], FOUNDER["name"], DETAILS["liaison_phone"]

    shown = await phone.call("GET", f"/api/v1/applications/{final['id']}")
    assert number not in str(shown) and mobile not in str(shown)
    assert shown["identity"]["name"] == "张*"

    size = int((await (await client.get("/api/v1/ledger/checkpoint")).text()).split("\n")[1])
    for index in range(size):
        leaf = base64.b64decode((await (await client.get(f"/api/v1/ledger/entries/{index}")).json())["leaf"]).decode()
        assert number not in leaf and name not in leaf and mobile not in leaf and number[-6:] not in leaf
        # documents state personal data, so the ledger holds salted commitments to them, never their hashes
        for document in shown["documents"]:
            assert document["sha256"] not in leaf

    if not database_url.startswith("sqlite://"):
        pytest.skip("the raw-file scan reads the SQLite file")
    path = database_url.removeprefix("sqlite://")
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(FULL)")
        dump = "\n".join(connection.iterdump())
    finally:
        connection.close()
    assert number not in dump and mobile not in dump
    # the only place the founder's name may appear in clear is the public licence (and the company's documents
    # are sealed): check that it is the licence row alone
    rows_with_name = [line for line in dump.splitlines() if name in line]
    assert all(line.startswith('INSERT INTO "licences"') for line in rows_with_name), rows_with_name


async def test_document_commitments_open_with_their_salt_and_erasing_it_keeps_the_ledger_verifiable(client, database_url):
    phone = Phone(client)
    final = await phone.form_company()
    documents = {d["kind"]: d["sha256"] for d in (await phone.call("GET", f"/api/v1/applications/{final['id']}"))["documents"]}
    timeline = await phone.call("GET", f"/api/v1/applications/{final['id']}/timeline")
    index = next(r["ledger_index"] for r in reversed(timeline["items"]) if r["step"] == "documents_generated")
    record = json.loads(base64.b64decode((await (await client.get(f"/api/v1/ledger/entries/{index}")).json())["leaf"]))
    stored = {d.kind: d for d in await Document.filter(application_id=final["id"], current=True)}
    for kind, sha256 in documents.items():
        assert record["facts"]["documents"][kind] == commitment(sha256, salt=bytes(stored[kind].salt))
    url = f"/api/v1/licences/{final['licence']['uscc']}"
    before = await (await client.get(url)).json()
    await Document.filter(application_id=final["id"]).update(salt=None)  # erasure of the documents' salts
    after = await (await client.get(url)).json()
    verify_licence_bundle(licence=after["licence"], ledger=after["ledger"], verifier_key=PINNED_LEDGER_VKEY, origin=LEDGER_ORIGIN)
    assert after["ledger"]["leaf"] == before["ledger"]["leaf"]
