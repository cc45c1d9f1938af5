"""The fake SMS gateway of mock mode and tests: what it is asked to send is kept in the database (`fake_sms_messages`),
so a code sent through one server process is read through any other (`WEB_PROCESSES`). The phone number is kept as a
keyed hash only; the text, code included, is kept in clear, as the fake inbox shows it."""
from __future__ import annotations

import datetime as dt

from backend.adapters.sms import SmsMessage
from backend.models import FakeSmsMessage
from backend.privacy import Sealer

PHONE_PURPOSE = "fake_sms_phone"


class FakeSmsGateway:
    """Keeps the last `keep` messages per phone number, so testers (mock mode) and tests can read the codes."""

    def __init__(self, *, sealer: Sealer, keep: int = 50) -> None:
        self._sealer, self._keep = sealer, keep

    def _phone_hash(self, phone: str) -> str:
        return self._sealer.lookup_hash(phone, purpose=PHONE_PURPOSE)

    async def send(self, *, phone: str, text: str, now: dt.datetime) -> None:
        """Accept the message, and forget that phone's messages beyond the last `keep`."""
        phone_hash = self._phone_hash(phone)
        await FakeSmsMessage.create(phone_hash=phone_hash, text=text, sent_at=now)
        older = await FakeSmsMessage.filter(phone_hash=phone_hash).order_by("-id").offset(self._keep).values_list("id", flat=True)
        if older:
            await FakeSmsMessage.filter(id__in=older).delete()

    async def messages(self, *, phone: str) -> list[SmsMessage]:
        """What was sent to `phone` (its last `keep` messages), oldest first."""
        rows = await FakeSmsMessage.filter(phone_hash=self._phone_hash(phone)).order_by("-id").limit(self._keep)
        return [SmsMessage(phone=phone, text=row.text, sent_at=row.sent_at) for row in reversed(rows)]
