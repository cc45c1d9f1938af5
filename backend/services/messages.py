"""WeChat subscribe messages telling an applicant that their application's status changed.

A message is written to an outbox in the transaction of the status change (so an acknowledged change never loses
its message, and a failed send never undoes the change); a sender then sends each through the WeChat client. A user
who gave no consent (each consent allows one send) makes WeChat answer 43101: the message is marked refused, logged,
and never retried; the applicant still sees every step, with its time, in the application's timeline.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from backend.adapters.wechat.client import WeChatClient
from backend.adapters.wechat.errors import WeChatError
from backend.clock import Clock
from backend.errors import UpstreamError
from backend.models import Application, SubscribeMessage, User
from backend.services.background import every

log = logging.getLogger(__name__)
CHINA = dt.timezone(dt.timedelta(hours=8))
REFUSED = 43101  # the user has no consent left for the template
PERMANENT = frozenset({40003, 40037, 41030, 47003})  # a wrong openid, template, page or value: retrying cannot help
MAX_ATTEMPTS = 6
BACKOFF = dt.timedelta(seconds=15)  # doubled after each failed attempt
LEASE = dt.timedelta(seconds=60)  # a message being sent is not picked again by another sender meanwhile

# step -> (status phrase <= 5 characters, note <= 20 characters), as the template's phrase2 and thing4
STEPS: dict[str, tuple[str, str]] = {
    "in_review": ("人工审核中", "登记机关正在审核您的申请"),
    "rejected": ("已驳回", "请按驳回理由修改后重新提交"),
    "info_requested": ("需补正", "请按要求补充材料后重新提交"),
    "licensed": ("已发照", "电子营业执照已核发，可在小程序查看"),
    "licence_revoked": ("已吊销", "营业执照已被吊销，详情请查看"),
    "licence_deregistered": ("已注销", "营业执照已注销"),
}


def _thing(text: str) -> str:
    return text if len(text) <= 20 else text[:19] + "…"


async def enqueue_status_message(*, application: Application, step: str, record_id: int, template_id: str,
                                 clock: Clock, conn: BaseDBAsyncClient) -> SubscribeMessage | None:
    """Write the applicant's message for `step` (if it is a status change they are told of) in the caller's
    transaction; one message per ledger record."""
    if step not in STEPS:
        return None
    phrase, note = STEPS[step]
    now = clock.now()
    data: dict[str, Any] = {
        "thing1": {"value": _thing(application.company_name or "您的公司开办申请")},
        "phrase2": {"value": phrase},
        "time3": {"value": now.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")},
        "thing4": {"value": _thing(note)},
    }
    return await SubscribeMessage.create(
        record_id=record_id, user_id=application.owner_id, application_id=application.id, event=step,
        template_id=template_id, page=f"pages/application/index?id={application.id}", data=data,
        next_attempt_at=now, created_at=now, using_db=conn,
    )


class MessageSender:
    """Sends due subscribe messages through the WeChat client, each claimed first so two servers never both send."""

    def __init__(self, *, wechat: WeChatClient, clock: Clock) -> None:
        self._wechat, self._clock = wechat, clock

    async def send_due(self, *, limit: int = 100) -> int:
        """Attempt every message that is due; answer how many attempts were made."""
        now = self._clock.now()
        due = await SubscribeMessage.filter(status="pending", next_attempt_at__lte=now).order_by("id").limit(limit)
        attempted = 0
        for message in due:
            claimed = await SubscribeMessage.filter(id=message.id, status="pending", attempts=message.attempts) \
                .update(attempts=message.attempts + 1, next_attempt_at=now + LEASE)
            if claimed:
                message.attempts += 1
                await self._attempt(message)
                attempted += 1
        return attempted

    async def _attempt(self, message: SubscribeMessage) -> None:
        user = await User.get_or_none(id=message.user_id)
        now = self._clock.now()
        try:
            if user is None:
                raise WeChatError(40003, "the user is gone")
            await self._wechat.send_subscribe_message(touser=user.openid, template_id=message.template_id,
                                                      data=message.data, page=message.page, lang="zh_CN")
        except WeChatError as exc:
            if exc.errcode == REFUSED:
                message.status, message.last_error = "refused", "43101: no subscribe consent left"
                log.info("subscribe message %s (%s) not sent: the user gave no consent", message.id, message.event)
            elif exc.errcode in PERMANENT or message.attempts >= MAX_ATTEMPTS:
                message.status, message.last_error = "failed", f"{exc.errcode}: {exc.errmsg}"[:300]
                log.warning("subscribe message %s failed for good: errcode %s", message.id, exc.errcode)
            else:
                self._retry_later(message, now, f"{exc.errcode}: {exc.errmsg}")
        except UpstreamError as exc:
            if message.attempts >= MAX_ATTEMPTS:
                message.status, message.last_error = "failed", str(exc)[:300]
                log.warning("subscribe message %s failed for good after %d attempts", message.id, message.attempts)
            else:
                self._retry_later(message, now, str(exc))
        else:
            message.status, message.sent_at, message.last_error = "sent", now, ""
        await message.save(update_fields=["status", "sent_at", "last_error", "next_attempt_at"])

    @staticmethod
    def _retry_later(message: SubscribeMessage, now: dt.datetime, error: str) -> None:
        message.last_error = error[:300]
        message.next_attempt_at = now + BACKOFF * (2 ** (message.attempts - 1))


def message_loop(sender: MessageSender, *, interval: float) -> AsyncIterator[None]:
    """For cleanup_ctx: send due subscribe messages every `interval` seconds until the app stops."""
    return every(interval, sender.send_due, name="subscribe message")
