"""Creating, listing and withdrawing applications."""
from __future__ import annotations

import uuid

from backend.domain.formation import State, plan_withdraw
from backend.errors import InvalidInput
from backend.models import Application, NameClaim
from backend.services.container import Services
from backend.services.steps import load_owned, record_step
from backend.services.transactions import atomic

ENTITY_TYPES = {"limited_liability_company": "有限责任公司（自然人独资）"}


async def create_application(svc: Services, *, user_id: str, entity_type: str) -> Application:
    """Start a new draft formation for the user."""
    if entity_type not in ENTITY_TYPES:
        raise InvalidInput("entity_type_unsupported", entity_type=entity_type, supported=sorted(ENTITY_TYPES))

    async def use_case(conn):
        now = svc.clock.now()
        application = await Application.create(
            id=uuid.uuid4(),
            owner_id=user_id,
            entity_type=entity_type,
            state=State.CREATED.value,
            created_at=now,
            updated_at=now,
            using_db=conn,
        )
        await record_step(
            svc, application, step="created", state=State.CREATED, facts={"entity_type": entity_type}, conn=conn
        )
        return application

    return await atomic(use_case)


async def list_applications(*, user_id: str) -> list[Application]:
    """The user's applications, newest first."""
    return await Application.filter(owner_id=user_id).order_by("-created_at").limit(100)


async def withdraw_application(svc: Services, *, user_id: str, application_id: str) -> Application:
    """Withdraw a draft and release its name reservation."""

    async def use_case(conn):
        application = await load_owned(user_id, application_id, conn=conn, lock=True)
        transition = plan_withdraw(State(application.state))
        if transition.changes:
            await NameClaim.filter(application_id=application.id, status="reserved").using_db(conn).delete()
            await record_step(svc, application, step="withdrawn", state=transition.state, facts={}, conn=conn)
        return application

    return await atomic(use_case)
