"""One error base class for the service; every error carries a stable code and the values that failed."""
from __future__ import annotations

from typing import Any


class KaibanError(Exception):
    """Base of every error the service reports to a user.

    `code` is a stable machine code that is also the key of the message catalogue
    (`backend/i18n/*.json`); `params` fill the message placeholders and are returned to the client;
    `status` is the HTTP status the error maps to.
    """

    status: int = 400
    default_code: str = "bad_request"

    def __init__(self, code: str | None = None, /, *, status: int | None = None, **params: Any) -> None:
        self.code = code or self.default_code
        if status is not None:
            self.status = status
        self.params = params
        super().__init__(f"{self.code}: {params}" if params else self.code)


class InvalidInput(KaibanError):
    """The request is well formed but a value is not acceptable (422)."""

    status = 422
    default_code = "invalid_input"


class BadRequest(KaibanError):
    """The request cannot be read (400)."""

    status = 400
    default_code = "bad_request"


class Unauthorized(KaibanError):
    """No valid credentials (401)."""

    status = 401
    default_code = "unauthorized"


class Forbidden(KaibanError):
    """Valid credentials that do not allow this (403)."""

    status = 403
    default_code = "forbidden"


class NotFound(KaibanError):
    """The resource does not exist or is not visible to the caller (404)."""

    status = 404
    default_code = "not_found"


class Conflict(KaibanError):
    """The request conflicts with the current state, e.g. a step out of order (409)."""

    status = 409
    default_code = "conflict"


class TooManyRequests(KaibanError):
    """A rate limit was reached (429)."""

    status = 429
    default_code = "rate_limited"


class UpstreamError(KaibanError):
    """An outside service (WeChat, ...) failed or answered with an error (502)."""

    status = 502
    default_code = "upstream_error"


class CheckFailed(InvalidInput):
    """A rule check found errors; `findings` (domain Finding objects) say which, where and what to do instead."""

    default_code = "check_failed"

    def __init__(self, code: str | None = None, /, *, findings: list, **params: Any) -> None:
        super().__init__(code, **params)
        self.findings = list(findings)
