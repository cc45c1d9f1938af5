"""Separate consent (PIPL Art. 29) to identity processing: shown, recorded with its text version, withdrawable."""
from __future__ import annotations

import uuid

from tortoise.backends.base.client import BaseDBAsyncClient

from backend.domain.consent import CONSENT_TEXTS, IDENTITY_CONSENT, IDENTITY_PURPOSE
from backend.errors import Forbidden, InvalidInput, NotFound
from backend.models import Application, Consent, FaceCheck, Participant
from backend.services.container import Services
from backend.services.steps import parse_id
from backend.services.transactions import atomic


class ConsentRequired(Forbidden):
    """Identity data or a face check was asked for before the person's separate consent was recorded (403)."""

    default_code = "consent_required"


async def load_participating(
    user_id: str, application_id: str, *, conn: BaseDBAsyncClient | None = None
) -> Application:
    """The application owned by the user, or on which the user is a linked participant; 404 otherwise."""
    query = Application.filter(id=parse_id(application_id))
    application = await (query.using_db(conn) if conn else query).first()
    if application is None:
        raise NotFound("application_not_found")
    if str(application.owner_id) == str(user_id):
        return application
    linked = Participant.filter(application_id=application.id, user_id=user_id)
    if not await (linked.using_db(conn) if conn else linked).exists():
        raise NotFound("application_not_found")
    return application


async def current_consent(
    *, user_id: str, application_id: uuid.UUID, conn: BaseDBAsyncClient | None = None
) -> Consent | None:
    """The user's consent to identity processing on the application, if given and not withdrawn."""
    query = Consent.filter(
        user_id=user_id, application_id=application_id, purpose=IDENTITY_PURPOSE, withdrawn_at__isnull=True
    ).order_by("-granted_at")
    return await (query.using_db(conn) if conn else query).first()


async def require_consent(*, user_id: str, application_id: uuid.UUID, conn: BaseDBAsyncClient | None = None) -> Consent:
    """The user's standing consent; ConsentRequired (403 `consent_required`) when there is none."""
    consent = await current_consent(user_id=user_id, application_id=application_id, conn=conn)
    if consent is None:
        raise ConsentRequired(
            purpose=IDENTITY_PURPOSE,
            text_version=IDENTITY_CONSENT.version,
            consent_url=f"/api/v1/applications/{application_id}/consent",
        )
    return consent


async def grant(svc: Services, *, user_id: str, application_id: str, text_version: str, accept: bool) -> Consent:
    """Record the user's consent to the current text; giving it again keeps the first record."""
    if not accept:
        raise InvalidInput("consent_not_accepted")
    if text_version != IDENTITY_CONSENT.version:
        known = text_version in CONSENT_TEXTS
        raise InvalidInput(
            "consent_version_outdated" if known else "consent_version_unknown",
            text_version=text_version[:48], current=IDENTITY_CONSENT.version,
        )

    async def use_case(conn):
        application = await load_participating(user_id, application_id, conn=conn)
        existing = await current_consent(user_id=user_id, application_id=application.id, conn=conn)
        if existing is not None:
            return existing
        return await Consent.create(
            id=uuid.uuid4(), user_id=user_id, application=application, purpose=IDENTITY_PURPOSE,
            text_version=IDENTITY_CONSENT.version, text_sha256=IDENTITY_CONSENT.sha256,
            granted_at=svc.clock.now(), using_db=conn,
        )

    return await atomic(use_case)


async def withdraw(svc: Services, *, user_id: str, application_id: str) -> Consent:
    """Withdraw the user's consent: no identity data or face check is collected for them afterwards."""

    async def use_case(conn):
        application = await load_participating(user_id, application_id, conn=conn)
        consent = await current_consent(user_id=user_id, application_id=application.id, conn=conn)
        if consent is None:
            raise NotFound("consent_not_found")
        consent.withdrawn_at = svc.clock.now()
        await consent.save(using_db=conn, update_fields=["withdrawn_at"])
        # face checks not yet answered are dropped: their result is no longer collected
        await FaceCheck.filter(user_id=user_id, application_id=application.id, status="pending").using_db(conn).update(
            status="invalidated", failure_code="consent_withdrawn")
        return consent

    return await atomic(use_case)


def consent_view(consent: Consent | None) -> dict:
    """A consent as the API shows it."""
    if consent is None:
        return {"given": False, "text_version": IDENTITY_CONSENT.version}
    return {
        "given": consent.withdrawn_at is None,
        "purpose": consent.purpose,
        "text_version": consent.text_version,
        "text_sha256": consent.text_sha256,
        "granted_at": consent.granted_at.isoformat().replace("+00:00", "Z"),
        "withdrawn_at": consent.withdrawn_at.isoformat().replace("+00:00", "Z") if consent.withdrawn_at else None,
    }
