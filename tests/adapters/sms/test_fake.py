"""The fake SMS gateway keeps its outbox in the database: every gateway on the same database (every server process)
reads every message, oldest first, the last 50 per phone; the phone number is stored only as a keyed hash."""
from __future__ import annotations

import datetime as dt
import os

import pytest
from tortoise import connections

from backend.adapters.sms.fake import FakeSmsGateway
from backend.db import close_database, open_database
from backend.models import FakeSmsMessage
from backend.privacy import Sealer

PHONE = "+85291234567"
NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone.utc)


def _sealer(commitment_key: bytes) -> Sealer:
    return Sealer(key=os.urandom(32), commitment_key=commitment_key)


@pytest.fixture
async def db(database_url):
    await open_database(database_url)
    yield database_url
    await close_database()


async def test_a_message_sent_by_one_gateway_is_read_by_another_on_the_same_database(db) -> None:
    key = os.urandom(32)
    one, other = FakeSmsGateway(sealer=_sealer(key)), FakeSmsGateway(sealer=_sealer(key))  # two server processes
    await one.send(phone=PHONE, text="code 123456", now=NOW)
    await other.send(phone=PHONE, text="code 654321", now=NOW + dt.timedelta(minutes=1))
    await one.send(phone="+85366123456", text="code 111111", now=NOW)
    for gateway in (one, other):
        sent = await gateway.messages(phone=PHONE)
        assert [(m.phone, m.text, m.sent_at) for m in sent] == [
            (PHONE, "code 123456", NOW), (PHONE, "code 654321", NOW + dt.timedelta(minutes=1))]
    assert await FakeSmsGateway(sealer=_sealer(os.urandom(32))).messages(phone=PHONE) == []  # another blind-index key
    assert await one.messages(phone="+8613800138000") == []


async def test_the_phone_number_is_stored_only_as_a_keyed_hash(db) -> None:
    gateway = FakeSmsGateway(sealer=_sealer(os.urandom(32)))
    await gateway.send(phone=PHONE, text="code 123456", now=NOW)
    _, rows = await connections.get("default").execute_query("SELECT * FROM fake_sms_messages")
    stored = " ".join(str(value) for row in rows for value in dict(row).values())
    assert "123456" in stored  # the text, code included, is what the fake inbox shows (mock mode only)
    assert PHONE not in stored and PHONE[1:] not in stored and "91234567" not in stored


async def test_each_phone_keeps_its_last_messages_only(db) -> None:
    gateway = FakeSmsGateway(sealer=_sealer(os.urandom(32)), keep=3)
    for i in range(5):
        await gateway.send(phone=PHONE, text=f"code {i}", now=NOW - dt.timedelta(minutes=i))  # the clock moved back
    await gateway.send(phone="+85366123456", text="other", now=NOW)
    assert [m.text for m in await gateway.messages(phone=PHONE)] == ["code 2", "code 3", "code 4"]  # in sending order
    assert await FakeSmsMessage.all().count() == 4
