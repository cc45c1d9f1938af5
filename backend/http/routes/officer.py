"""The officers' API (reviewers and admins of the registration authority): log-in with password and TOTP, and the
audit trail. Officers' tokens have their own audience and carry role claims; every call is audited."""
from __future__ import annotations

from typing import Annotated, Literal

from aiohttp import web
from pydantic import ConfigDict, Field, StringConstraints, model_validator

from backend.errors import Forbidden, NotFound, Unauthorized
from backend.domain.formation import Decision
from backend.http.openapi import Operation
from backend.http.problems import language
from backend.http.request import parse_body
from backend.http.responses import json_response
from backend.http.schemas import Body
from backend.keys import CLOCK, SERVICES
from backend.models import AuditEvent, Delivery, Officer
from backend.services.licence_status import change_licence_status
from backend.services.notifications import redeliver
from backend.services.officer_review import decide, open_for_review, review_queue
from backend.services.views import application_view
from backend.services.officers import OFFICER_TOKEN_TTL, audit, officer_login


class OfficerLogin(Body):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)  # a password is taken exactly as typed

    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    totp: Annotated[str, StringConstraints(min_length=1, max_length=10)]


class LicenceStatusChange(Body):
    status: Literal["revoked", "deregistered"]
    reason: Annotated[str, StringConstraints(min_length=2, max_length=500)]


Reason = Annotated[str, StringConstraints(min_length=2, max_length=500)]


class ReviewDecision(Body):
    decision: Decision
    reasons: list[Reason] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _reasons_for_returns(self) -> "ReviewDecision":
        if self.decision != Decision.APPROVE and not self.reasons:
            raise ValueError("a rejection or a request for information must give its reasons")
        return self


async def current_officer(request: web.Request, *, role: str | None = None) -> Officer:
    """The active officer whose token `request` carries (401), holding `role` if given (403); the call is audited."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return await officer_for_token(request, token.strip(), role=role)


async def officer_for_token(request: web.Request, token: str, *, role: str | None = None) -> Officer:
    """The active officer an officer's token names, holding `role` if given; the call is audited (the API's bearer
    token or the console's session cookie)."""
    officer_id, roles = request.config_dict[SERVICES].tokens.verify_officer(token)
    officer = await Officer.get_or_none(id=officer_id)
    if officer is None or not officer.active:
        raise Unauthorized("token_invalid")
    clock = request.config_dict[CLOCK]
    route = request.match_info.route.resource
    action = f"{request.method} {route.canonical if route is not None else request.path}"
    actor = f"officer:{officer.username}"
    if role is not None and role not in roles:
        await audit(clock=clock, actor=actor, action=action, target=request.path, outcome="forbidden")
        raise Forbidden("officer_role_missing", role=role)
    await audit(clock=clock, actor=actor, action=action, target=request.path)
    return officer


async def login(request: web.Request) -> web.Response:
    body = await parse_body(request, OfficerLogin)
    svc = request.config_dict[SERVICES]
    officer = await officer_login(username=body.username, password=body.password, totp_code=body.totp,
                                  sealer=svc.sealer, clock=svc.clock)
    token = svc.tokens.issue_officer(str(officer.id), roles=list(officer.roles), ttl=OFFICER_TOKEN_TTL)
    return json_response(
        {"access_token": token, "token_type": "Bearer", "expires_in": OFFICER_TOKEN_TTL, "roles": officer.roles,
         "display_name": officer.display_name},
        headers={"Cache-Control": "no-store"},
    )


async def me(request: web.Request) -> web.Response:
    officer = await current_officer(request)
    return json_response({"username": officer.username, "display_name": officer.display_name, "roles": officer.roles})


async def audit_trail(request: web.Request) -> web.Response:
    await current_officer(request, role="admin")
    try:
        limit = min(max(int(request.query.get("limit", "100")), 1), 1000)
    except ValueError:
        limit = 100
    events = await AuditEvent.all().order_by("-id").limit(limit)
    return json_response({"items": [
        {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "target": e.target, "outcome": e.outcome,
         "details": e.details} for e in events
    ]})


async def set_licence_status(request: web.Request) -> web.Response:
    officer = await current_officer(request, role="reviewer")
    body = await parse_body(request, LicenceStatusChange)
    licence = await change_licence_status(request.config_dict[SERVICES], uscc=request.match_info["uscc"],
                                          status=body.status, reason=body.reason, officer=officer.username)
    return json_response({"uscc": licence.uscc, "status": licence.status, "verify_url": f"/api/v1/licences/{licence.uscc}"})


async def queue(request: web.Request) -> web.Response:
    await current_officer(request, role="reviewer")
    return json_response({"items": await review_queue(lang=language(request))})


async def open_application(request: web.Request) -> web.Response:
    officer = await current_officer(request, role="reviewer")
    view = await open_for_review(request.config_dict[SERVICES], application_id=request.match_info["id"],
                                 officer=officer.username, lang=language(request))
    return json_response(view, headers={"Cache-Control": "no-store"})


async def decide_application(request: web.Request) -> web.Response:
    officer = await current_officer(request, role="reviewer")
    body = await parse_body(request, ReviewDecision)
    svc = request.config_dict[SERVICES]
    application = await decide(svc, application_id=request.match_info["id"], decision=body.decision,
                               reasons=list(body.reasons), officer=officer.username)
    return json_response(await application_view(svc, application, lang=language(request)))


async def deliveries(request: web.Request) -> web.Response:
    await current_officer(request, role="admin")
    rows = await Delivery.all().order_by("-id").limit(200).prefetch_related("subscriber")
    return json_response({"items": [
        {"id": d.id, "event_id": str(d.event_id), "event_type": d.event_type, "subscriber": d.subscriber.name,
         "status": d.status, "attempts": d.attempts, "last_status": d.last_status, "last_error": d.last_error,
         "next_attempt_at": d.next_attempt_at.isoformat(),
         "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None}
        for d in rows
    ]})


async def retry_delivery(request: web.Request) -> web.Response:
    officer = await current_officer(request, role="admin")
    try:
        delivery_id = int(request.match_info["delivery"])
    except ValueError:
        raise NotFound("delivery_not_found", id=request.match_info["delivery"]) from None
    delivery = await redeliver(delivery_id=delivery_id, clock=request.config_dict[CLOCK])
    await audit(clock=request.config_dict[CLOCK], actor=f"officer:{officer.username}", action="delivery_retry",
                target=f"delivery:{delivery.id}")
    return json_response({"id": delivery.id, "event_id": str(delivery.event_id), "status": delivery.status,
                          "next_attempt_at": delivery.next_attempt_at.isoformat()})


def operations() -> list[Operation]:
    """The officers' endpoints."""
    return [
        Operation(method="POST", path="/api/v1/officer/login", handler=login, tag="officers", body=OfficerLogin,
                  summary="Officer log-in: password and TOTP code; a token with the officer's roles",
                  errors=(401, 422, 429)),
        Operation(method="GET", path="/api/v1/officer/me", handler=me, tag="officers", auth=True,
                  summary="The logged-in officer", errors=(401,)),
        Operation(method="GET", path="/api/v1/officer/audit", handler=audit_trail, tag="officers", auth=True,
                  summary="The audit trail, newest first (admins)", errors=(401, 403)),
        Operation(method="GET", path="/api/v1/officer/queue", handler=queue, tag="officers", auth=True,
                  summary="Applications waiting for an officer, with the machine review's reasons (reviewers)",
                  errors=(401, 403)),
        Operation(method="GET", path="/api/v1/officer/applications/{id}", handler=open_application, tag="officers",
                  auth=True, summary="An application with personal data in clear (reviewers; the view is audited)",
                  errors=(401, 403, 404)),
        Operation(method="POST", path="/api/v1/officer/applications/{id}/decision", handler=decide_application,
                  tag="officers", auth=True, body=ReviewDecision,
                  summary="Approve (the licence is issued), reject with reasons, or ask for more information",
                  errors=(401, 403, 404, 409, 422)),
        Operation(method="GET", path="/api/v1/officer/deliveries", handler=deliveries, tag="officers", auth=True,
                  summary="The webhook delivery log, newest first (admins)", errors=(401, 403)),
        Operation(method="POST", path="/api/v1/officer/deliveries/{delivery}/retry", handler=retry_delivery,
                  tag="officers", auth=True,
                  summary="Send a delivery that failed for good again, same idempotency key (admins)",
                  errors=(401, 403, 404)),
        Operation(method="POST", path="/api/v1/officer/licences/{uscc}/status", handler=set_licence_status,
                  tag="officers", auth=True, body=LicenceStatusChange,
                  summary="Revoke or deregister a licence with a reason (reviewers); recorded on the ledger",
                  errors=(401, 403, 404, 409, 422)),
    ]
