"""The officers' web console: server-rendered pages over the same services as the officers' API. The session is the
officer's token in an HttpOnly, SameSite=Strict cookie (never readable by scripts, never sent from other sites), and
every form carries a CSRF token bound to that session (the log-in form one bound to a pre-session cookie)."""
from __future__ import annotations

import functools
import hmac
import html
import secrets

import pydantic
from aiohttp import web

from backend.errors import Forbidden, KaibanError, NotFound, TooManyRequests, Unauthorized
from backend.http import console_html as ui
from backend.http.openapi import Operation
from backend.http.request import ValidationFailed, _field_errors
from backend.http.routes.officer import LicenceStatusChange, ReviewDecision, officer_for_token
from backend.i18n import LANGUAGES, negotiate
from backend.keys import SERVICES, SETTINGS
from backend.models import Application, AuditEvent, Delivery, Licence
from backend.services.licence_status import change_licence_status
from backend.services.notifications import redeliver
from backend.services.officer_review import decide, open_for_review, review_queue
from backend.services.officers import OFFICER_TOKEN_TTL, audit, officer_login
from backend.services.steps import parse_id
from backend.services.views import timeline

SESSION, LOGIN_CSRF, LANG = "kaiban_console", "kaiban_console_login", "kaiban_console_lang"
HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
           "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                      "frame-ancestors 'none'"}


def _lang(request: web.Request) -> str:
    wanted = request.query.get("lang") or request.cookies.get(LANG)
    if wanted in LANGUAGES:
        return wanted
    return negotiate(request.headers.get("Accept-Language"))


def _respond(request: web.Request, text: str, *, status: int = 200) -> web.Response:
    response = web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers=HEADERS)
    if request.query.get("lang") in LANGUAGES:
        response.set_cookie(LANG, request.query["lang"], path="/console", samesite="Strict", httponly=True)
    return response


def _cookie_flags(request: web.Request) -> dict:
    secure = request.secure or not request.config_dict[SETTINGS].mock_mode
    return {"path": "/console", "httponly": True, "samesite": "Strict", "secure": secure}


def _csrf_for(request: web.Request, token: str) -> str:
    return request.config_dict[SERVICES].sealer.lookup_hash(token, purpose="console-csrf")[:32]


def page(handler):
    """Render a console handler's KaibanError as an HTML page in the officer's language, with its status."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except KaibanError as error:
            view = ui.Page(lang=_lang(request))
            back = '<a href="/console/login">' + view.t("login") + "</a>" if error.status == 401 else \
                '<a href="javascript:history.back()">' + view.t("back") + "</a>"
            body = f'<p class="error">{view.message(error.code, error.params)}</p><p>{back}</p>'
            return _respond(request, view.frame(title=view.t("error"), body=body), status=error.status)

    return wrapped


async def _session(request: web.Request, *, role: str | None, form: bool = False):
    """The officer of the session cookie (401 without one) holding `role`, the page, and a POST's checked form."""
    token = request.cookies.get(SESSION, "")
    if not token:
        raise Unauthorized()
    officer = await officer_for_token(request, token, role=role)
    csrf = _csrf_for(request, token)
    data = None
    if form:
        data = await _posted(request)
        if not hmac.compare_digest(str(data.get("csrf", "")), csrf):
            raise Forbidden("console_csrf_invalid")
    return officer, ui.Page(lang=_lang(request), csrf=csrf), data


async def _posted(request: web.Request):
    """The submitted form; only an urlencoded form is taken (anything else, a broken multipart body, is refused)."""
    if request.content_type != "application/x-www-form-urlencoded":
        raise KaibanError("unsupported_media_type", status=415, content_type=request.content_type[:64] or "(none)",
                          expected="application/x-www-form-urlencoded")
    try:
        return await request.post()
    except (KeyError, ValueError, RuntimeError):
        raise KaibanError("console_form_malformed", status=400) from None


def _validated(model, values: dict):
    try:
        return model.model_validate(values)
    except pydantic.ValidationError as exc:
        raise ValidationFailed(_field_errors(exc)) from None


@page
async def login_page(request: web.Request) -> web.Response:
    nonce = request.cookies.get(LOGIN_CSRF) or secrets.token_urlsafe(24)
    view = ui.Page(lang=_lang(request), csrf=nonce)
    response = _respond(request, view.frame(title=view.t("login"), body=ui.login_form(view)))
    response.set_cookie(LOGIN_CSRF, nonce, max_age=3600, **_cookie_flags(request))
    return response


@page
async def login(request: web.Request) -> web.StreamResponse:
    form = await _posted(request)
    nonce = request.cookies.get(LOGIN_CSRF, "")
    if not nonce or not hmac.compare_digest(str(form.get("csrf", "")), nonce):
        raise Forbidden("console_csrf_invalid")
    svc = request.config_dict[SERVICES]
    try:
        officer = await officer_login(username=str(form.get("username", ""))[:64],
                                      password=str(form.get("password", ""))[:256],
                                      totp_code=str(form.get("totp", ""))[:10], sealer=svc.sealer, clock=svc.clock)
    except (Unauthorized, TooManyRequests) as error:
        view = ui.Page(lang=_lang(request), csrf=nonce)
        body = ui.login_form(view, error=view.message(error.code, error.params))
        return _respond(request, view.frame(title=view.t("login"), body=body), status=error.status)
    token = svc.tokens.issue_officer(str(officer.id), roles=list(officer.roles), ttl=OFFICER_TOKEN_TTL)
    home = "/console/queue" if "reviewer" in officer.roles else "/console/audit"
    response = web.Response(status=303, headers={"Location": home, "Cache-Control": "no-store"})
    response.set_cookie(SESSION, token, max_age=OFFICER_TOKEN_TTL, **_cookie_flags(request))
    response.del_cookie(LOGIN_CSRF, path="/console")
    return response


@page
async def logout(request: web.Request) -> web.StreamResponse:
    officer, _, _ = await _session(request, role=None, form=True)
    await audit(clock=request.config_dict[SERVICES].clock, actor=f"officer:{officer.username}", action="console_logout")
    response = web.Response(status=303, headers={"Location": "/console/login"})
    response.del_cookie(SESSION, path="/console")
    return response


@page
async def queue_page(request: web.Request) -> web.Response:
    officer, view, _ = await _session(request, role="reviewer")
    items = await review_queue(lang=view.lang)
    rows = [[ui.cell(i["company_name"]), ui.cell(i["waiting_since"]),
             ui.cell("; ".join(r["message"] for r in i["reasons"])),
             f'<td><a href="/console/applications/{html.escape(i["id"])}">{view.t("open")}</a></td>'] for i in items]
    body = ui.table([view.t("company"), view.t("waiting_since"), view.t("reasons"), ""], rows) if rows else \
        f"<p>{view.t('queue.empty')}</p>"
    return _respond(request, view.frame(title=view.t("queue"), body=body, officer=officer))


@page
async def application_page(request: web.Request) -> web.Response:
    officer, view, _ = await _session(request, role="reviewer")
    svc = request.config_dict[SERVICES]
    opened = await open_for_review(svc, application_id=request.match_info["id"], officer=officer.username,
                                   lang=view.lang)  # the view of clear personal data is audited
    application = await Application.get(id=parse_id(opened["id"]))
    details = opened.get("details") or {}
    facts = [(view.t("company"), opened["company_name"]), (view.t("state"), opened["state"])]
    facts += [(html.escape(key), value if isinstance(value, str) else "；".join(map(str, value))
               if isinstance(value, list) else value) for key, value in details.items()]
    if opened.get("time_to_licence"):
        facts.append((view.t("time_to_licence"), opened["time_to_licence"]["seconds"]))
    body = ui.table([view.t("details"), ""], [[f"<th>{k}</th>", ui.cell(v)] for k, v in facts])
    people = [[ui.cell(p["name"]), ui.cell(", ".join(p["roles"])), ui.cell(p["document_number"])]
              for p in opened.get("participants", [])]
    body += f"<h2>{view.t('participants')}</h2>" + ui.table([view.t("name"), view.t("role"),
                                                                view.t("document_number")], people)
    reasons = [r["message"] for r in opened.get("reasons", [])] + list((opened.get("review") or {}).get("reasons", []))
    if reasons:
        body += f"<h2>{view.t('reasons')}</h2><ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in reasons) + "</ul>"
    steps = [[ui.cell(s["step"]), ui.cell(s["at"])] for s in await timeline(application)]
    body += f"<h2>{view.t('timeline')}</h2>" + ui.table([view.t("step"), view.t("at")], steps)
    if application.state == "in_review":
        body += ui.decision_forms(view, application_id=opened["id"])
    licence = await Licence.get_or_none(application_id=application.id)
    if licence is not None:
        body += (f'<h2>{view.t("licence")}</h2><p><a href="/licences/{html.escape(licence.uscc)}">'
                 f'{html.escape(licence.uscc)}</a> ({html.escape(licence.status)})</p>')
        if licence.status != "deregistered":
            body += ui.licence_form(view, uscc=licence.uscc)
    title = f"{view.t('application')} {html.escape(opened['company_name'] or '')}"
    return _respond(request, view.frame(title=title, body=body, officer=officer))


@page
async def decision(request: web.Request) -> web.StreamResponse:
    officer, _, form = await _session(request, role="reviewer", form=True)
    reasons = [line.strip() for line in str(form.get("reasons", "")).splitlines() if line.strip()]
    chosen = _validated(ReviewDecision, {"decision": form.get("decision"), "reasons": reasons})
    application = await decide(request.config_dict[SERVICES], application_id=request.match_info["id"],
                               decision=chosen.decision, reasons=list(chosen.reasons), officer=officer.username)
    raise web.HTTPSeeOther(f"/console/applications/{application.id}")


@page
async def licence_status(request: web.Request) -> web.StreamResponse:
    officer, _, form = await _session(request, role="reviewer", form=True)
    change = _validated(LicenceStatusChange, {"status": form.get("status"), "reason": form.get("reason")})
    licence = await change_licence_status(request.config_dict[SERVICES], uscc=request.match_info["uscc"],
                                          status=change.status, reason=change.reason, officer=officer.username)
    raise web.HTTPSeeOther(f"/console/applications/{licence.application_id}")


@page
async def audit_page(request: web.Request) -> web.Response:
    officer, view, _ = await _session(request, role="admin")
    events = await AuditEvent.all().order_by("-id").limit(200)
    rows = [[ui.cell(e.at.isoformat()), ui.cell(e.actor), ui.cell(e.action), ui.cell(e.target), ui.cell(e.outcome),
             ui.cell(e.details.get("reason") or "; ".join(e.details.get("reasons", [])) if e.details else "")]
            for e in events]
    headers = [view.t(k) for k in ("at", "actor", "action", "target", "outcome", "reason")]
    return _respond(request, view.frame(title=view.t("audit"), body=ui.table(headers, rows), officer=officer))


@page
async def deliveries_page(request: web.Request) -> web.Response:
    officer, view, _ = await _session(request, role="admin")
    rows = await Delivery.all().order_by("-id").limit(200).prefetch_related("subscriber")
    cells = [[ui.cell(d.created_at.isoformat()), ui.cell(d.subscriber.name), ui.cell(d.event_type),
              ui.cell(d.status), ui.cell(d.attempts), ui.cell(d.last_error),
              f"<td>{ui.retry_form(view, delivery_id=d.id) if d.status == 'failed' else ''}</td>"] for d in rows]
    headers = [view.t(k) for k in ("at", "subscriber", "event", "outcome", "attempts", "error")] + [""]
    return _respond(request, view.frame(title=view.t("deliveries"), body=ui.table(headers, cells), officer=officer))


@page
async def retry_delivery(request: web.Request) -> web.StreamResponse:
    officer, _, _ = await _session(request, role="admin", form=True)
    try:
        delivery_id = int(request.match_info["delivery"])
    except ValueError:
        raise NotFound("delivery_not_found", id=request.match_info["delivery"]) from None
    clock = request.config_dict[SERVICES].clock
    delivery = await redeliver(delivery_id=delivery_id, clock=clock)
    await audit(clock=clock, actor=f"officer:{officer.username}", action="delivery_retry",
                target=f"delivery:{delivery.id}")
    raise web.HTTPSeeOther("/console/deliveries")


def operations() -> list[Operation]:
    """The console's pages and forms (HTML; the session cookie, not a bearer token, opens them)."""
    def op(method, path, handler, summary, **kw):
        if method == "POST":  # a form: refused when it is not urlencoded (415) or cannot be read (400)
            kw["errors"] = (*kw.get("errors", ()), 400, 415)
        return Operation(method=method, path=path, handler=handler, summary=summary, tag="console",
                         response_type="text/html", response={"type": "string"}, error_type="text/html", **kw)

    return [
        op("GET", "/console/login", login_page, "Console: the log-in form"),
        op("POST", "/console/login", login, "Console: log in with password and TOTP code (sets the session cookie)",
           errors=(401, 403, 429)),
        op("POST", "/console/logout", logout, "Console: log out", errors=(401, 403)),
        op("GET", "/console/queue", queue_page, "Console: the review queue (reviewers)", errors=(401, 403)),
        op("GET", "/console/applications/{id}", application_page,
           "Console: an application in clear, audited, with the decision forms (reviewers)", errors=(401, 403, 404)),
        op("POST", "/console/applications/{id}/decision", decision,
           "Console: approve, reject with reasons or ask for information (reviewers)",
           errors=(401, 403, 404, 409, 422)),
        op("POST", "/console/licences/{uscc}/status", licence_status,
           "Console: revoke or deregister a licence with a reason (reviewers)", errors=(401, 403, 404, 409, 422)),
        op("GET", "/console/audit", audit_page, "Console: the audit trail (admins)", errors=(401, 403)),
        op("GET", "/console/deliveries", deliveries_page, "Console: the webhook delivery log (admins)",
           errors=(401, 403)),
        op("POST", "/console/deliveries/{delivery}/retry", retry_delivery,
           "Console: send a delivery that failed for good again (admins)", errors=(401, 403, 404)),
    ]
