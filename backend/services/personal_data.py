"""A person's own data (export, PIPL Art. 45), reviewers' audited clear views, and retention erasure of abandoned
drafts: personal rows are deleted while ledger records stay (their commitments become unlinkable with the salts)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from backend.domain.formation import State
from backend.models import (
    Application, Consent, DataAccess, Document, FaceCheck, Identity, LedgerRecord, NameClaim, Participant, Signature,
    Verification,
)
from backend.errors import Forbidden
from backend.services.consent import consent_view
from backend.services.container import Services
from backend.services.identity import open_identity
from backend.services.participant_records import open_participant, participant_view
from backend.services.records import iso
from backend.services.steps import parse_id
from backend.services.transactions import atomic

#: States whose registration records the law requires us to keep; drafts in any other state may be erased.
KEPT_STATES = frozenset({State.SUBMITTED, State.APPROVED, State.LICENSED})
#: Until the officers' roles of the signatures issue exist, this test role stands in for a reviewer.
REVIEWER_TEST_ROLE = "reviewer_test"  # the mock-mode stand-in of the tests that predate officers' accounts
REVIEWER_ROLES = (REVIEWER_TEST_ROLE, "reviewer")


async def export_person(svc: Services, *, user_id: str) -> dict[str, Any]:
    """Everything we hold about the calling person, in clear (it is theirs): identities, participations, consents,
    face checks (their states, no face data: WeChat keeps none with us)."""
    identities = []
    for identity in await Identity.filter(user_id=user_id).order_by("created_at"):
        facts = open_identity(svc, identity)
        identities.append({"application": str(identity.application_id), "role": identity.role, "status": identity.status,
                           **{k: v for k, v in dataclasses.asdict(facts).items() if k != "salt_hex"}})
    participations = []
    for row in await Participant.filter(user_id=user_id).order_by("created_at"):
        facts = open_participant(svc, row)
        participations.append({**participant_view(svc, row), "application": str(row.application_id), "name": facts.name,
                               "document_number": facts.number, "key_id": row.key_id})
    consents = [consent_view(c) | {"application": str(c.application_id)} for c in await Consent.filter(user_id=user_id).order_by("granted_at")]
    checks = [{"application": str(c.application_id), "status": c.status, "created_at": iso(c.created_at),
               "passed_at": iso(c.passed_at) if c.passed_at else None} for c in await FaceCheck.filter(user_id=user_id).order_by("created_at")]
    return {"user": user_id, "exported_at": iso(svc.clock.now()), "identities": identities,
            "participations": participations, "consents": consents, "face_checks": checks}


async def reviewer_view(svc: Services, *, viewer: str, role: str, application_id: str, purpose: str) -> dict[str, Any]:
    """Clear participant data for a reviewer; every view is written to the access log first."""
    if role not in REVIEWER_ROLES or not viewer.strip():
        raise Forbidden("reviewer_role_required")
    app_id = parse_id(application_id)
    rows = await Participant.filter(application_id=app_id).order_by("created_at")

    async def use_case(conn):
        now = svc.clock.now()
        for row in rows:
            await DataAccess.create(viewer=viewer[:64], role=role, application_id=app_id, participant_id=row.id,
                                    purpose=purpose[:64], at=now, using_db=conn)

    await atomic(use_case)
    items = []
    for row in rows:
        facts = open_participant(svc, row)
        items.append({**participant_view(svc, row), "name": facts.name, "document_number": facts.number})
    return {"application": str(app_id), "items": items}


async def erase_abandoned(svc: Services, *, older_than_days: int | None = None) -> list[str]:
    """Erase the personal data of drafts untouched for the retention period (and of withdrawn ones): participants,
    identities, consents, face checks, documents and their commitment salts; the ledger records stay, detached."""
    days = svc.settings.retention_days if older_than_days is None else older_than_days
    cutoff = svc.clock.now() - dt.timedelta(days=days)
    candidates = await Application.filter(updated_at__lt=cutoff).exclude(state__in=[s.value for s in KEPT_STATES])
    erased = []
    for application in candidates:
        async def use_case(conn, application=application):
            app_id = application.id
            participant_ids = [p.id for p in await Participant.filter(application_id=app_id).using_db(conn)]
            await Verification.filter(participant_id__in=participant_ids).using_db(conn).delete()
            for model in (Participant, Identity, Consent, FaceCheck, Document, Signature, NameClaim):
                await model.filter(application_id=app_id).using_db(conn).delete()
            await LedgerRecord.filter(application_id=app_id).using_db(conn).update(application_id=None)
            await Application.filter(id=app_id).using_db(conn).delete()
        await atomic(use_case)
        erased.append(str(application.id))
    return erased


async def reseal_all(svc: Services) -> int:
    """Key rotation: seal every participant's and identity's data again with the current data key."""
    count = 0
    for row in await Participant.exclude(key_id=svc.sealer.key_id):
        row.sealed = svc.sealer.reseal(bytes(row.sealed), aad=f"participant:{row.id}")
        row.key_id = svc.sealer.key_id
        await row.save(update_fields=["sealed", "key_id"])
        count += 1
    for identity in await Identity.all():
        if svc.sealer.key_id_of(bytes(identity.sealed)) != svc.sealer.key_id:
            identity.sealed = svc.sealer.reseal(bytes(identity.sealed), aad=f"identity:{identity.id}")
            identity.key_id = svc.sealer.key_id
            await identity.save(update_fields=["sealed", "key_id"])
            count += 1
    return count
