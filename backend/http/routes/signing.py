"""Signing endpoints: every party signs in the mini-program (face check or attestation plus code), the applicant sees
who has signed, and signers without the mini-program confirm through a one-time link with a code."""
from __future__ import annotations

from typing import Annotated

from aiohttp import web
from pydantic import StringConstraints

from backend.http.openapi import Operation
from backend.http.problems import language
from backend.http.request import current_user, parse_body
from backend.http.responses import json_response
from backend.http.schemas import Body, Empty
from backend.keys import SERVICES
from backend.models import Application
from backend.services import signatures, signed_copies, signing_codes, signing_links
from backend.services.signing_status import signing_status
from backend.services.consent import load_participating
from backend.services.records import iso
from backend.services.steps import load_owned
from backend.services.views import application_view

Code = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class SealRequest(Body):
    serial: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z-]{4,32}$")]  # the seal's registered serial
    image_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]  # hash of the seal impression


class SignRequest(Body):
    participant_id: Id | None = None
    on_behalf_of: Id | None = None
    code: Code | None = None
    seal: SealRequest | None = None


class PhoneRequest(Body):
    phone: Annotated[str, StringConstraints(min_length=5, max_length=32)]


class ConfirmRequest(Body):
    code: Code
    on_behalf_of: Id | None = None
    seal: SealRequest | None = None


def _seal(body) -> signatures.Seal | None:
    return signatures.Seal(serial=body.seal.serial, image_sha256=body.seal.image_sha256) if body.seal else None


def _signature(signature) -> dict:
    return {"id": str(signature.id), "participant_id": str(signature.participant_id), "payload": signature.payload,
            "on_behalf_of": str(signature.on_behalf_of_id) if signature.on_behalf_of_id else None,
            "signature": signature.signature_b64, "certificate": signature.certificate_pem}


async def sign_application(request: web.Request) -> web.Response:
    body = await parse_body(request, SignRequest)
    svc, user = request.config_dict[SERVICES], current_user(request)
    application, signature = await signatures.sign(svc, user_id=user, application_id=request.match_info["id"],
                                                   participant_id=body.participant_id, on_behalf_of=body.on_behalf_of,
                                                   code=body.code, seal=_seal(body))
    fresh = await Application.get(id=application.id)
    return json_response({"application": await application_view(svc, fresh, lang=language(request)),
                          "signature": _signature(signature), "signing": await signing_status(svc, fresh, user_id=user)})


async def get_signatures(request: web.Request) -> web.Response:
    svc, user = request.config_dict[SERVICES], current_user(request)
    application = await load_participating(user, request.match_info["id"])
    return json_response(await signing_status(svc, application, user_id=user), headers={"Cache-Control": "no-store"})


async def request_signing_code(request: web.Request) -> web.Response:
    body = await parse_body(request, PhoneRequest)
    svc, user = request.config_dict[SERVICES], current_user(request)
    sent = await signing_codes.request_code(svc, user_id=user, application_id=request.match_info["id"],
                                            participant_id=request.match_info["pid"], phone=body.phone)
    return json_response(sent, status=201, headers={"Cache-Control": "no-store"})


async def create_confirmation_link(request: web.Request) -> web.Response:
    body = await parse_body(request, PhoneRequest)
    svc, user = request.config_dict[SERVICES], current_user(request)
    application = await load_owned(user, request.match_info["id"])
    link = await signing_links.create_link(svc, application=application, participant_id=request.match_info["pid"],
                                           phone=body.phone, issued_by=f"user:{user}")
    return json_response(link, status=201, headers={"Cache-Control": "no-store"})


async def get_confirmation(request: web.Request) -> web.Response:
    svc = request.config_dict[SERVICES]
    view = await signing_links.confirmation_view(svc, token=request.match_info["token"])
    return json_response(view, headers={"Cache-Control": "no-store"})


async def resend_confirmation_code(request: web.Request) -> web.Response:
    await parse_body(request, Empty)
    sent = await signing_links.resend_code(request.config_dict[SERVICES], token=request.match_info["token"])
    return json_response(sent, status=201, headers={"Cache-Control": "no-store"})


async def confirm_signature(request: web.Request) -> web.Response:
    body = await parse_body(request, ConfirmRequest)
    svc = request.config_dict[SERVICES]
    application, signature = await signing_links.confirm(svc, token=request.match_info["token"], code=body.code,
                                                         on_behalf_of=body.on_behalf_of, seal=_seal(body))
    fresh = await Application.get(id=application.id)
    status = await signing_status(svc, fresh, user_id=None)
    return json_response({"signature": _signature(signature), "complete": status["complete"], "state": fresh.state},
                         headers={"Cache-Control": "no-store"})


async def download_signed_copy(request: web.Request) -> web.Response:
    svc, user = request.config_dict[SERVICES], current_user(request)
    copy, pdf = await signed_copies.read_signed_copy(svc, user_id=user, application_id=request.match_info["id"],
                                                      kind=request.match_info["kind"])
    return web.Response(body=pdf, content_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{request.match_info["kind"]}-signed.pdf"', "Digest": f"sha-256={copy.sha256}",
        "Cache-Control": "private, no-store", "Kaiban-Signatures": str(copy.signatures)})


async def mock_sms_messages(request: web.Request) -> web.Response:
    """Mock mode: what the fake SMS gateway was asked to send to a phone (testers read the codes here)."""
    body = await parse_body(request, PhoneRequest)  # in the body: a phone number in a URL ends up in access logs
    svc = request.config_dict[SERVICES]
    phone = signing_codes.normalise_phone(body.phone)
    sent = await svc.sms.messages(phone=phone)  # the fake gateway's outbox, in the database: any process answers
    return json_response({"items": [{"text": m.text, "sent_at": iso(m.sent_at)} for m in sent]},
                         headers={"Cache-Control": "no-store"})


def operations(*, mock_mode: bool = False) -> list[Operation]:
    """Signing, its status, one-time codes and remote confirmation links."""
    one = "/api/v1/applications/{id}"
    person = one + "/participants/{pid}"
    link = "/api/v1/confirmations/{token}"

    def op(method, path, handler, summary, **kw):
        return Operation(method=method, path=path, handler=handler, summary=summary, tag="signing", auth=True, **kw)

    def public(method, path, handler, summary, **kw):
        return Operation(method=method, path=path, handler=handler, summary=summary, tag="signing", **kw)

    return [
        op("POST", one + "/signatures", sign_application,
           "Sign the documents in my slot (fresh face check, or attestation plus a one-time code)",
           body=SignRequest, errors=(403, 404, 409, 422, 429)),
        op("GET", one + "/documents/{kind}/signed", download_signed_copy,
           "The signed copy of a document: the binding PDF with every signature so far as PAdES signatures",
           response_type="application/pdf", response={"type": "string", "format": "binary"}, errors=(404,)),
        op("GET", one + "/signatures", get_signatures, "Who must sign, who has signed, who must sign again", errors=(404,)),
        op("POST", person + "/signing-code", request_signing_code, "Send a one-time signing code to my phone",
           body=PhoneRequest, status=201, errors=(404, 409, 422, 429, 503)),
        op("POST", person + "/confirmation-link", create_confirmation_link,
           "A one-time confirmation link for an attested signer without the mini-program",
           body=PhoneRequest, status=201, errors=(404, 409, 422, 503)),
        public("GET", link, get_confirmation, "What a confirmation link's signer signs", errors=(404, 409)),
        public("POST", link + "/code", resend_confirmation_code, "Send a new code for the link", body=Empty,
               status=201, errors=(404, 409, 429, 503)),
        public("POST", link + "/signature", confirm_signature, "Sign with the link and the code from the phone",
               body=ConfirmRequest, errors=(404, 409, 422, 429)),
        *([Operation(method="POST", path="/mock/sms/messages", handler=mock_sms_messages, tag="mock", body=PhoneRequest,
                     summary="Messages the fake SMS gateway sent to a phone", errors=(422,))] if mock_mode else []),
    ]
