"""One-stop follow-up (一网通办): signed webhook events to the seal maker, the tax bureau and the banks.

An event is written as one delivery per subscriber in the transaction of the change it reports (so an approval is
never without its events, nor an event without its approval); a deliverer then POSTs each delivery, retrying with
backoff until the receiver answers 2xx or the attempts run out. Every attempt carries the same `Idempotency-Key`
(the event id) and a signature `Kaiban-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the
subscriber's own secret, so a receiver checks who sent it and drops repeats.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from tortoise.backends.base.client import BaseDBAsyncClient

from backend.clock import Clock
from backend.errors import InvalidInput, NotFound
from backend.models import Delivery, Subscriber
from backend.privacy import Sealer
from backend.services.background import every

log = logging.getLogger(__name__)
KINDS = ("seal_maker", "tax_bureau", "bank")
EVENTS = ("licence.issued", "licence.revoked", "licence.deregistered")
MAX_ATTEMPTS = 8
BACKOFF = dt.timedelta(seconds=10)  # doubled after each failed attempt: 10 s, 20 s, ... about 21 minutes in all
LEASE = dt.timedelta(seconds=60)  # a delivery being attempted is not picked by another server meanwhile (> timeout)
_SECRET_AAD = "subscriber-secret:"  # noqa: S105 - a public AEAD label, not a secret


def sign_body(secret: bytes, *, timestamp: int, body: bytes) -> str:
    """The Kaiban-Signature header value for `body` sent at `timestamp`."""
    mac = hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


async def add_subscriber(*, name: str, kind: str, url: str, events: list[str], sealer: Sealer,
                         clock: Clock) -> tuple[Subscriber, str]:
    """Register a subscriber; answer it and its signing secret (hex, shown once)."""
    if kind not in KINDS:
        raise InvalidInput("field_invalid", field="kind", reason=f"one of {', '.join(KINDS)}")
    if not events or set(events) - set(EVENTS):
        raise InvalidInput("field_invalid", field="events", reason=f"one or more of {', '.join(EVENTS)}")
    if not url.startswith(("https://", "http://")):
        raise InvalidInput("field_invalid", field="url", reason="an http(s) URL")
    secret = secrets.token_bytes(32)
    subscriber_id = uuid.uuid4()
    subscriber = await Subscriber.create(
        id=subscriber_id, name=name, kind=kind, url=url, events=sorted(set(events)), created_at=clock.now(),
        secret_sealed=sealer.seal(secret, aad=_SECRET_AAD + str(subscriber_id)),
    )
    return subscriber, secret.hex()


async def enqueue_event(*, event_type: str, data: dict[str, Any], clock: Clock, conn: BaseDBAsyncClient) -> int:
    """Write `event_type` for every active subscriber of it, inside the caller's transaction; answer how many."""
    now = clock.now()
    event_id = uuid.uuid4()
    payload = {"id": str(event_id), "type": event_type, "created": now.isoformat(), "data": data}
    subscribers = await Subscriber.filter(active=True).using_db(conn)
    wanted = [s for s in subscribers if event_type in (s.events or [])]
    for subscriber in wanted:
        await Delivery.create(subscriber=subscriber, event_id=event_id, event_type=event_type, payload=payload,
                              next_attempt_at=now, created_at=now, using_db=conn)
    return len(wanted)


async def redeliver(*, delivery_id: int, clock: Clock) -> Delivery:
    """Put a delivery that failed for good back in the queue (an admin's decision, once the receiver is fixed): it
    is sent again at once, with its attempts counted afresh and the same idempotency key."""
    delivery = await Delivery.get_or_none(id=delivery_id)
    if delivery is None:
        raise NotFound("delivery_not_found", id=delivery_id)
    if delivery.status == "failed":
        delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, clock.now()
        await delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    return delivery


class Deliverer:
    """Delivers due webhook events over HTTP, one attempt per due delivery per round."""

    def __init__(self, *, session: aiohttp.ClientSession, sealer: Sealer, clock: Clock, timeout: float = 10) -> None:
        self._session, self._sealer, self._clock = session, sealer, clock
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def deliver_due(self, *, limit: int = 100) -> int:
        """Attempt every delivery that is due, each claimed first (so two servers never both send it, and one that
        stopped mid-attempt leaves it to be retried once the claim lapses); answer how many attempts were made."""
        now = self._clock.now()
        due = await Delivery.filter(status="pending", next_attempt_at__lte=now).order_by("id").limit(limit) \
            .prefetch_related("subscriber")
        attempted = 0
        for delivery in due:
            claimed = await Delivery.filter(id=delivery.id, status="pending", attempts=delivery.attempts) \
                .update(attempts=delivery.attempts + 1, next_attempt_at=now + LEASE)
            if claimed:
                delivery.attempts += 1
                await self._attempt(delivery)
                attempted += 1
        return attempted

    async def _attempt(self, delivery: Delivery) -> None:
        subscriber: Subscriber = delivery.subscriber
        secret = self._sealer.open(bytes(subscriber.secret_sealed), aad=_SECRET_AAD + str(subscriber.id))
        body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
        timestamp = int(self._clock.timestamp())
        headers = {
            "Content-Type": "application/json", "Idempotency-Key": str(delivery.event_id),
            "Kaiban-Event": delivery.event_type, "Kaiban-Signature": sign_body(secret, timestamp=timestamp, body=body),
        }
        status, error = None, ""
        try:
            async with self._session.post(subscriber.url, data=body, headers=headers, timeout=self._timeout) as resp:
                status = resp.status
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        delivery.last_status, delivery.last_error = status, error or ("" if status and status < 300 else f"HTTP {status}")
        now = self._clock.now()
        if status is not None and 200 <= status < 300:
            delivery.status, delivery.delivered_at = "delivered", now
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = "failed"
            log.warning("webhook %s to %s failed for good after %d attempts", delivery.event_id, subscriber.name,
                        delivery.attempts)
        else:
            delivery.next_attempt_at = now + BACKOFF * (2 ** (delivery.attempts - 1))
        await delivery.save(update_fields=["status", "last_status", "last_error", "next_attempt_at", "delivered_at"])


def delivery_loop(deliverer: Deliverer, *, interval: float) -> AsyncIterator[None]:
    """For cleanup_ctx: deliver due events every `interval` seconds until the app stops."""
    return every(interval, deliverer.deliver_due, name="webhook delivery")
