"""The fake WeChat platform: an aiohttp sub-application answering like api.weixin.qq.com.

Mounted by the main app ONLY in mock mode::

    app.add_subapp("/mock/wechat", create_fake_wechat_app(clock=clock, appid=appid, secret=secret))

so that the backend's `WeChatClient` with base URL `http://127.0.0.1:PORT/mock/wechat` talks to it exactly
as to the real platform. Paths relative to the mount:

Real protocol (errors are HTTP 200 `{"errcode", "errmsg": "..., rid: ..."}`; rules in `fake_state`):
    GET  /sns/jscode2session                       answered as text/plain, like the real one
    GET  /cgi-bin/token
    POST /cgi-bin/stable_token
    POST /wxa/business/getuserphonenumber           a body that is not a JSON object (e.g. form-encoded): 47001
    POST /cgi-bin/message/subscribe/send
    POST /cityservice/face/identify/getverifyid
    POST /cityservice/face/identify/queryverifyinfo
    GET  /wxa/checksession
  POST-only APIs called with GET answer 43002. Unknown query parameters are ignored (wechatpy adds
  access_token everywhere).

Simulation ("play the phone"), JSON in and out, bad input -> HTTP 400 `{"error": "bad_simulation_input",
"detail": ...}`:
    POST /simulate/login-code         {"appid", "user"} -> {"code", "openid"}
    POST /simulate/phone-code         {"appid", "user", "phone", "country_code"?: 86} -> {"code"}
    POST /simulate/face               {"appid", "user", "outcome": "pass"|"cancel"|"timeout"|"mismatch"}
                                      -> {"ok": true, "pending": n}; scripts the user's n pending
                                      verifications, or, when none is pending, the next one getverifyid
                                      opens. Unscripted, a verification is "not done yet":
                                      queryverifyinfo answers 84003 (84002 once its 3600 s are over).
    POST /simulate/subscribe-consent  {"appid", "user", "template_id", "count"?: 1} -> {"ok": true, "remaining"}
    GET  /simulate/messages?appid=&user=  -> {"openid", "messages": [{touser, template_id, page, data,
                                      miniprogram_state, lang, sent_at}, ...]}
    POST /simulate/fail-next          {"path": "/sns/jscode2session", "errcode"?: -1, "count"?: 1}
                                      -> {"ok": true}; the next calls of that API answer that errcode
"""
from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from backend.adapters.wechat.fake_state import ApiError, FakeWeChatState, SimulationError
from backend.clock import Clock

#: The state of a fake platform application (tests and the mock tooling may read it).
FAKE_WECHAT_STATE: web.AppKey[FakeWeChatState] = web.AppKey("fake_wechat_state", FakeWeChatState)

JSON_TYPE = "application/json"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def create_fake_wechat_app(
    *, clock: Clock, appid: str, secret: str, state: FakeWeChatState | None = None
) -> web.Application:
    """Build the fake platform sub-application, with `appid`/`secret` registered.

    Pass `state` to share one `FakeWeChatState` (e.g. to register more apps first).
    """
    state = state if state is not None else FakeWeChatState(clock)
    state.register_app(appid, secret)
    app = web.Application()
    app[FAKE_WECHAT_STATE] = state
    api = _Api(state)

    app.router.add_get("/sns/jscode2session", api.route("/sns/jscode2session", api.jscode2session))
    app.router.add_get("/cgi-bin/token", api.route("/cgi-bin/token", api.token))
    app.router.add_get("/wxa/checksession", api.route("/wxa/checksession", api.checksession))
    for path, handler in (
        ("/cgi-bin/stable_token", api.stable_token),
        ("/wxa/business/getuserphonenumber", api.phone_number),
        ("/cgi-bin/message/subscribe/send", api.subscribe_send),
        ("/cityservice/face/identify/getverifyid", api.face_get_verify_id),
        ("/cityservice/face/identify/queryverifyinfo", api.face_query_verify_info),
    ):
        app.router.add_route("*", path, api.route(path, handler, post_only=True))

    sim = _Simulation(state)
    app.router.add_post("/simulate/login-code", sim.json_call(state.simulate_login_code))
    app.router.add_post("/simulate/phone-code", sim.json_call(state.simulate_phone_code))
    app.router.add_post("/simulate/face", sim.json_call(state.simulate_face))
    app.router.add_post("/simulate/subscribe-consent", sim.json_call(state.simulate_subscribe_consent))
    app.router.add_post("/simulate/fail-next", sim.json_call(state.inject_failure))
    app.router.add_get("/simulate/messages", sim.messages)
    return app


def _answer(body: dict[str, Any], *, content_type: str = JSON_TYPE) -> web.Response:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return web.Response(text=text, content_type=content_type, charset="utf-8")


def _rid(now: float) -> str:
    # Real rids look like 668f2aa4-51c08c03-3d141241: hex time, then two random groups.
    return f"{int(now) & 0xFFFFFFFF:08x}-{secrets.token_hex(4)}-{secrets.token_hex(4)}"


class _Api:
    """HTTP handlers of the real protocol."""

    def __init__(self, state: FakeWeChatState) -> None:
        self._state = state

    def route(self, path: str, handler: Handler, *, post_only: bool = False) -> Handler:
        """Wrap `handler`: method check, injected failures, ApiError -> errcode answer."""
        content_type = "text/plain" if path == "/sns/jscode2session" else JSON_TYPE

        async def wrapped(request: web.Request) -> web.StreamResponse:
            try:
                if post_only and request.method != "POST":
                    raise ApiError(43002)
                injected = self._state.take_injected_failure(path)
                if injected is not None:
                    raise ApiError(injected)
                return await handler(request)
            except ApiError as error:
                body = {"errcode": error.errcode, "errmsg": f"{error.errmsg}, rid: {_rid(self._state.now())}"}
                return _answer(body, content_type=content_type)

        return wrapped

    async def _json_body(self, request: web.Request) -> dict[str, Any]:
        # The real platform reads the body as JSON whatever the header says; anything else is 47001.
        raw = await request.read()
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ApiError(47001) from None
        if not isinstance(body, dict):
            raise ApiError(47001)
        return body

    async def jscode2session(self, request: web.Request) -> web.StreamResponse:
        q = request.query
        body = self._state.jscode2session(
            appid=q.get("appid"), secret=q.get("secret"), js_code=q.get("js_code"), grant_type=q.get("grant_type")
        )
        return _answer(body, content_type="text/plain")

    async def token(self, request: web.Request) -> web.StreamResponse:
        q = request.query
        return _answer(
            self._state.get_token(grant_type=q.get("grant_type"), appid=q.get("appid"), secret=q.get("secret"))
        )

    async def stable_token(self, request: web.Request) -> web.StreamResponse:
        return _answer(self._state.stable_token(await self._json_body(request)))

    async def checksession(self, request: web.Request) -> web.StreamResponse:
        q = request.query
        appid = self._state.authenticate(q.get("access_token"))
        return _answer(
            self._state.check_session(
                appid, openid=q.get("openid"), signature=q.get("signature"), sig_method=q.get("sig_method")
            )
        )

    async def phone_number(self, request: web.Request) -> web.StreamResponse:
        appid = self._state.authenticate(request.query.get("access_token"))
        return _answer(self._state.phone_number(appid, await self._json_body(request)))

    async def subscribe_send(self, request: web.Request) -> web.StreamResponse:
        appid = self._state.authenticate(request.query.get("access_token"))
        return _answer(self._state.send_subscribe(appid, await self._json_body(request)))

    async def face_get_verify_id(self, request: web.Request) -> web.StreamResponse:
        appid = self._state.authenticate(request.query.get("access_token"))
        return _answer(self._state.face_get_verify_id(appid, await self._json_body(request)))

    async def face_query_verify_info(self, request: web.Request) -> web.StreamResponse:
        appid = self._state.authenticate(request.query.get("access_token"))
        return _answer(self._state.face_query_verify_info(appid, await self._json_body(request)))


class _Simulation:
    """HTTP handlers of the simulation endpoints."""

    def __init__(self, state: FakeWeChatState) -> None:
        self._state = state

    @staticmethod
    def _bad(detail: str) -> web.Response:
        return web.json_response({"error": "bad_simulation_input", "detail": detail}, status=400)

    def json_call(self, action: Callable[[dict[str, Any]], dict[str, Any]]) -> Handler:
        """A handler reading a JSON object, calling `action` with it, answering its result."""

        async def handler(request: web.Request) -> web.StreamResponse:
            try:
                body = json.loads((await request.read()).decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return self._bad("body must be a JSON object")
            if not isinstance(body, dict):
                return self._bad("body must be a JSON object")
            try:
                return web.json_response(action(body))
            except SimulationError as error:
                return self._bad(str(error))

        return handler

    async def messages(self, request: web.Request) -> web.StreamResponse:
        try:
            return web.json_response(
                self._state.simulated_messages(request.query.get("appid"), request.query.get("user"))
            )
        except SimulationError as error:
            return self._bad(str(error))
