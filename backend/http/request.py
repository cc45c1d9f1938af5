"""Reading requests: JSON bodies validated by pydantic models, query values, the caller's identity."""
from __future__ import annotations

import json
import re
from typing import Any, TypeVar

import pydantic
from aiohttp import web

from backend.errors import BadRequest, InvalidInput, KaibanError, Unauthorized
from backend.keys import SERVICES

Model = TypeVar("Model", bound=pydantic.BaseModel)
JSON_TYPES = ("application/json",)
# C0 controls but tab, line feed and carriage return, and DEL: never in a name, an address or a reason, and NUL is
# refused by PostgreSQL's text columns (a 500 there if it got that far)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters(value: Any, *, field: str = "") -> None:
    """422 `text_control_character` for a control character in any string (or key) of a JSON value or query."""
    stack = [(field, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if CONTROL.search(item):
                raise InvalidInput("text_control_character", field=where or "body")
        elif isinstance(item, dict):
            for key, child in item.items():
                name = f"{where}.{key}" if where else str(key)
                if CONTROL.search(str(key)):
                    raise InvalidInput("text_control_character", field=where or "body")
                stack.append((name, child))
        elif isinstance(item, list):
            stack.extend((f"{where}.{index}" if where else str(index), child) for index, child in enumerate(item))


class ValidationFailed(InvalidInput):
    """A body that does not match its schema; `errors` lists each field."""

    default_code = "validation_failed"

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__()
        self.errors = errors


def _field_errors(exc: pydantic.ValidationError) -> list[dict[str, Any]]:
    out = []
    for error in exc.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in error["loc"]) or "body"
        out.append({"field": field, "code": error["type"], "reason": error["msg"]})
    return out


async def read_json(request: web.Request) -> Any:
    """The JSON body; 415 for another content type, 400 for malformed JSON, 413 past the size limit."""
    if request.content_type not in JSON_TYPES:
        raise KaibanError(
            "unsupported_media_type", status=415, content_type=request.content_type or "(none)", expected="application/json"
        )
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise BadRequest("malformed_json", detail=str(exc)[:200]) from None
    refuse_control_characters(data)
    return data


async def parse_body(request: web.Request, model: type[Model]) -> Model:
    """The JSON body validated as `model`."""
    data = await read_json(request)
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationFailed(_field_errors(exc)) from None


def parse_query(request: web.Request, model: type[Model]) -> Model:
    """The query string validated as `model`."""
    refuse_control_characters(dict(request.query))
    try:
        return model.model_validate(dict(request.query))
    except pydantic.ValidationError as exc:
        raise ValidationFailed(_field_errors(exc)) from None


def current_user(request: web.Request) -> str:
    """The user id of a valid `Authorization: Bearer` access token, or 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return request.config_dict[SERVICES].tokens.verify_access(token.strip())
