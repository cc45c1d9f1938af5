"""Submission, machine review and the licence: the credit code and the licence's status record on the ledger."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from decimal import Decimal
from typing import Any

from tortoise.exceptions import IntegrityError

from backend.adapters.documents.formatting import yuan_in_capitals
from backend.domain.address import parse_huangpu_address
from backend.domain.findings import Finding
from backend.domain.formation import State, Step, plan_step
from backend.domain.identifiers import check_mainland_id
from backend.domain.names import check_name
from backend.domain.participants import Role, roles_needing_identity
from backend.domain.participants.company_type import company_type, legal_representative
from backend.domain.review import ReviewFacts, machine_review
from backend.errors import InvalidInput
from backend.models import Application, Document, Identity, Licence, NameClaim, Participant
from backend.services.container import Services
from backend.services.details import contribution_window, parse_capital
from backend.services.identity import FOUNDER, CHINA, open_identity, today
from backend.services.notifications import enqueue_event
from backend.services.participant_records import to_domain
from backend.services.records import licence_record
from backend.services.review_checks import check_documents
from backend.services.signatures import all_signed
from backend.services.steps import load_owned, record_step
from backend.services.transactions import atomic

log = logging.getLogger(__name__)
REGISTRATION_AUTHORITY = "广州市黄埔区市场监督管理局"
REQUIRED_DOCUMENTS = frozenset({"articles_of_association", "application_form"})
USCC_ATTEMPTS = 5


async def submit(svc: Services, *, user_id: str, application_id: str) -> Application:
    """Submit a signed application; the machine review then runs at once. A retry returns the same outcome."""

    async def use_case(conn):
        application = await load_owned(user_id, application_id, conn=conn, lock=True)
        transition = plan_step(State(application.state), Step.SUBMIT, changed=False)
        if transition.changes:
            await record_step(svc, application, step="submitted", state=transition.state, facts={}, conn=conn)
        return application

    application = await atomic(use_case)
    if application.state == State.SUBMITTED:
        application = await review_and_license(svc, application_id=application.id, application=application)
    return application


#: Documents whose number encodes the date of birth the review reads the founder's age from.
MAINLAND_DOCUMENTS = ("mainland_resident_id", "cn_resident_id")


async def everyone_identified(svc: Services, application: Application,
                              participants: list[Participant] | None = None) -> bool:
    """Whether every person who must be identified is verified now (a change since would have reset them);
    `participants`: the application's rows when the caller has just read them."""
    found = participants if participants is not None else await Participant.filter(application_id=application.id)
    rows = {str(r.id): r for r in found}
    return all(rows[p.id].status == "verified" for p in roles_needing_identity(to_domain(svc, list(rows.values()))))


async def _review_facts(svc: Services, application: Application) -> ReviewFacts:
    now = svc.clock.now()
    identity = await Identity.filter(application_id=application.id, role=FOUNDER).first()
    verified = identity is not None and identity.status == "verified" and identity.digest == application.identity_digest
    age = None
    if verified:
        person = open_identity(svc, identity)
        if person.document_type in MAINLAND_DOCUMENTS:  # other documents: the age comes from the participant record
            age = check_mainland_id(person.document_number, today=today(svc)).age_on(today(svc))
    rows = await Participant.filter(application_id=application.id)
    people = to_domain(svc, rows)
    verified = verified and await everyone_identified(svc, application, rows)
    if age is None:
        founder = next((p for p in people if getattr(p, "birth_date", None) and Role.LEGAL_REPRESENTATIVE in p.roles), None)
        age = founder.age_on(today(svc)) if founder else None
    claim = await NameClaim.filter(application_id=application.id).first()
    details = application.details or {}
    try:
        in_huangpu = bool(details) and parse_huangpu_address(details["address"]).district == "黄埔区"
    except InvalidInput:
        in_huangpu = False
    try:
        capital_ok = bool(details) and parse_capital(details["registered_capital_cny"]) > 0
    except InvalidInput:
        capital_ok = False
    earliest, latest = contribution_window(today(svc))
    deadline = dt.date.fromisoformat(details["contribution_deadline"]) if details else None
    documents = await Document.filter(application_id=application.id, current=True)
    hashes = {doc.kind: doc.sha256 for doc in documents}
    intact = all(
        hashlib.sha256(svc.sealer.open(bytes(doc.sealed), aad=f"document:{doc.id}")).hexdigest() == doc.sha256
        for doc in documents
    )
    checks = await check_documents(svc, application, documents)
    return ReviewFacts(
        identity_verified=verified,
        founder_age=age,
        name_reserved_until=None if claim is None else (claim.expires_at or now + dt.timedelta(days=1)),
        name_errors=sum(1 for f in check_name(application.company_name or "") if f.is_error),
        address_in_huangpu=in_huangpu,
        capital_ok=capital_ok,
        contribution_deadline_ok=deadline is not None and earliest <= deadline <= latest,
        documents_complete=set(hashes) >= REQUIRED_DOCUMENTS,
        documents_intact=intact,
        signature_valid=await all_signed(svc, application),
        law_findings=checks.law_findings,
        documents_match_data=checks.match_data,
        now=now,
    )


def licence_event(licence: dict[str, Any], *, status: str) -> dict[str, Any]:
    """What a licence event tells subscribers: the public licence, its status and where to verify it."""
    return {"uscc": licence["uscc"], "status": status, "licence": licence,
            "verify_url": f"/api/v1/licences/{licence['uscc']}"}


def licence_view(application: Application, *, uscc: str, legal_representative_name: str, company_type: str,
                 established: dt.date) -> dict[str, Any]:
    """Exactly what the printed licence shows (plus the label that the code is simulated)."""
    details = application.details or {}
    return {
        "uscc": uscc,
        "name": application.company_name,
        "type": company_type,
        "legal_representative": legal_representative_name,
        "registered_capital": f"人民币{yuan_in_capitals(Decimal(details['registered_capital_cny']))}",
        "date_of_establishment": established.isoformat(),
        "address": details["address"],
        "business_scope": "；".join(details["business_scope"]),
        "registration_authority": REGISTRATION_AUTHORITY,
        "uscc_allocation": "simulated",
    }


async def review_and_license(svc: Services, *, application_id, application: Application | None = None) -> Application:
    """Run the machine review of a submitted application: license a clean one at once, or send it to the officers'
    queue with the findings as its reasons. `application`: the row as its submission just committed it (saves
    reading it again); the decision itself locks and re-reads it."""
    if application is None:
        application = await Application.get(id=application_id)
    findings = machine_review(await _review_facts(svc, application))
    if findings:
        return await atomic(lambda conn: _refer(svc, application_id, findings, conn))
    return await with_credit_code(svc, lambda uscc, conn: _approve(svc, application_id, uscc, conn, method="machine"),
                                  application_id=application_id)


async def with_credit_code(svc: Services, use_case, *, application_id) -> Application:
    """Run `use_case(uscc, conn)` in a transaction with a freshly allocated credit code, again with another code
    when that one was taken meanwhile (the unique key on licences refuses a duplicate). A code allocated but not
    used (the transaction failed, or the application was decided meanwhile) stays allocated and is never reissued."""
    uscc = await svc.uscc.allocate(application_id=str(application_id))
    for attempt in range(USCC_ATTEMPTS):
        try:
            return await atomic(lambda conn: use_case(uscc, conn))
        except IntegrityError:  # the credit code was taken: allocate another
            if attempt == USCC_ATTEMPTS - 1:
                raise
            uscc = await svc.uscc.allocate(application_id=str(application_id))
    raise AssertionError("unreachable")


async def _refer(svc: Services, application_id, findings: list[Finding], conn) -> Application:
    application = await Application.filter(id=application_id).select_for_update().using_db(conn).get()
    if application.state != State.SUBMITTED:
        return application  # decided already (a concurrent retry)
    application.review = {
        "decided_at": svc.clock.now().isoformat(),
        "method": "machine",
        "outcome": "referred",
        "findings": [{"code": f.code, "rule": f.rule, "params": f.params} for f in findings],
    }
    await record_step(
        svc, application, step="in_review", state=State.IN_REVIEW, facts={"findings": [f.code for f in findings]},
        conn=conn,
    )
    return application


async def _approve(svc: Services, application_id, uscc: str, conn, *, method: str,
                   from_state: State = State.SUBMITTED) -> Application:
    """Approve the application and issue its licence with `uscc`, in the caller's transaction."""
    application = await Application.filter(id=application_id).select_for_update().using_db(conn).get()
    if application.state != from_state:
        return application  # decided already (a concurrent retry)
    now = svc.clock.now()
    review = dict(application.review or {})
    review.update({"decided_at": now.isoformat(), "method": method, "outcome": "approved"})
    review.setdefault("findings", [])
    application.review = review
    await record_step(svc, application, step="approved", state=State.APPROVED, facts={"method": method}, conn=conn)
    people = to_domain(svc, await Participant.filter(application_id=application.id).order_by("created_at").using_db(conn))
    representative = legal_representative(people)
    if representative is None:  # an application from before participants: its founder represents it
        identity = await Identity.get(application_id=application.id, role=FOUNDER).using_db(conn)
        representative_name = open_identity(svc, identity).name
    else:
        representative_name = representative.name
    licence = licence_view(application, uscc=uscc, legal_representative_name=representative_name,
                           company_type=company_type(people) if people else "有限责任公司（自然人独资）",
                           established=now.astimezone(CHINA).date())
    leaf = licence_record(uscc=uscc, status="active", licence=licence, application_id=str(application.id), at=now)
    application.licensed_at = now
    application.time_to_licence_s = int((now - application.created_at).total_seconds())
    record = await record_step(svc, application, step="licensed", state=State.LICENSED, facts={}, conn=conn, leaf=leaf)
    await Licence.create(
        uscc=uscc, application=application, data=licence, status="active", record=record, issued_at=now, using_db=conn
    )
    await enqueue_event(event_type="licence.issued", data=licence_event(licence, status="active"), clock=svc.clock,
                        conn=conn)
    await NameClaim.filter(application_id=application.id).using_db(conn).update(status="registered", expires_at=None)
    return application


async def resume_pending_reviews(svc: Services) -> int:
    """Review applications that were submitted but not yet decided (e.g. the server stopped in between)."""
    pending = await Application.filter(state=State.SUBMITTED).values_list("id", flat=True)
    for application_id in pending:
        try:
            await review_and_license(svc, application_id=application_id)
        except Exception:  # keep going: one broken application must not stop the others' reviews
            log.exception("review of %s failed; it stays submitted", application_id)
    return len(pending)
