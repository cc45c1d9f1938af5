"""Participants, consent, verifications and a person's data export: thin handlers over their use cases."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from aiohttp import web
from pydantic import Field, StringConstraints

from backend.domain.consent import IDENTITY_CONSENT
from backend.http.openapi import Operation
from backend.http.problems import language
from backend.http.request import current_user, parse_body
from backend.http.responses import json_response
from backend.http.schemas import Body, Empty
from backend.keys import SERVICES
from backend.services import consent, participants, personal_data, verification
from backend.services.records import iso

Short = Annotated[str, StringConstraints(min_length=1, max_length=48)]


class ConsentRequest(Body):
    text_version: Short
    accept: bool


class ContributionRequest(Body):
    """A shareholder's subscribed contribution (a sole shareholder without one holds the whole registered capital)."""

    amount_cny: Annotated[str, StringConstraints(min_length=1, max_length=20)] | int
    form: Literal["currency", "in_kind", "intellectual_property", "land_use_right", "equity", "debt_claim"] = "currency"
    deadline: dt.date


class ParticipantRequest(Body):
    kind: Literal["person", "company"] = "person"
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    roles: Annotated[list[Short], Field(min_length=1, max_length=12)]
    document_type: Short
    document_number: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    expiry: Annotated[str, StringConstraints(max_length=64)] | None = None
    representative_id: Annotated[str, StringConstraints(max_length=40)] | None = None
    contribution: ContributionRequest | None = None


class ParticipantChange(Body):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    roles: Annotated[list[Short], Field(min_length=1, max_length=12)] | None = None
    document_type: Short | None = None
    document_number: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    expiry: Annotated[str, StringConstraints(max_length=64)] | None = None
    representative_id: Annotated[str, StringConstraints(max_length=40)] | None = None
    contribution: ContributionRequest | None = None


class GovernanceRequest(Body):
    board: Short
    supervision: Short
    all_shareholders_agree_no_supervisor: bool = False


class VerificationRequest(Body):
    method: Literal["face", "partner_attestation", "video"] | None = None


class InvitationAccept(Body):
    code: Annotated[str, StringConstraints(min_length=8, max_length=64)]


def _svc(request: web.Request):
    return request.config_dict[SERVICES]


async def consent_text(request: web.Request) -> web.Response:
    return json_response(IDENTITY_CONSENT.as_dict())


async def get_consent(request: web.Request) -> web.Response:
    user = current_user(request)
    application = await consent.load_participating(user, request.match_info["id"])
    return json_response(consent.consent_view(await consent.current_consent(user_id=user, application_id=application.id)))


async def give_consent(request: web.Request) -> web.Response:
    body = await parse_body(request, ConsentRequest)
    given = await consent.grant(_svc(request), user_id=current_user(request), application_id=request.match_info["id"],
                                text_version=body.text_version, accept=body.accept)
    return json_response(consent.consent_view(given), status=201)


async def withdraw_consent(request: web.Request) -> web.Response:
    await parse_body(request, Empty)
    done = await consent.withdraw(_svc(request), user_id=current_user(request), application_id=request.match_info["id"])
    return json_response(consent.consent_view(done))


async def list_participants(request: web.Request) -> web.Response:
    return json_response(await participants.list_participants(
        _svc(request), user_id=current_user(request), application_id=request.match_info["id"], lang=language(request)))


async def add_participant(request: web.Request) -> web.Response:
    body = await parse_body(request, ParticipantRequest)
    row = await participants.add_participant(_svc(request), user_id=current_user(request), application_id=request.match_info["id"],
                                             **body.model_dump(mode="json"))
    return json_response(participants.participant_view(_svc(request), row), status=201,
                         headers={"Location": f"/api/v1/applications/{request.match_info['id']}/participants/{row.id}"})


async def update_participant(request: web.Request) -> web.Response:
    body = await parse_body(request, ParticipantChange)
    row = await participants.update_participant(_svc(request), user_id=current_user(request), application_id=request.match_info["id"],
                                                participant_id=request.match_info["pid"], changes=body.model_dump(mode="json", exclude_unset=True))
    return json_response(participants.participant_view(_svc(request), row))


async def remove_participant(request: web.Request) -> web.Response:
    await participants.remove_participant(_svc(request), user_id=current_user(request), application_id=request.match_info["id"],
                                          participant_id=request.match_info["pid"])
    return web.Response(status=204)


async def put_governance(request: web.Request) -> web.Response:
    body = await parse_body(request, GovernanceRequest)
    application = await participants.set_governance(_svc(request), user_id=current_user(request),
                                                    application_id=request.match_info["id"], **body.model_dump())
    return json_response({"governance": application.governance})


def _face(check) -> dict:
    return {"verify_id": check.verify_id, "expires_at": iso(check.expires_at),
            "expires_in": int((check.expires_at - check.created_at).total_seconds())}


async def start_verification(request: web.Request) -> web.Response:
    body = await parse_body(request, VerificationRequest)
    started = await verification.start_verification(_svc(request), user_id=current_user(request), application_id=request.match_info["id"],
                                                    participant_id=request.match_info["pid"], method=body.method)
    answer: dict = {"status": started["status"], "assurance": started.get("assurance")}
    if "face_check" in started:
        answer["face_check"] = _face(started["face_check"])
    if "verification" in started:
        pending = started["verification"]
        answer["verification"] = {"id": str(pending.id), "method": pending.method, "status": pending.status,
                                  "assurance": pending.assurance, "created_at": iso(pending.created_at)}
    return json_response(answer, status=201)


async def participant_face_result(request: web.Request) -> web.Response:
    row = await verification.complete_participant_face_check(
        _svc(request), user_id=current_user(request), application_id=request.match_info["id"],
        participant_id=request.match_info["pid"], verify_id=request.match_info["verify_id"])
    return json_response(participants.participant_view(_svc(request), row))


async def invite_participant(request: web.Request) -> web.Response:
    await parse_body(request, Empty)
    code = await verification.invite(_svc(request), user_id=current_user(request), application_id=request.match_info["id"],
                                     participant_id=request.match_info["pid"])
    return json_response({"code": code}, status=201, headers={"Cache-Control": "no-store"})


async def accept_invitation(request: web.Request) -> web.Response:
    body = await parse_body(request, InvitationAccept)
    row = await verification.accept_invitation(_svc(request), user_id=current_user(request), code=body.code)
    return json_response({"application": str(row.application_id), "participant": participants.participant_view(_svc(request), row)})


async def export_my_data(request: web.Request) -> web.Response:
    data = await personal_data.export_person(_svc(request), user_id=current_user(request))
    return json_response(data, headers={"Cache-Control": "private, no-store",
                                        "Content-Disposition": 'attachment; filename="kaiban-personal-data.json"'})


async def review_participants(request: web.Request) -> web.Response:
    """Clear participant data for a reviewer (mock mode: a test role stands in until officers' roles exist)."""
    seen = await personal_data.reviewer_view(
        _svc(request), viewer=request.headers.get("X-Test-Reviewer", ""), role=request.headers.get("X-Test-Role", ""),
        application_id=request.match_info["id"], purpose=request.query.get("purpose", "review")[:64])
    return json_response(seen, headers={"Cache-Control": "no-store"})


def operations(*, mock_mode: bool = False) -> list[Operation]:
    """Participants, consent, verification and data export endpoints; the reviewer's test view in mock mode."""
    one = "/api/v1/applications/{id}"
    person = one + "/participants/{pid}"

    def op(method, path, handler, summary, **kw):
        return Operation(method=method, path=path, handler=handler, summary=summary, tag="participants", auth=True, **kw)

    return [
        Operation(method="GET", path="/api/v1/consents/identity", handler=consent_text, tag="participants",
                  summary="The identity consent text (what, why, how long, how to withdraw) and its version"),
        op("GET", one + "/consent", get_consent, "My consent to identity processing on this application", errors=(404,)),
        op("POST", one + "/consent", give_consent, "Give the separate consent (PIPL art. 29)", body=ConsentRequest, status=201, errors=(404, 422)),
        op("POST", one + "/consent/withdraw", withdraw_consent, "Withdraw the consent", body=Empty, errors=(404,)),
        op("GET", one + "/participants", list_participants, "Participants (masked) and open role findings", errors=(404,)),
        op("POST", one + "/participants", add_participant, "Add a participant with roles and a checked document",
           body=ParticipantRequest, status=201, errors=(403, 404, 409, 422)),
        op("PATCH", person, update_participant, "Change a participant (a new name or document invalidates verifications)",
           body=ParticipantChange, errors=(403, 404, 409, 422)),
        op("DELETE", person, remove_participant, "Remove a participant", status=204, errors=(404, 409)),
        op("PUT", one + "/governance", put_governance, "Board and supervision arrangement", body=GovernanceRequest, errors=(404, 409, 422)),
        op("POST", person + "/verifications", start_verification, "Verify a participant: face check, or a pending attestation / video",
           body=VerificationRequest, status=201, errors=(403, 404, 409, 422, 429, 502)),
        op("POST", person + "/face-checks/{verify_id}/result", participant_face_result, "A participant's face-check result",
           errors=(404, 409, 422, 502)),
        op("POST", person + "/invitation", invite_participant, "A one-time code linking the participant's own WeChat",
           body=Empty, status=201, errors=(404, 409)),
        op("POST", "/api/v1/participant-invitations", accept_invitation, "Link my WeChat account to a participant",
           body=InvitationAccept, errors=(404,)),
        op("GET", "/api/v1/me/data-export", export_my_data, "Export everything held about me"),
        *([Operation(method="GET", path="/mock/review/applications/{id}/participants", handler=review_participants, tag="mock",
                     summary="Clear participant data for a reviewer (X-Test-Role: reviewer_test), every view audited",
                     errors=(403, 404))] if mock_mode else []),
    ]
