"""Shared pieces of every formation use case: loading an owned application and recording a step on the ledger."""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from backend.domain.formation import State
from backend.errors import NotFound
from backend.models import Application, Document, LedgerRecord, Signature
from backend.services.container import Services
from backend.services.messages import enqueue_status_message
from backend.services.records import step_record
from backend.services.transactions import note_record


def parse_id(raw: str) -> uuid.UUID:
    """Parse an application id from a URL; anything else is simply not found."""
    try:
        return uuid.UUID(raw)
    except (ValueError, TypeError):
        raise NotFound("application_not_found") from None


async def load_owned(
    user_id: str, application_id: str, *, conn: BaseDBAsyncClient | None = None, lock: bool = False
) -> Application:
    """Return the caller's application (locked for update inside `conn` when asked); 404 for anyone else's."""
    query = Application.filter(id=parse_id(application_id), owner_id=user_id)
    if lock:
        query = query.select_for_update()
    if conn is not None:
        query = query.using_db(conn)
    application = await query.first()
    if application is None:
        raise NotFound("application_not_found")
    return application


async def record_step(
    svc: Services,
    application: Application,
    *,
    step: str,
    state: State,
    facts: Mapping[str, Any],
    conn: BaseDBAsyncClient,
    leaf: bytes | None = None,
) -> LedgerRecord:
    """Move `application` to `state` and write the step's record (or the given leaf) to the ledger's outbox in the
    same transaction; the record gets its ledger index once the transaction has committed and it is sequenced."""
    now = svc.clock.now()
    application.state = state.value
    application.version += 1
    application.updated_at = now
    await application.save(using_db=conn)
    if leaf is None:
        leaf = step_record(application_id=str(application.id), step=step, state=state.value, at=now, facts=facts)
    record = await LedgerRecord.create(application=application, step=step, leaf=leaf, created_at=now, using_db=conn)
    note_record(svc.sequencer, record.id)
    await enqueue_status_message(application=application, step=step, record_id=record.id, clock=svc.clock,
                                 template_id=svc.settings.wechat_status_template, conn=conn)
    return record


async def invalidate_documents(application: Application, *, conn: BaseDBAsyncClient) -> None:
    """Retire the application's documents and signatures: the data they state has changed."""
    await Document.filter(application_id=application.id, current=True).using_db(conn).update(current=False)
    await Signature.filter(application_id=application.id, valid=True).using_db(conn).update(valid=False)
