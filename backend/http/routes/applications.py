"""The formation steps of an application, each a thin handler over its use case."""
from __future__ import annotations

from aiohttp import web

from backend.http.responses import json_response

from backend.http.openapi import Operation
from backend.http.problems import language
from backend.http.ratelimit import limit
from backend.http.request import current_user, parse_body
from backend.http.schemas import CreateApplication, DetailsRequest, Empty, IdentityRequest, NameRequest
from backend.keys import SERVICES
from backend.models import Application
from backend.services import applications, details, documents, identity, names, review
from backend.services.records import iso
from backend.services.steps import load_owned
from backend.services.views import application_view, document_view, timeline


async def _view(request: web.Request, application: Application) -> dict:
    fresh = await Application.get(id=application.id)
    return await application_view(request.config_dict[SERVICES], fresh, lang=language(request))


def _face(check) -> dict:
    return {"verify_id": check.verify_id, "expires_in": int((check.expires_at - check.created_at).total_seconds()),
            "expires_at": iso(check.expires_at)}


async def create_application(request: web.Request) -> web.Response:
    user = current_user(request)
    body = await parse_body(request, CreateApplication)
    created = await applications.create_application(request.config_dict[SERVICES], user_id=user, entity_type=body.entity_type)
    return json_response(await _view(request, created), status=201, headers={"Location": f"/api/v1/applications/{created.id}"})


async def list_applications(request: web.Request) -> web.Response:
    user = current_user(request)
    items = [await _view(request, a) for a in await applications.list_applications(user_id=user)]
    return json_response({"items": items})


async def get_application(request: web.Request) -> web.Response:
    user = current_user(request)
    return json_response(await _view(request, await load_owned(user, request.match_info["id"])))


async def withdraw_application(request: web.Request) -> web.Response:
    user = current_user(request)
    await parse_body(request, Empty)
    done = await applications.withdraw_application(request.config_dict[SERVICES], user_id=user, application_id=request.match_info["id"])
    return json_response(await _view(request, done))


async def put_identity(request: web.Request) -> web.Response:
    user = current_user(request)
    body = await parse_body(request, IdentityRequest)
    application, check = await identity.submit_identity(
        request.config_dict[SERVICES], user_id=user, application_id=request.match_info["id"],
        name=body.name, document_type=body.document_type, document_number=body.document_number,
    )
    return json_response({"application": await _view(request, application), "face_check": _face(check) if check else None})


async def start_face_check(request: web.Request) -> web.Response:
    user = current_user(request)
    await parse_body(request, Empty)
    check = await identity.start_face_check(request.config_dict[SERVICES], user_id=user, application_id=request.match_info["id"])
    return json_response(_face(check), status=201)


async def face_check_result(request: web.Request) -> web.Response:
    user = current_user(request)
    check, application = await identity.complete_face_check(
        request.config_dict[SERVICES], user_id=user, application_id=request.match_info["id"],
        verify_id=request.match_info["verify_id"],
    )
    return json_response({"status": check.status, "passed_at": iso(check.passed_at) if check.passed_at else None,
                              "application": await _view(request, application)})


async def put_name(request: web.Request) -> web.Response:
    user = current_user(request)
    body = await parse_body(request, NameRequest)
    application, claim, warnings = await names.reserve(
        request.config_dict[SERVICES], user_id=user, application_id=request.match_info["id"], name=body.name,
        pre_approval=body.pre_approval, exceptions=body.related_usccs,
    )
    return json_response({"application": await _view(request, application),
                          "reservation": {"name": claim.name, "expires_at": iso(claim.expires_at),
                                          "pre_approval": claim.pre_approval},
                          "warnings": [f.to_dict(language(request)) for f in warnings]})


async def put_details(request: web.Request) -> web.Response:
    user = current_user(request)
    body = await parse_body(request, DetailsRequest)
    application = await details.complete_details(
        request.config_dict[SERVICES], user_id=user, application_id=request.match_info["id"], address=body.address,
        business_scope=body.business_scope, registered_capital_cny=body.registered_capital_cny,
        contribution_deadline=body.contribution_deadline, liaison_phone=body.liaison_phone,
    )
    return json_response(await _view(request, application))


async def generate_documents(request: web.Request) -> web.Response:
    user = current_user(request)
    await limit(request, "rendering", user=user)
    await parse_body(request, Empty)
    application, docs = await documents.generate(request.config_dict[SERVICES], user_id=user, application_id=request.match_info["id"])
    return json_response({"application": await _view(request, application), "documents": [document_view(application, d) for d in docs]})


async def download_document(request: web.Request) -> web.Response:
    user = current_user(request)
    document, pdf = await documents.read_pdf(request.config_dict[SERVICES], user_id=user, application_id=request.match_info["id"], kind=request.match_info["kind"])
    return web.Response(body=pdf, content_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{document.kind}.pdf"', "Digest": f"sha-256={document.sha256}",
                                 "Cache-Control": "private, no-store"})


async def preview_document(request: web.Request) -> web.Response:
    user = current_user(request)
    await limit(request, "rendering", user=user)
    content_type, body = await documents.preview(
        request.config_dict[SERVICES], user_id=user, application_id=request.match_info["id"], kind=request.match_info["kind"],
        lang=request.query.get("lang", "zh-CN"), fmt=request.query.get("format", "pdf"))
    return web.Response(body=body, content_type=content_type, headers={"Cache-Control": "private, no-store"})


async def submit_application(request: web.Request) -> web.Response:
    user = current_user(request)
    await parse_body(request, Empty)
    application = await review.submit(request.config_dict[SERVICES], user_id=user, application_id=request.match_info["id"])
    return json_response(await _view(request, application))


async def application_timeline(request: web.Request) -> web.Response:
    user = current_user(request)
    application = await load_owned(user, request.match_info["id"])
    return json_response({"items": await timeline(application)})


NULLABLE_OBJECT = {"type": ["object", "null"]}
APPLICATION_SCHEMA = {
    "type": "object",
    "required": ["id", "state", "entity_type", "next_step", "identity", "name_reservation", "documents", "signatures",
                 "licence", "created_at", "updated_at", "links"],
    "properties": {
        "id": {"type": "string"}, "state": {"type": "string"}, "entity_type": {"type": "string"},
        "company_name": {"type": ["string", "null"]}, "next_step": {"type": ["string", "null"]},
        "ledger_index": {"type": ["integer", "null"]}, "identity": NULLABLE_OBJECT, "name_reservation": NULLABLE_OBJECT,
        "details": NULLABLE_OBJECT, "documents": {"type": "array", "items": {"type": "object"}},
        "signatures": {"type": "array", "items": {"type": "object"}}, "review": NULLABLE_OBJECT,
        "licence": NULLABLE_OBJECT, "created_at": {"type": "string"}, "updated_at": {"type": "string"},
        "links": {"type": "object", "required": ["self", "timeline"]},
    },
}
STEP_SCHEMA = {"type": "object", "required": ["application"], "properties": {"application": APPLICATION_SCHEMA}}
LIST_SCHEMA = {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": APPLICATION_SCHEMA}}}


def operations() -> list[Operation]:
    """The formation endpoints."""
    base = "/api/v1/applications"
    one = base + "/{id}"
    step_errors = (404, 409, 422)

    def op(method, path, handler, summary, **kw):
        return Operation(method=method, path=path, handler=handler, summary=summary, tag="applications", auth=True, **kw)

    return [
        op("POST", base, create_application, "Start a formation", body=CreateApplication, status=201,
           response=APPLICATION_SCHEMA),
        op("GET", base, list_applications, "My applications", response=LIST_SCHEMA),
        op("GET", one, get_application, "One application", errors=(404,), response=APPLICATION_SCHEMA),
        op("POST", one + "/withdraw", withdraw_application, "Withdraw a draft", body=Empty, errors=(404, 409),
           response=APPLICATION_SCHEMA),
        op("PUT", one + "/identity", put_identity, "Founder identity; opens a face check", body=IdentityRequest,
           errors=(*step_errors, 403, 502), response=STEP_SCHEMA),  # 403: no identity consent yet
        op("POST", one + "/face-checks", start_face_check, "Open a new face check", body=Empty, status=201, errors=(403, 404, 409, 502)),
        op("POST", one + "/face-checks/{verify_id}/result", face_check_result, "Fetch a face check's result", errors=(*step_errors, 502)),
        op("PUT", one + "/name", put_name, "Declare and reserve the company name", body=NameRequest, errors=step_errors,
           response=STEP_SCHEMA),
        op("PUT", one + "/details", put_details, "Address, business scope, capital", body=DetailsRequest, errors=step_errors,
           response=APPLICATION_SCHEMA),
        op("POST", one + "/documents", generate_documents, "Generate the binding documents", body=Empty, errors=step_errors,
           response=STEP_SCHEMA),
        op("GET", one + "/documents/{kind}", download_document, "Download a document (PDF)", response_type="application/pdf",
           response={"type": "string", "format": "binary"}, errors=(404,)),
        op("GET", one + "/documents/{kind}/preview", preview_document,
           "Preview a document from the current data: ?lang=zh-CN|zh-HK|en (zh-HK and en are non-binding translations), "
           "?format=pdf|json (canonical RFC 8785 JSON)", response_type="application/pdf",
           response={"type": "string", "format": "binary"}, errors=(404, 409, 422)),
        op("POST", one + "/submit", submit_application, "Submit for review; machine review and licence follow", body=Empty,
           errors=step_errors, response=APPLICATION_SCHEMA),
        op("GET", one + "/timeline", application_timeline, "Recorded steps with ledger indexes", errors=(404,)),
    ]
