"""Partner-submitted applications: a partner opens an application for an applicant it verified in person, attests
each person with a signed JWS, and drives the formation steps up to the generated documents. Every request is
signed (RFC 9421); a partner sees and acts on its own applications only."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import Field, StringConstraints

from backend.domain.consent import IDENTITY_CONSENT
from backend.domain.foreign_investment import parse_capital
from backend.domain.findings import Finding
from backend.http.openapi import Operation
from backend.http.problems import language
from backend.http.request import parse_body
from backend.http.responses import json_response
from backend.http.routes.partner import PARTNER_ERRORS, signed_partner
from backend.http.schemas import Body, NameRequest, Text
from backend.keys import SERVICES
from backend.models import Application
from backend.http.routes.participants import ContributionRequest, GovernanceRequest
from backend.services import applications, attestations, details, documents, names, participants, partner_applications, review, signing_links
from backend.services.identity_facts import today
from backend.services.partner_applications import NewParticipant
from backend.services.records import iso
from backend.services.views import document_view

Short = Annotated[str, StringConstraints(min_length=1, max_length=48)]
BASE = "/api/v1/partner/applications"
ONE = BASE + "/{id}"


class PartnerParticipant(Body):
    kind: Literal["person", "company"] = "person"
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    roles: Annotated[list[Short], Field(min_length=1, max_length=12)]
    document_type: Short
    document_number: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    expiry: Annotated[str, StringConstraints(max_length=64)] | None = None
    representative: Annotated[int, Field(ge=0)] | None = None  # index of a company's legal representative
    founder: bool = False  # the applicant the application is opened for (exactly one person)
    contribution: ContributionRequest | None = None  # a shareholder's subscription, in CNY


class PartnerSubmission(Body):
    entity_type: Short = "limited_liability_company"
    reference: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:/-]+$")] | None = None
    consent_text_version: Short  # the consent text the applicant accepted in person (GET /api/v1/consents/identity)
    participants: Annotated[list[PartnerParticipant], Field(min_length=1, max_length=20)]


class AttestationRequest(Body):
    participant_id: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    attestation: Annotated[str, StringConstraints(min_length=16, max_length=20000)]  # compact JWS (EdDSA)


class Money(Body):
    amount: Annotated[str, StringConstraints(min_length=1, max_length=20)] | int
    currency: Literal["CNY", "HKD", "MOP"] = "CNY"
    rate: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None  # CNY per unit
    rate_date: dt.date | None = None


class PartnerDetails(Body):
    address: Annotated[str, StringConstraints(min_length=4, max_length=200)]
    business_scope: Annotated[list[Text], Field(min_length=1, max_length=50)]
    registered_capital: Money
    contribution_deadline: dt.date
    liaison_phone: Annotated[str, StringConstraints(max_length=20)] | None = None
    investment_report: dict[str, Any]  # the foreign-investment information report (initial report)


def _svc(request: web.Request):
    return request.config_dict[SERVICES]


async def _view(request: web.Request, application: Application) -> dict:
    fresh = await Application.get(id=application.id)
    return await partner_applications.status_view(_svc(request), fresh, lang=language(request))


async def submit_partner_application(request: web.Request) -> web.Response:
    partner = await signed_partner(request)
    body = await parse_body(request, PartnerSubmission)
    created = await partner_applications.submit(
        _svc(request), partner=partner, entity_type=body.entity_type, reference=body.reference,
        consent_version=body.consent_text_version,
        people=[NewParticipant(**p.model_dump()) for p in body.participants])
    return json_response(await _view(request, created), status=201, headers={"Location": f"{BASE}/{created.id}"})


async def list_partner_applications(request: web.Request) -> web.Response:
    partner = await signed_partner(request)
    items = [await _view(request, a) for a in await partner_applications.list_mine(partner)]
    return json_response({"items": items})


async def get_partner_application(request: web.Request) -> web.Response:
    partner = await signed_partner(request)
    partner.require("applications:read")
    application = await attestations.partner_application(partner.id, request.match_info["id"])
    return json_response(await _view(request, application))


async def attest_participant(request: web.Request) -> web.Response:
    partner = await signed_partner(request)
    partner.require("attestations:write")
    await attestations.partner_application(partner.id, request.match_info["id"])  # another's: 404 before the body
    body = await parse_body(request, AttestationRequest)
    recorded = await attestations.record_attestation(
        _svc(request), partner=partner, application_id=request.match_info["id"], participant_id=body.participant_id,
        token=body.attestation)
    application = await Application.get(id=recorded.attestation.application_id)
    return json_response({"attestation": {"id": str(recorded.attestation.id), "participant_id": str(recorded.participant.id),
                                          "payload_sha256": recorded.attestation.payload_sha256,
                                          "assurance": recorded.attestation.assurance,
                                          "recorded_at": iso(recorded.attestation.created_at)},
                          "application": await _view(request, application)}, status=201)


async def partner_put_name(request: web.Request) -> web.Response:
    partner = await signed_partner(request)
    owner = await partner_applications.acting_owner(partner, request.match_info["id"], scope="applications:submit")
    body = await parse_body(request, NameRequest)
    application, claim, warnings = await names.reserve(
        _svc(request), user_id=owner, application_id=request.match_info["id"], name=body.name,
        pre_approval=body.pre_approval, exceptions=body.related_usccs)
    return json_response({"application": await _view(request, application),
                          "reservation": {"name": claim.name, "expires_at": iso(claim.expires_at), "pre_approval": claim.pre_approval},
                          "warnings": [f.to_dict(language(request)) for f in warnings]})


async def partner_put_details(request: web.Request) -> web.Response:
    partner = await signed_partner(request)
    owner = await partner_applications.acting_owner(partner, request.match_info["id"], scope="applications:submit")
    body = await parse_body(request, PartnerDetails)
    money = body.registered_capital
    capital = parse_capital(amount=money.amount, currency=money.currency, rate=money.rate, rate_date=money.rate_date,
                            today=today(_svc(request)))
    warnings: list[Finding] = []
    application = await details.complete_details(
        _svc(request), user_id=owner, application_id=request.match_info["id"], address=body.address,
        business_scope=body.business_scope, registered_capital_cny=Decimal(capital.cny),
        contribution_deadline=body.contribution_deadline, liaison_phone=body.liaison_phone, capital=capital,
        investment_report=body.investment_report, findings=warnings)
    return json_response({"application": await _view(request, application),
                          "findings": [f.to_dict(language(request)) for f in warnings]})


async def partner_put_governance(request: web.Request) -> web.Response:
    partner = await signed_partner(request)
    owner = await partner_applications.acting_owner(partner, request.match_info["id"], scope="applications:submit")
    body = await parse_body(request, GovernanceRequest)
    application = await participants.set_governance(
        _svc(request), user_id=owner, application_id=request.match_info["id"], board=body.board,
        supervision=body.supervision, all_shareholders_agree_no_supervisor=body.all_shareholders_agree_no_supervisor)
    return json_response({"governance": application.governance, "application": await _view(request, application)})


async def partner_withdraw_application(request: web.Request) -> web.Response:
    partner = await signed_partner(request)
    owner = await partner_applications.acting_owner(partner, request.match_info["id"], scope="applications:submit")
    done = await applications.withdraw_application(_svc(request), user_id=owner, application_id=request.match_info["id"])
    return json_response(await _view(request, done))


async def partner_generate_documents(request: web.Request) -> web.Response:
    partner = await signed_partner(request)
    owner = await partner_applications.acting_owner(partner, request.match_info["id"], scope="applications:submit")
    application, docs = await documents.generate(_svc(request), user_id=owner, application_id=request.match_info["id"])
    return json_response({"application": await _view(request, application),
                          "documents": [{k: v for k, v in document_view(application, d).items() if k != "url"} for d in docs]})


class ConfirmationLinkRequest(Body):
    phone: Annotated[str, StringConstraints(min_length=5, max_length=32)]  # the applicant's phone, for the code


async def partner_confirmation_link(request: web.Request) -> web.Response:
    """A one-time confirmation link for an attested participant to sign remotely (the code goes to their phone)."""
    partner = await signed_partner(request)
    await partner_applications.acting_owner(partner, request.match_info["id"], scope="applications:submit")
    body = await parse_body(request, ConfirmationLinkRequest)
    application = await Application.get(id=request.match_info["id"])
    link = await signing_links.create_link(_svc(request), application=application, participant_id=request.match_info["pid"],
                                           phone=body.phone, issued_by=f"partner:{partner.id}")
    return json_response(link, status=201, headers={"Cache-Control": "no-store"})


async def partner_submit(request: web.Request) -> web.Response:
    """Submit once everyone has signed: the machine review follows at once, as for the mini-program."""
    partner = await signed_partner(request)
    owner = await partner_applications.acting_owner(partner, request.match_info["id"], scope="applications:submit")
    application = await review.submit(_svc(request), user_id=owner, application_id=request.match_info["id"])
    return json_response(await _view(request, application))


def operations() -> list[Operation]:
    """The partner's application endpoints."""
    errors = (*PARTNER_ERRORS, 404, 409, 422)

    def op(method, path, handler, summary, **kw):
        return Operation(method=method, path=path, handler=handler, summary=summary, tag="partners", **kw)

    return [
        op("POST", BASE, submit_partner_application, "Open an application for an applicant verified in person, with "
           f"its participants (scope applications:submit; consent text {IDENTITY_CONSENT.version})",
           body=PartnerSubmission, status=201, errors=errors),
        op("GET", BASE, list_partner_applications, "The partner's applications and their status (applications:read)",
           errors=PARTNER_ERRORS),
        op("GET", ONE, get_partner_application, "One of the partner's applications: participants' verifications and "
           "signatures", errors=(*PARTNER_ERRORS, 404)),
        op("POST", ONE + "/attestations", attest_participant, "Record a signed attestation (compact JWS, EdDSA, typ "
           "kaiban-attestation+jws) of a participant the partner verified (attestations:write)",
           body=AttestationRequest, status=201, errors=errors),
        op("PUT", ONE + "/name", partner_put_name, "Declare and reserve the company name", body=NameRequest, errors=errors),
        op("PUT", ONE + "/details", partner_put_details, "Address, scope (negative list), capital in CNY/HKD/MOP, the "
           "foreign-investment information report", body=PartnerDetails, errors=errors),
        op("PUT", ONE + "/governance", partner_put_governance, "Board and supervision arrangement",
           body=GovernanceRequest, errors=errors),
        op("POST", ONE + "/documents", partner_generate_documents, "Generate the binding documents", errors=errors),
        op("POST", ONE + "/withdraw", partner_withdraw_application, "Withdraw the draft (releases its name)", errors=errors),
        op("POST", ONE + "/participants/{pid}/confirmation-link", partner_confirmation_link,
           "A one-time confirmation link (and a code by SMS) for an attested participant to sign remotely",
           body=ConfirmationLinkRequest, status=201, errors=(*errors, 503)),
        op("POST", ONE + "/submit", partner_submit, "Submit once every participant has signed; machine review follows",
           errors=errors),
    ]
