"""The officers' review: the queue of applications the machine review referred, the clear view (audited) and the
decision — approve (the licence is issued), reject with reasons, or ask for more information."""
from __future__ import annotations

import hashlib
from typing import Any

from backend.domain.findings import Finding
from backend.domain.formation import Decision, State, plan_decision
from backend.errors import NotFound
from backend.models import Application, Identity
from backend.services.container import Services
from backend.services.identity import FOUNDER, open_identity
from backend.services.officers import audit
from backend.services.personal_data import reviewer_view
from backend.services.review import _approve, with_credit_code
from backend.services.steps import parse_id, record_step
from backend.services.transactions import atomic
from backend.services.views import application_view


def _reasons_of(application: Application, *, lang: str) -> list[dict[str, Any]]:
    return [
        Finding(code=f["code"], severity="error", params=f.get("params") or {}, rule=f.get("rule")).to_dict(lang)
        for f in (application.review or {}).get("findings", [])
    ]


async def review_queue(*, lang: str) -> list[dict[str, Any]]:
    """Applications waiting for an officer, the longest waiting first, each with the machine review's reasons."""
    waiting = await Application.filter(state=State.IN_REVIEW).order_by("updated_at")
    return [
        {"id": str(a.id), "company_name": a.company_name, "waiting_since": a.updated_at.isoformat(),
         "reasons": _reasons_of(a, lang=lang)}
        for a in waiting
    ]


async def open_for_review(svc: Services, *, application_id: str, officer: str, lang: str) -> dict[str, Any]:
    """The application with its personal data in clear, for an officer; the view is recorded in the audit trail."""
    application = await Application.get_or_none(id=parse_id(application_id))
    if application is None:
        raise NotFound("application_not_found")
    view = await application_view(svc, application, lang=lang)
    identity = await Identity.filter(application_id=application.id, role=FOUNDER).first()
    if identity is not None:
        person = open_identity(svc, identity)
        view["identity"] = {**(view.get("identity") or {}), "name": person.name,
                            "document_number": person.document_number}
    view["reasons"] = _reasons_of(application, lang=lang)
    # every participant in clear, each view written to the data access log
    seen = await reviewer_view(svc, viewer=f"officer:{officer}", role="reviewer", application_id=str(application.id),
                               purpose="review")
    view["participants"] = seen["items"]
    await audit(clock=svc.clock, actor=f"officer:{officer}", action="view_personal_data",
                target=f"application:{application.id}")
    return view


async def decide(
    svc: Services, *, application_id: str, decision: Decision, reasons: list[str], officer: str
) -> Application:
    """Record an officer's decision on an application in review (a repeat of the same decision changes nothing)."""
    app_id = parse_id(application_id)
    if await Application.get_or_none(id=app_id) is None:
        raise NotFound("application_not_found")
    if decision == Decision.APPROVE:
        current = await Application.get(id=app_id)
        plan_decision(State(current.state), decision)  # 409 unless in review (or approved already)
        if current.state != State.IN_REVIEW:
            application = current  # a repeat: no credit code is taken for it
        else:
            application = await with_credit_code(
                svc, lambda uscc, conn: _approve(svc, app_id, uscc, conn, method="officer", from_state=State.IN_REVIEW),
                application_id=app_id,
            )
    else:
        async def use_case(conn):
            application = await Application.filter(id=app_id).select_for_update().using_db(conn).get()
            transition = plan_decision(State(application.state), decision)
            if not transition.changes:
                return application
            review = dict(application.review or {})
            review.update({"decided_at": svc.clock.now().isoformat(), "method": "officer", "outcome": decision.value,
                           "reasons": reasons})
            application.review = review
            # the ledger states the decision and a hash of the reasons (officers' text may name people)
            facts = {"reasons_sha256": hashlib.sha256("\n".join(reasons).encode()).hexdigest()}
            await record_step(svc, application, step=transition.state.value, state=transition.state, facts=facts,
                              conn=conn)
            return application

        application = await atomic(use_case)
    await audit(clock=svc.clock, actor=f"officer:{officer}", action=f"decision_{decision.value}",
                target=f"application:{app_id}", details={"reasons": reasons})
    return application
