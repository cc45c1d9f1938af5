"""Login with a WeChat code, and token refresh."""
from __future__ import annotations

from aiohttp import web

from backend.http.responses import json_response

from backend.http.openapi import Operation
from backend.http.ratelimit import limit
from backend.http.request import parse_body
from backend.http.schemas import RefreshRequest, WeChatLogin
from backend.keys import SERVICES
from backend.services import auth
from backend.services.tokens import TokenPair

TOKEN_SCHEMA = {
    "type": "object",
    "required": ["access_token", "token_type", "expires_in", "refresh_token", "refresh_expires_in", "user"],
    "properties": {
        "access_token": {"type": "string"},
        "token_type": {"const": "Bearer"},
        "expires_in": {"type": "integer"},
        "refresh_token": {"type": "string"},
        "refresh_expires_in": {"type": "integer"},
        "user": {"type": "object", "properties": {"id": {"type": "string"}}},
    },
}


def _tokens(pair: TokenPair) -> web.Response:
    return json_response(
        {
            "access_token": pair.access_token,
            "token_type": "Bearer",
            "expires_in": pair.expires_in,
            "refresh_token": pair.refresh_token,
            "refresh_expires_in": pair.refresh_expires_in,
            "user": {"id": pair.user_id},
        },
        headers={"Cache-Control": "no-store"},
    )


async def wechat_login(request: web.Request) -> web.Response:
    await limit(request, "login")
    body = await parse_body(request, WeChatLogin)
    return _tokens(await auth.wechat_login(request.config_dict[SERVICES], code=body.code))


async def refresh_token(request: web.Request) -> web.Response:
    body = await parse_body(request, RefreshRequest)
    return _tokens(await auth.refresh(request.config_dict[SERVICES], refresh_token=body.refresh_token))


def operations() -> list[Operation]:
    """The auth endpoints."""
    return [
        Operation(method="POST", path="/api/v1/auth/wechat-login", handler=wechat_login, tag="auth", body=WeChatLogin,
                  summary="Log in with a wx.login code", response=TOKEN_SCHEMA, errors=(401, 403, 502)),
        Operation(method="POST", path="/api/v1/auth/refresh", handler=refresh_token, tag="auth", body=RefreshRequest,
                  summary="Rotate a refresh token", response=TOKEN_SCHEMA, errors=(401,)),
    ]
