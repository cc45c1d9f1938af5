"""RFC 9457 problem details for every error, with a stable code and messages in zh-CN, zh-HK and en."""
from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from backend.http.responses import json_response

from backend.errors import KaibanError
from backend.i18n import messages, negotiate
from backend.keys import SETTINGS

log = logging.getLogger(__name__)
PROBLEM_TYPE = "application/problem+json"
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


def language(request: web.Request) -> str:
    """The response language negotiated from Accept-Language."""
    return negotiate(request.headers.get("Accept-Language"))


def problem(
    request: web.Request, *, status: int, code: str, params: dict[str, Any] | None = None, **extra: Any
) -> web.Response:
    """Build a problem+json response."""
    texts = messages(code, params or {})
    lang = language(request)
    body: dict[str, Any] = {
        "type": f"https://kaiban.example/problems/{code}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "code": code,
        "detail": texts[lang],
        "message": texts[lang],
        "messages": texts,
        "instance": request.path,
    }
    if params:
        body["params"] = {k: v if isinstance(v, (int, float, bool, list)) or v is None else str(v) for k, v in params.items()}
    body.update(extra)
    headers = {"Content-Language": lang}
    if status == 429 and params and "retry_after" in params:
        headers["Retry-After"] = str(params["retry_after"])
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="kaiban"'
    return json_response(body, status=status, content_type=PROBLEM_TYPE, headers=headers)


def from_error(request: web.Request, error: KaibanError) -> web.Response:
    """Render a KaibanError (and the findings of a failed check) as a problem."""
    extra: dict[str, Any] = {}
    findings = getattr(error, "findings", None)
    if findings is not None:
        extra["findings"] = [finding.to_dict(language(request)) for finding in findings]
    errors = getattr(error, "errors", None)
    if errors is not None:
        extra["errors"] = errors
    return problem(request, status=error.status, code=error.code, params=error.params, **extra)


_HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}


@web.middleware
async def problem_middleware(request: web.Request, handler) -> web.StreamResponse:
    """Turn every error into a problem: domain errors as they are, HTTP errors by status, anything else a 500."""
    try:
        return await handler(request)
    except KaibanError as error:
        if error.status >= 500:
            log.error("error %s on %s %s: %s", error.code, request.method, request.path, error.params)
        return from_error(request, error)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = _HTTP_CODES.get(exc.status, "bad_request")
        params: dict[str, Any] = {}
        if exc.status == 405:
            params["method"] = request.method
        if exc.status == 413:
            params["limit"] = request.config_dict[SETTINGS].max_body_bytes
        return problem(request, status=exc.status, code=code, params=params)
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem(request, status=500, code="internal_error")
