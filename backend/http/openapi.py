"""The route registry, from which both the router and the OpenAPI 3.1 document are built."""
from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pydantic
from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Operation:
    """One endpoint: method, path, handler and what the document says about it."""

    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    auth: bool = False
    body: type[pydantic.BaseModel] | None = None
    request_body: dict[str, dict[str, Any]] | None = None  # media type -> schema, for a body that is not JSON
    query: type[pydantic.BaseModel] | None = None
    status: int = 200
    response: dict[str, Any] | None = None
    response_type: str = "application/json"
    errors: tuple[int, ...] = ()
    error_type: str = "application/problem+json"  # pages for people (the console) answer errors as HTML pages

    @property
    def operation_id(self) -> str:
        """A stable operation id derived from the handler's name."""
        return self.handler.__name__


PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "code", "message", "messages"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "stable machine code"},
        "detail": {"type": "string"},
        "message": {"type": "string", "description": "in the language of Accept-Language"},
        "messages": {
            "type": "object",
            "required": ["zh-CN", "zh-HK", "en"],
            "properties": {lang: {"type": "string"} for lang in ("zh-CN", "zh-HK", "en")},
        },
        "instance": {"type": "string"},
        "params": {"type": "object"},
        "errors": {"type": "array", "items": {"type": "object"}},
        "findings": {"type": "array", "items": {"type": "object"}},
    },
}
OBJECT = {"type": "object"}


def _model_schema(model: type[pydantic.BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of `model`, its nested definitions moved to the document's components (where $refs resolve)."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    return schema


def _parameters(op: Operation, components: dict[str, Any]) -> list[dict[str, Any]]:
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", op.path)
    ]
    if op.query is not None:
        schema = _model_schema(op.query, components)
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    return params


def _links(op: Operation, operations: list[Operation]) -> dict[str, Any]:
    """OpenAPI links from an operation that creates an object with an `id` to every operation on that object."""
    properties = (op.response or {}).get("properties", {})
    if op.method != "POST" or op.status != 201 or "id" not in properties or "{" in op.path:
        return {}
    prefix = op.path + "/{id}"
    return {
        other.operation_id: {"operationId": other.operation_id, "parameters": {"path.id": "$response.body#/id"}}
        for other in operations
        if other.path == prefix or other.path.startswith(prefix + "/")
    }


def build_document(operations: list[Operation], *, title: str, version: str) -> dict[str, Any]:
    """An OpenAPI 3.1 document describing every operation."""
    paths: dict[str, dict[str, Any]] = {}
    components: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    for op in operations:
        responses: dict[str, Any] = {
            str(op.status): {"description": "success", "content": {op.response_type: {"schema": op.response or OBJECT}}}
        }
        if links := _links(op, operations):
            responses[str(op.status)]["links"] = links
        statuses = set(op.errors) | {400, 413, 415, 422} if op.body else set(op.errors)
        if op.auth:
            statuses |= {401}
        for status in sorted(statuses | {429}):
            schema = {"$ref": "#/components/schemas/Problem"} if op.error_type.endswith("json") else {"type": "string"}
            responses[str(status)] = {"description": "problem", "content": {op.error_type: {"schema": schema}}}
        entry: dict[str, Any] = {
            "operationId": op.operation_id,
            "summary": op.summary,
            "tags": [op.tag],
            "parameters": _parameters(op, components),
            "responses": responses,
        }
        if op.auth:
            entry["security"] = [{"bearer": []}]
        if op.body is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _model_schema(op.body, components)}},
            }
        elif op.request_body is not None:
            entry["requestBody"] = {
                "required": True, "content": {media: {"schema": schema} for media, schema in op.request_body.items()},
            }
        paths.setdefault(op.path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


def docs_page(document: dict[str, Any]) -> str:
    """A plain, self-contained HTML page listing every operation (no scripts, no external assets)."""
    rows = []
    for path, methods in document["paths"].items():
        for method, entry in methods.items():
            lock = "🔒" if entry.get("security") else ""
            rows.append(
                f"<tr><td><code>{method.upper()}</code></td><td><code>{html.escape(path)}</code></td>"
                f"<td>{html.escape(entry['summary'])}</td><td>{lock}</td></tr>"
            )
    title = html.escape(document["info"]["title"])
    return (
        f"<!doctype html><html lang='en'><meta charset='utf-8'><title>{title}</title>"
        "<style>body{font-family:sans-serif;margin:2em}td{padding:.2em .8em;border-bottom:1px solid #ddd}</style>"
        f"<h1>{title}</h1><p>Machine-readable: <a href='/api/openapi.json'>/api/openapi.json</a>. "
        "Errors are RFC 9457 problems with a stable <code>code</code> and messages in zh-CN, zh-HK and en.</p>"
        f"<table><tr><th>Method</th><th>Path</th><th>What</th><th>Login</th></tr>{''.join(rows)}</table></html>"
    )
