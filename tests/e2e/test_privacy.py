"""Personal data is encrypted at rest, masked in responses and never on the ledger in clear."""
from __future__ import annotations

import base64
import sqlite3

import pytest

from tests.e2e.phone import DETAILS, FOUNDER, Phone


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
