"""Sending one-time codes by SMS: a small interface, a fake gateway for mock mode and tests (`fake.py`, its outbox in
the database), and a refusal where no gateway is configured (a deployment plugs in its operator's gateway)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Protocol

from backend.errors import KaibanError


class SmsUnavailable(KaibanError):
    """No SMS gateway is configured, so no code can be sent (503)."""

    status = 503
    default_code = "sms_unavailable"


@dataclasses.dataclass(frozen=True, kw_only=True)
class SmsMessage:
    """One text message as the gateway accepted it."""

    phone: str
    text: str
    sent_at: dt.datetime


class SmsGateway(Protocol):
    """What the signing service needs to send a code."""

    async def send(self, *, phone: str, text: str, now: dt.datetime) -> None: ...


class NoSmsGateway:
    """The production default until an operator's gateway is configured: every send is refused."""

    async def send(self, *, phone: str, text: str, now: dt.datetime) -> None:
        """Refuse: there is no gateway."""
        raise SmsUnavailable()
