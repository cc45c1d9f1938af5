"""The one HTTP client the backend uses to talk to WeChat (real, or the fake platform in mock mode).

The base URL is configuration: `https://api.weixin.qq.com` for real, `http://127.0.0.1:PORT/mock/wechat`
for the fake. Everything else (paths, bodies, errcodes) is the real protocol.

Rules kept here:
- every answer is parsed as JSON whatever its content type; a missing errcode means 0;
- a non-zero errcode raises `WeChatError` (errcode, errmsg kept as sent); transport failures raise
  `UpstreamError`;
- the access_token comes from `POST /cgi-bin/stable_token` (normal mode, never force_refresh, so several
  processes share one token), is cached until 300 s before its expiry by the injected clock, and one lock
  makes concurrent callers fetch it once;
- on an access_token errcode (40001/40014/41001/42001) the token is dropped, fetched again, and the call
  retried once; a second failure is raised, never looped;
- the app secret and session keys never reach a log line or an exception message (URLs with query
  strings are not logged either, since jscode2session carries the secret in its query).
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from backend.adapters.wechat.errors import WeChatError
from backend.adapters.wechat.protocol import ACCESS_TOKEN_ERRCODES, errcode_of, parse_body
from backend.clock import Clock
from backend.errors import UpstreamError

__all__ = [
    "FaceVerifyTicket",
    "PhoneInfo",
    "SessionInfo",
    "WeChatClient",
    "WeChatError",
]

log = logging.getLogger(__name__)

#: Seconds before its announced expiry that a cached access_token is no longer used.
TOKEN_REFRESH_MARGIN = 300
DEFAULT_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """What jscode2session returns. `session_key` is secret: it is left out of repr."""

    openid: str
    session_key: str = field(repr=False)
    unionid: str | None = None


@dataclass(frozen=True, slots=True)
class PhoneInfo:
    """What getuserphonenumber returns.

    `phone_number` carries the country prefix for foreign numbers; `pure_phone_number` never does.
    """

    phone_number: str
    pure_phone_number: str
    country_code: str
    watermark_timestamp: int | None = None
    watermark_appid: str | None = None


@dataclass(frozen=True, slots=True)
class FaceVerifyTicket:
    """What getverifyid returns: the verify_id the mini-program passes to wx.requestFacialVerify."""

    verify_id: str
    expires_in: int


class WeChatClient:
    """Async client for the WeChat server APIs the backend needs."""

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession,
        base_url: str,
        appid: str,
        secret: str,
        clock: Clock,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self._session = session
        self._base_url = base_url.rstrip("/")
        self._appid = appid
        self._secret = secret
        self._clock = clock
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._token: str | None = None
        self._token_fresh_until = 0.0
        self._token_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"WeChatClient(base_url={self._base_url!r}, appid={self._appid!r})"

    @property
    def appid(self) -> str:
        """The mini-program's appid."""
        return self._appid

    @property
    def base_url(self) -> str:
        """Where WeChat (or the fake) is reached, without a trailing slash."""
        return self._base_url

    # -- login ------------------------------------------------------------------------------------------

    async def code_to_session(self, code: str) -> SessionInfo:
        """Redeem a wx.login code: `GET /sns/jscode2session`.

        Raises WeChatError: 40029 invalid or expired code, 40163 code already used, 45011 quota,
        40226 blocked user, -1 system error (retry with a NEW code).
        """
        path = "/sns/jscode2session"
        body = await self._request(
            "GET",
            path,
            params={
                "appid": self._appid,
                "secret": self._secret,
                "js_code": code,
                "grant_type": "authorization_code",
            },
        )
        self._raise_for_errcode(body, path)
        openid = body.get("openid")
        session_key = body.get("session_key")
        if not isinstance(openid, str) or not openid or not isinstance(session_key, str) or not session_key:
            raise self._malformed(path, "openid or session_key missing")
        unionid = body.get("unionid")
        return SessionInfo(openid=openid, session_key=session_key, unionid=unionid or None)

    # -- access token -----------------------------------------------------------------------------------

    async def access_token(self) -> str:
        """The current access_token: cached, else fetched once (under a lock) from /cgi-bin/stable_token."""
        token = self._fresh_token()
        if token is not None:
            return token
        async with self._token_lock:
            token = self._fresh_token()
            if token is not None:
                return token
            return await self._fetch_token()

    def _fresh_token(self) -> str | None:
        if self._token is not None and self._clock.timestamp() < self._token_fresh_until:
            return self._token
        return None

    async def _fetch_token(self) -> str:
        path = "/cgi-bin/stable_token"
        body = await self._request(
            "POST",
            path,
            json_body={
                "grant_type": "client_credential",
                "appid": self._appid,
                "secret": self._secret,
                "force_refresh": False,
            },
        )
        self._raise_for_errcode(body, path)
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise self._malformed(path, "access_token missing")
        try:
            expires_in = int(body.get("expires_in", 7200))
        except (TypeError, ValueError):
            raise self._malformed(path, "expires_in is not a number") from None
        self._token = token
        # Used for this call even when it lives less than the margin; the next call fetches again.
        self._token_fresh_until = self._clock.timestamp() + expires_in - TOKEN_REFRESH_MARGIN
        log.info("wechat access_token fetched (expires_in=%s)", expires_in)
        return token

    def _forget_token(self, token: str) -> None:
        # Only drop the token that failed: another caller may already have fetched a newer one.
        if self._token == token:
            self._token = None
            self._token_fresh_until = 0.0

    # -- phone number -----------------------------------------------------------------------------------

    async def get_phone_number(self, code: str, openid: str | None = None) -> PhoneInfo:
        """Exchange a getPhoneNumber code: `POST /wxa/business/getuserphonenumber` (JSON body)."""
        path = "/wxa/business/getuserphonenumber"
        payload: dict[str, Any] = {"code": code}
        if openid is not None:
            payload["openid"] = openid
        body = await self._call_with_token("POST", path, payload)
        info = body.get("phone_info")
        if not isinstance(info, Mapping):
            raise self._malformed(path, "phone_info missing")
        phone_number = info.get("phoneNumber")
        pure = info.get("purePhoneNumber")
        if not isinstance(phone_number, str) or not isinstance(pure, str):
            raise self._malformed(path, "phone numbers missing")
        watermark = info.get("watermark") if isinstance(info.get("watermark"), Mapping) else {}
        timestamp = watermark.get("timestamp")
        return PhoneInfo(
            phone_number=phone_number,
            pure_phone_number=pure,
            country_code=str(info.get("countryCode", "")),
            watermark_timestamp=int(timestamp) if isinstance(timestamp, (int, float)) else None,
            watermark_appid=watermark.get("appid"),
        )

    # -- subscribe messages -----------------------------------------------------------------------------

    async def send_subscribe_message(
        self,
        *,
        touser: str,
        template_id: str,
        data: Mapping[str, Any],
        page: str | None = None,
        lang: str | None = None,
        miniprogram_state: str | None = None,
    ) -> None:
        """Send one subscribe message: `POST /cgi-bin/message/subscribe/send`.

        `data` maps keyword names (`thing1`, `time2`, ...) to `{"value": ...}` or to the plain value.
        Raises WeChatError: 43101 the user has no consent left, 40003 invalid openid, 40037 invalid
        template_id, 47003 argument invalid (e.g. a value too long for its keyword type), 41030 invalid page.
        """
        payload: dict[str, Any] = {
            "touser": touser,
            "template_id": template_id,
            "data": {
                key: dict(value) if isinstance(value, Mapping) else {"value": value}
                for key, value in data.items()
            },
        }
        if page is not None:
            payload["page"] = page
        if lang is not None:
            payload["lang"] = lang
        if miniprogram_state is not None:
            payload["miniprogram_state"] = miniprogram_state
        await self._call_with_token("POST", "/cgi-bin/message/subscribe/send", payload)

    # -- face verification (人脸核身 v2) ------------------------------------------------------------------

    async def face_get_verify_id(
        self,
        *,
        out_seq_no: str,
        cert_name: str,
        cert_no: str,
        openid: str,
        cert_type: str = "IDENTITY_CARD",
    ) -> FaceVerifyTicket:
        """Open a face verification: `POST /cityservice/face/identify/getverifyid`."""
        path = "/cityservice/face/identify/getverifyid"
        body = await self._call_with_token(
            "POST",
            path,
            {
                "out_seq_no": out_seq_no,
                "cert_info": {"cert_type": cert_type, "cert_name": cert_name, "cert_no": cert_no},
                "openid": openid,
            },
        )
        verify_id = body.get("verify_id")
        if not isinstance(verify_id, str) or not verify_id:
            raise self._malformed(path, "verify_id missing")
        try:
            expires_in = int(body.get("expires_in", 3600))
        except (TypeError, ValueError):
            raise self._malformed(path, "expires_in is not a number") from None
        return FaceVerifyTicket(verify_id=verify_id, expires_in=expires_in)

    async def face_query_verify_info(self, *, verify_id: str, out_seq_no: str, cert_hash: str, openid: str) -> int:
        """Ask the result of a face verification: `POST /cityservice/face/identify/queryverifyinfo`.

        Returns verify_ret; the verification passed only when it is 10000 (`protocol.FACE_VERIFY_PASS`,
        see `protocol.classify_verify_ret`). Raises WeChatError when WeChat answers with an errcode
        (e.g. cert_hash/openid/out_seq_no not those of getverifyid, unknown or expired verify_id).
        """
        path = "/cityservice/face/identify/queryverifyinfo"
        body = await self._call_with_token(
            "POST",
            path,
            {"verify_id": verify_id, "out_seq_no": out_seq_no, "cert_hash": cert_hash, "openid": openid},
        )
        verify_ret = body.get("verify_ret")
        if isinstance(verify_ret, bool) or not isinstance(verify_ret, (int, str)):
            raise self._malformed(path, "verify_ret missing")
        try:
            return int(verify_ret)
        except ValueError:
            raise self._malformed(path, "verify_ret is not a number") from None

    # -- session check ----------------------------------------------------------------------------------

    async def check_session(self, *, openid: str, signature: str) -> bool:
        """Whether WeChat still considers the user's session_key current: `GET /wxa/checksession`.

        `signature` is `protocol.checksession_signature(session_key)`. Returns False on 87009 (invalid
        signature, i.e. the key was rotated or is wrong); other errcodes raise.
        """
        path = "/wxa/checksession"
        params = {"openid": openid, "signature": signature, "sig_method": "hmac_sha256"}
        body = await self._call_with_token("GET", path, None, params=params, check=False)
        if errcode_of(body) == 87009:
            return False
        self._raise_for_errcode(body, path)
        return True

    # -- transport --------------------------------------------------------------------------------------

    async def _call_with_token(
        self,
        method: str,
        path: str,
        json_body: Mapping[str, Any] | None,
        *,
        params: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> dict[str, Any]:
        """Call an access_token-protected API; on an access_token errcode refresh once and retry once."""
        token = await self.access_token()
        body = await self._request(method, path, params={**(params or {}), "access_token": token}, json_body=json_body)
        if errcode_of(body) in ACCESS_TOKEN_ERRCODES:
            log.info(
                "wechat %s %s: access_token rejected (errcode %s); refreshing once", method, path, errcode_of(body)
            )
            self._forget_token(token)
            token = await self.access_token()
            body = await self._request(
                method, path, params={**(params or {}), "access_token": token}, json_body=json_body
            )
        if check:
            self._raise_for_errcode(body, path)
        return body

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One HTTP exchange; returns the parsed body. Only transport problems raise here."""
        url = self._base_url + path
        data = None
        headers = None
        if json_body is not None:
            # UTF-8 as is (not \u escapes): WeChat shows escapes literally in some APIs.
            data = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers = {"Content-Type": "application/json; charset=utf-8"}
        try:
            async with self._session.request(
                method, url, params=params, data=data, headers=headers, timeout=self._timeout
            ) as response:
                status = response.status
                raw = await response.read()
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            # The exception text may contain the URL with its query (the secret): keep only its type.
            log.warning("wechat %s %s failed: %s", method, path, type(exc).__name__)
            raise UpstreamError(service="wechat", path=path, reason=type(exc).__name__) from None
        if status != 200:
            log.warning("wechat %s %s answered HTTP %s", method, path, status)
            raise UpstreamError(service="wechat", path=path, reason=f"HTTP {status}")
        try:
            body = parse_body(raw)
            errcode_of(body)
        except (ValueError, TypeError):
            raise self._malformed(path, "answer is not a JSON object with a numeric errcode") from None
        return body

    def _raise_for_errcode(self, body: Mapping[str, Any], path: str) -> None:
        errcode = errcode_of(body)
        if errcode != 0:
            errmsg = body.get("errmsg")
            errmsg = errmsg if isinstance(errmsg, str) else str(errmsg)
            log.info("wechat %s: errcode %s (%s)", path, errcode, errmsg)
            raise WeChatError(errcode, errmsg)

    @staticmethod
    def _malformed(path: str, reason: str) -> UpstreamError:
        log.warning("wechat %s: malformed answer: %s", path, reason)
        return UpstreamError(service="wechat", path=path, reason=reason)
