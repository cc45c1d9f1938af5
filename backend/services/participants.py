"""Participants of an application: add, list, update and remove, each identified by a checked document, the
Company Law 2023 role rules applied on every change; personal fields sealed, blind-indexed, masked when shown."""
from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from backend.domain.findings import Finding
from backend.domain.formation import State, rank
from backend.domain.identifiers import mask_name
from backend.domain.participants import (
    BoardKind,
    Governance,
    Role,
    Supervision,
    check_participants,
    roles_needing_identity,
)
from backend.errors import CheckFailed, Conflict, InvalidInput, NotFound
from backend.models import Application, FaceCheck, Participant, Verification
from backend.privacy import new_salt
from backend.services.consent import require_consent
from backend.services.container import Services
from backend.services.identity_facts import today
from backend.services.participant_records import (
    ParticipantFacts,
    blind_indexes,
    check_identity_document,
    clean_name,
    open_participant,
    parse_roles,
    participant_view,
    seal_fields,
    sex_of,
    stated_contribution,
    to_domain,
)
from backend.services.steps import invalidate_documents, load_owned, record_step
from backend.services.transactions import atomic

#: The roles the founder holds when they form the company alone (they may be changed like anyone's).
FOUNDER_ROLES = (Role.SHAREHOLDER, Role.LEGAL_REPRESENTATIVE, Role.EXECUTIVE_DIRECTOR, Role.MANAGER, Role.FINANCE_OFFICER, Role.LIAISON)
#: A sole shareholder's company: one director, no supervisor (Art. 83, the shareholder agrees).
DEFAULT_GOVERNANCE = Governance(
    board=BoardKind.SINGLE_DIRECTOR, supervision=Supervision.NO_SUPERVISOR, all_shareholders_agree_no_supervisor=True
)
#: Findings about a single participant that a change may not introduce (the others are about completeness and are
#: reported until the documents are generated).
REFUSED_AT_ONCE = frozenset({
    "participants_duplicate_id",
    "participants_officer_minor",
    "participants_officer_not_natural_person",
    "participants_supervisor_conflict",
    "participants_corporate_representative_not_natural_person",
    "participants_liaison_not_natural_person",
    "participants_legal_representative_multiple",
    "participants_too_many_shareholders",
})
EDITABLE_UNTIL = State.SIGNED


def governance_of(application: Application) -> Governance:
    """The governance chosen, or the sole founder's default."""
    if not application.governance:
        return DEFAULT_GOVERNANCE
    return Governance(**application.governance)


async def rule_findings(svc: Services, application: Application, *, conn: BaseDBAsyncClient | None = None) -> list[Finding]:
    """Every Company Law rule the application's participants and governance fail."""
    query = Participant.filter(application_id=application.id).order_by("created_at")
    rows = await (query.using_db(conn) if conn else query)
    return check_participants(participants=to_domain(svc, rows), governance=governance_of(application), today=today(svc))


async def _refuse_new_faults(svc: Services, application: Application, conn: BaseDBAsyncClient) -> None:
    faults = [f for f in await rule_findings(svc, application, conn=conn) if f.code in REFUSED_AT_ONCE]
    if faults:
        raise CheckFailed("participants_rules_failed", findings=faults)


async def _touch(svc: Services, application: Application, conn: BaseDBAsyncClient) -> None:
    """A change of participants sends generated documents back: they state the participants."""
    state = State(application.state)
    if state in (State.WITHDRAWN, State.SUBMITTED, State.APPROVED, State.LICENSED) or rank(state) > rank(EDITABLE_UNTIL):
        raise Conflict("participants_locked", state=state.value)
    if rank(state) > rank(State.DETAILS_COMPLETED):
        await invalidate_documents(application, conn=conn)
        await record_step(svc, application, step="participants_changed", state=State.DETAILS_COMPLETED, facts={}, conn=conn)


async def add_participant(
    svc: Services, *, user_id: str, application_id: str, kind: str, name: str, roles: Sequence[str],
    document_type: str, document_number: str, expiry: str | None = None, representative_id: str | None = None,
    contribution: dict[str, Any] | None = None,
) -> Participant:
    """Add a participant identified by a checked document; refused when it breaks a role rule or is a duplicate."""
    owned = await load_owned(user_id, application_id)
    await require_consent(user_id=user_id, application_id=owned.id)  # before any identity data is looked at
    if kind not in ("person", "company"):
        raise InvalidInput("participant_kind_unknown", kind=kind[:16], supported=["person", "company"])
    parsed_roles = parse_roles(roles)
    stated = stated_contribution(contribution, roles=parsed_roles)
    name = clean_name(name)
    number, derived = check_identity_document(svc, kind=kind, document_type=document_type, number=document_number, expiry=expiry)

    async def use_case(conn):
        application = await load_owned(user_id, application_id, conn=conn, lock=True)
        await require_consent(user_id=user_id, application_id=application.id, conn=conn)
        indexes = blind_indexes(svc, document_type=document_type, number=number, name=name)
        if await Participant.filter(application_id=application.id, number_index=indexes["number_index"]).using_db(conn).exists():
            raise Conflict("participant_duplicate", document_type=document_type)
        representative = await _representative(application, kind, representative_id, conn)
        await _touch(svc, application, conn)
        pid = uuid.uuid4()
        facts = ParticipantFacts(name=name, number=number, expiry=derived.get("expiry"), birth_date=derived.get("birth_date"),
                                 sex=derived.get("sex"), salt_hex=new_salt().hex())
        now = svc.clock.now()
        row = await Participant.create(
            id=pid, application=application, kind=kind, roles=parsed_roles, document_type=document_type,
            representative_id=representative, status="unverified" if kind == "person" else "registration_checked",
            contribution=stated,
            created_at=now, updated_at=now, using_db=conn, **indexes, **seal_fields(svc, participant_id=pid, facts=facts),
        )
        await _refuse_new_faults(svc, application, conn)
        return row

    return await atomic(use_case)


async def _representative(application: Application, kind: str, representative_id: str | None, conn) -> uuid.UUID | None:
    if kind != "company":
        if representative_id:
            raise InvalidInput("participant_representative_not_applicable")
        return None
    if not representative_id:
        return None
    try:
        rid = uuid.UUID(str(representative_id))
    except ValueError:
        raise InvalidInput("participant_representative_unknown") from None
    rep = await Participant.filter(id=rid, application_id=application.id).using_db(conn).first()
    if rep is None:
        raise InvalidInput("participant_representative_unknown")
    if rep.kind != "person":
        raise InvalidInput("participant_representative_not_person")
    return rid


async def _load(application: Application, participant_id: str, conn) -> Participant:
    try:
        pid = uuid.UUID(str(participant_id))
    except ValueError:
        raise NotFound("participant_not_found") from None
    row = await Participant.filter(id=pid, application_id=application.id).using_db(conn).select_for_update().first()
    if row is None:
        raise NotFound("participant_not_found")
    return row


async def update_participant(
    svc: Services, *, user_id: str, application_id: str, participant_id: str, changes: dict[str, Any],
) -> Participant:
    """Change roles, name, document or representative; a changed name or document invalidates its verifications."""

    async def use_case(conn):
        application = await load_owned(user_id, application_id, conn=conn, lock=True)
        row = await _load(application, participant_id, conn)
        facts = open_participant(svc, row)
        if "roles" in changes:
            row.roles = parse_roles(changes["roles"])
        if "contribution" in changes:
            row.contribution = stated_contribution(changes["contribution"], roles=row.roles)
        elif str(Role.SHAREHOLDER) not in row.roles:
            row.contribution = None  # no longer a shareholder: nothing subscribed
        if "representative_id" in changes:
            row.representative_id = await _representative(application, row.kind, changes["representative_id"], conn)
        identity_keys = {"name", "document_type", "document_number", "expiry"} & changes.keys()
        if identity_keys and row.user_id is not None and str(row.user_id) == str(application.owner_id):
            raise Conflict("participant_founder_identity", identity_url=f"/api/v1/applications/{application.id}/identity")
        if identity_keys:
            await require_consent(user_id=user_id, application_id=application.id, conn=conn)
            document_type = changes.get("document_type") or row.document_type
            raw_number = changes.get("document_number") or facts.number
            name = clean_name(changes.get("name") or facts.name)
            number, derived = check_identity_document(svc, kind=row.kind, document_type=document_type, number=raw_number,
                                                      expiry=changes.get("expiry", facts.expiry))
            indexes = blind_indexes(svc, document_type=document_type, number=number, name=name)
            if indexes["number_index"] != row.number_index and await Participant.filter(
                application_id=application.id, number_index=indexes["number_index"]
            ).using_db(conn).exists():
                raise Conflict("participant_duplicate", document_type=document_type)
            new = ParticipantFacts(name=name, number=number, expiry=derived.get("expiry"), birth_date=derived.get("birth_date"),
                                   sex=derived.get("sex"), salt_hex=facts.salt_hex if indexes["digest"] == row.digest else new_salt().hex())
            if indexes["digest"] != row.digest:
                await invalidate_verifications(row, conn=conn)
                row.status = "unverified" if row.kind == "person" else "registration_checked"
                row.assurance, row.verified_at = None, None
            row.document_type, row.number_index, row.digest = document_type, indexes["number_index"], indexes["digest"]
            for key, value in seal_fields(svc, participant_id=row.id, facts=new).items():
                setattr(row, key, value)
        await _touch(svc, application, conn)
        row.updated_at = svc.clock.now()
        await row.save(using_db=conn)
        await _refuse_new_faults(svc, application, conn)
        return row

    return await atomic(use_case)


async def invalidate_verifications(row: Participant, *, conn: BaseDBAsyncClient) -> None:
    """Retire every verification and face check made against a participant's earlier name or document."""
    await Verification.filter(participant_id=row.id, status__in=["pending", "passed"]).using_db(conn).update(status="invalidated")
    await FaceCheck.filter(participant_id=row.id, status__in=["pending", "passed"]).using_db(conn).update(status="invalidated")


async def remove_participant(svc: Services, *, user_id: str, application_id: str, participant_id: str) -> None:
    """Remove a participant (not the founder; a company's representative only after the company)."""

    async def use_case(conn):
        application = await load_owned(user_id, application_id, conn=conn, lock=True)
        row = await _load(application, participant_id, conn)
        if row.user_id is not None and str(row.user_id) == str(application.owner_id):
            raise Conflict("participant_is_founder")
        if await Participant.filter(application_id=application.id, representative_id=row.id).using_db(conn).exists():
            raise Conflict("participant_represents_company")
        await _touch(svc, application, conn)
        await row.delete(using_db=conn)

    await atomic(use_case)


async def set_governance(svc: Services, *, user_id: str, application_id: str, board: str, supervision: str,
                         all_shareholders_agree_no_supervisor: bool) -> Application:
    """Choose the executive organ and the supervision arrangement."""
    try:
        governance = Governance(board=board, supervision=supervision,
                                all_shareholders_agree_no_supervisor=all_shareholders_agree_no_supervisor)
    except ValueError:
        raise InvalidInput("governance_invalid", board=board[:32], supervision=supervision[:32],
                           boards=[str(b) for b in BoardKind], supervisions=[str(s) for s in Supervision]) from None

    async def use_case(conn):
        application = await load_owned(user_id, application_id, conn=conn, lock=True)
        await _touch(svc, application, conn)
        application.governance = {"board": str(governance.board), "supervision": str(governance.supervision),
                                  "all_shareholders_agree_no_supervisor": governance.all_shareholders_agree_no_supervisor}
        await application.save(using_db=conn, update_fields=["governance"])
        return application

    return await atomic(use_case)


async def require_ready(svc: Services, application: Application, *, conn: BaseDBAsyncClient | None = None) -> None:
    """Before the documents: every role rule holds and every person who must be identified is verified."""
    findings = await rule_findings(svc, application, conn=conn)
    if findings:
        raise CheckFailed("participants_incomplete", findings=findings)
    query = Participant.filter(application_id=application.id)
    rows = {str(r.id): r for r in await (query.using_db(conn) if conn else query)}
    pending = [p for p in roles_needing_identity(to_domain(svc, list(rows.values()))) if rows[p.id].status != "verified"]
    if pending:
        raise Conflict("participants_not_identified", participants=[p.id for p in pending],
                       names=[mask_name(p.name) for p in pending])


async def list_participants(svc: Services, *, user_id: str, application_id: str, lang: str) -> dict[str, Any]:
    """The participants, masked, with every rule finding still open."""
    application = await load_owned(user_id, application_id)
    rows = await Participant.filter(application_id=application.id).order_by("created_at")
    findings = check_participants(participants=to_domain(svc, rows), governance=governance_of(application), today=today(svc))
    return {
        "items": [participant_view(svc, r) for r in rows],
        "governance": dataclasses.asdict(governance_of(application)) | {"board": str(governance_of(application).board),
                                                                        "supervision": str(governance_of(application).supervision)},
        "findings": [f.to_dict(lang) for f in findings],
        "complete": not findings,
    }


async def sync_founder(
    svc: Services, application: Application, *, user_id: str, name: str, number: str, birth_date: str,
    conn: BaseDBAsyncClient,
) -> Participant:
    """The founder as the first participant (holding every role of a sole founder unless changed), kept in step with
    the identity step; a changed name or number invalidates the founder's earlier verifications."""
    document_type = "cn_resident_id"
    indexes = blind_indexes(svc, document_type=document_type, number=number, name=name)
    row = await Participant.filter(application_id=application.id, user_id=user_id).using_db(conn).first()
    now = svc.clock.now()
    if row is not None and row.digest == indexes["digest"]:
        return row
    facts = ParticipantFacts(name=name, number=number, expiry=None, birth_date=birth_date,
                             sex=sex_of(number), salt_hex=new_salt().hex())
    if row is None:
        pid = uuid.uuid4()
        return await Participant.create(
            id=pid, application=application, user_id=user_id, kind="person", roles=[str(r) for r in FOUNDER_ROLES],
            document_type=document_type, status="pending_face", created_at=now, updated_at=now, using_db=conn,
            **indexes, **seal_fields(svc, participant_id=pid, facts=facts),
        )
    await invalidate_verifications(row, conn=conn)
    row.document_type, row.status, row.assurance, row.verified_at, row.updated_at = document_type, "pending_face", None, None, now
    row.number_index, row.digest = indexes["number_index"], indexes["digest"]
    for key, value in seal_fields(svc, participant_id=row.id, facts=facts).items():
        setattr(row, key, value)
    await row.save(using_db=conn)
    return row


