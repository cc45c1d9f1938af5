"""The Kaiban HTTP API as the mini-program calls it: one method per call, `ApiError` on any non-2xx answer."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urljoin

import aiohttp

DEFAULT_BASE_URL = "http://127.0.0.1:8080"
API = "/api/v1"


class ApiError(Exception):
    """A non-2xx answer. `problem` is the server's problem JSON (RFC 9457), or one made up from a non-JSON body."""

    def __init__(self, status: int, problem: Mapping[str, Any], *, method: str = "", url: str = "") -> None:
        self.status = status
        self.problem = dict(problem)
        self.method = method
        self.url = url
        super().__init__(f"{method} {url} -> HTTP {status} {self.code}: {self.message}".strip())

    @property
    def code(self) -> str:
        """The problem's machine code (e.g. ``name_taken``), or ``""``."""
        return str(self.problem.get("code") or "")

    @property
    def message(self) -> str:
        """The problem's human message, falling back on its title or detail."""
        for key in ("message", "title", "detail"):
            if self.problem.get(key):
                return str(self.problem[key])
        return ""

    def describe(self) -> str:
        """The problem written out for a person reading stderr, several lines, the raw JSON last."""
        lines = [f"error: {self.method} {self.url}".rstrip(), f"  {'status:':<9} {self.status}"]
        for key in ("code", "message", "detail", "title", "type", "instance"):
            value = self.problem.get(key)
            if value not in (None, "") and not (key == "detail" and value == self.problem.get("message")):
                lines.append(f"  {key + ':':<9} {value}")
        messages = self.problem.get("messages")
        if isinstance(messages, Mapping):
            lines.append("  messages:")
            lines.extend(f"    {k}: {_text(v)}" for k, v in messages.items())
        elif isinstance(messages, list) and messages:
            lines.append("  messages:")
            lines.extend(f"    - {_text(v)}" for v in messages)
        elif messages not in (None, "", [], {}):
            lines.append(f"  messages: {_text(messages)}")
        known = {"code", "message", "detail", "title", "type", "instance", "messages", "status"}
        for key, value in self.problem.items():
            if key not in known:
                lines.append(f"  {key + ':':<9} {_text(value)}")
        lines.append("  problem: " + json.dumps(self.problem, ensure_ascii=False, sort_keys=True))
        return "\n".join(lines)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


class KaibanClient:
    """The Kaiban API over one aiohttp session; after `wechat_login` it sends the bearer token on every call."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str = DEFAULT_BASE_URL) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/") + "/"
        self.access_token: str | None = None
        self.refresh_token: str | None = None
        self.user_id: Any = None

    def fork(self) -> KaibanClient:
        """Another client on the same session and server, logged out: a second phone (e.g. a second shareholder)."""
        return KaibanClient(self.session, self.base_url)

    def url(self, path: str) -> str:
        """An absolute URL for `path` (absolute URLs given by the server are kept as they are)."""
        return urljoin(self.base_url, path.lstrip("/")) if "://" not in path else path

    def _headers(self, auth: bool) -> dict[str, str]:
        headers = {"Accept": "application/json, application/problem+json"}
        if auth:
            if not self.access_token:
                raise RuntimeError("not logged in: call wechat_login first")
            headers["Authorization"] = f"Bearer {self.access_token}"
        return headers

    async def request_json(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        auth: bool = True,
        params: Mapping[str, str] | None = None,
    ) -> Any:
        """Send one call and return its decoded JSON body; raise `ApiError` unless the status is 2xx."""
        url = self.url(path)
        kwargs: dict[str, Any] = {"headers": self._headers(auth), "params": params}
        if body is not None:
            kwargs["json"] = body
        async with self.session.request(method, url, **kwargs) as response:
            raw = await response.read()
            if not 200 <= response.status < 300:
                raise ApiError(response.status, _problem(response.status, raw), method=method, url=url)
            if not raw or response.status == 204:
                return None
            try:
                return json.loads(raw)
            except ValueError as exc:
                problem = {"code": "not_json", "message": f"2xx answer is not JSON: {exc}",
                           "detail": raw[:300].decode("utf-8", "replace"), "status": response.status}
                raise ApiError(response.status, problem, method=method, url=url) from exc

    async def download(self, url: str, *, auth: bool = True) -> tuple[bytes, str]:
        """GET a file (e.g. a generated PDF); return its bytes and content type."""
        async with self.session.get(self.url(url), headers=self._headers(auth)) as response:
            raw = await response.read()
            if not 200 <= response.status < 300:
                raise ApiError(response.status, _problem(response.status, raw), method="GET", url=self.url(url))
            return raw, response.headers.get("Content-Type", "")

    # --- service -------------------------------------------------------------------------------------------------

    async def meta(self) -> dict[str, Any]:
        """``GET /api/v1/meta``: service name, mock mode, the mini-program's appid, version."""
        return await self.request_json("GET", f"{API}/meta", auth=False)

    # --- accounts ------------------------------------------------------------------------------------------------

    async def wechat_login(self, code: str) -> dict[str, Any]:
        """``POST /api/v1/auth/wechat-login``: trade a wx.login code for tokens; keep them for the next calls."""
        answer = await self.request_json("POST", f"{API}/auth/wechat-login", {"code": code}, auth=False)
        self.access_token = answer["access_token"]
        self.refresh_token = answer.get("refresh_token")
        self.user_id = (answer.get("user") or {}).get("id")
        return answer

    # --- applications --------------------------------------------------------------------------------------------

    async def create_application(self, entity_type: str = "limited_liability_company") -> dict[str, Any]:
        """``POST /api/v1/applications``: start a formation."""
        return await self.request_json("POST", f"{API}/applications", {"entity_type": entity_type})

    async def get_application(self, application_id: str) -> dict[str, Any]:
        """``GET /api/v1/applications/{id}``."""
        return await self.request_json("GET", f"{API}/applications/{application_id}")

    async def give_identity_consent(self, application_id: str) -> dict[str, Any]:
        """Read the identity consent text, then ``POST .../consent``: the separate consent asked before identity data."""
        text = await self.request_json("GET", f"{API}/consents/identity")
        body = {"text_version": text["version"], "accept": True}
        return await self.request_json("POST", f"{API}/applications/{application_id}/consent", body)

    async def put_identity(
        self, application_id: str, *, name: str, document_number: str, document_type: str = "mainland_resident_id"
    ) -> dict[str, Any]:
        """``PUT .../identity``: the founder's identity; answers the application and the face check to do."""
        body = {"name": name, "document_type": document_type, "document_number": document_number}
        return await self.request_json("PUT", f"{API}/applications/{application_id}/identity", body)

    async def start_face_check(self, application_id: str) -> dict[str, Any]:
        """``POST .../face-checks``: a fresh face check (before signing); answers ``verify_id``, ``expires_in``."""
        return await self.request_json("POST", f"{API}/applications/{application_id}/face-checks", {})

    async def face_check_result(self, application_id: str, verify_id: str) -> dict[str, Any]:
        """``POST .../face-checks/{verify_id}/result``: have the server fetch the outcome of the face check."""
        path = f"{API}/applications/{application_id}/face-checks/{quote(str(verify_id), safe='')}/result"
        return await self.request_json("POST", path, {})

    async def check_name(self, name: str) -> dict[str, Any]:
        """``GET /api/v1/names/check?name=``: the rules' findings and whether the name is free."""
        return await self.request_json("GET", f"{API}/names/check", params={"name": name}, auth=False)  # no login needed

    async def reserve_name(self, application_id: str, name: str) -> dict[str, Any]:
        """``PUT .../name``: reserve the company name (409 ``name_taken`` if it is not free)."""
        return await self.request_json("PUT", f"{API}/applications/{application_id}/name", {"name": name})

    async def put_details(self, application_id: str, details: Mapping[str, Any]) -> dict[str, Any]:
        """``PUT .../details``: address, business scope, capital, contribution deadline, liaison phone."""
        return await self.request_json("PUT", f"{API}/applications/{application_id}/details", dict(details))

    async def generate_documents(self, application_id: str) -> dict[str, Any]:
        """``POST .../documents``: render the formation documents; answers them with their SHA-256 and URL."""
        return await self.request_json("POST", f"{API}/applications/{application_id}/documents", {})

    async def sign(self, application_id: str, **slot: Any) -> dict[str, Any]:
        """``POST .../signatures``: sign the documents in my slot (after a passed fresh face check); `slot` may name
        ``participant_id``, ``on_behalf_of`` (a corporate shareholder, with its ``seal``) or a one-time ``code``."""
        return await self.request_json("POST", f"{API}/applications/{application_id}/signatures", dict(slot))

    async def signatures(self, application_id: str) -> dict[str, Any]:
        """``GET .../signatures``: who must sign, who has signed, who must sign again."""
        return await self.request_json("GET", f"{API}/applications/{application_id}/signatures")

    # --- participants ---------------------------------------------------------------------------------------------

    async def participants(self, application_id: str) -> dict[str, Any]:
        """``GET .../participants``: the participants (masked) and the open role findings."""
        return await self.request_json("GET", f"{API}/applications/{application_id}/participants")

    async def add_participant(self, application_id: str, participant: Mapping[str, Any]) -> dict[str, Any]:
        """``POST .../participants``: a person or corporate shareholder with roles and a checked document."""
        return await self.request_json("POST", f"{API}/applications/{application_id}/participants", dict(participant))

    async def change_participant(self, application_id: str, participant_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """``PATCH .../participants/{pid}``."""
        return await self.request_json("PATCH", f"{API}/applications/{application_id}/participants/{participant_id}", dict(changes))

    async def set_governance(self, application_id: str, *, board: str, supervision: str) -> dict[str, Any]:
        """``PUT .../governance``: the executive organ and the supervision arrangement."""
        body = {"board": board, "supervision": supervision}
        return await self.request_json("PUT", f"{API}/applications/{application_id}/governance", body)

    async def invite(self, application_id: str, participant_id: str) -> str:
        """``POST .../participants/{pid}/invitation``: the one-time code to share with that person in WeChat."""
        answer = await self.request_json("POST", f"{API}/applications/{application_id}/participants/{participant_id}/invitation", {})
        return str(answer["code"])

    async def accept_invitation(self, code: str) -> dict[str, Any]:
        """``POST /api/v1/participant-invitations``: link my WeChat account to the participant the code names."""
        return await self.request_json("POST", f"{API}/participant-invitations", {"code": code})

    async def start_participant_face_check(self, application_id: str, participant_id: str) -> dict[str, Any]:
        """``POST .../participants/{pid}/verifications`` with ``method: face``: my own face check."""
        path = f"{API}/applications/{application_id}/participants/{participant_id}/verifications"
        return await self.request_json("POST", path, {"method": "face"})

    async def participant_face_result(self, application_id: str, participant_id: str, verify_id: str) -> dict[str, Any]:
        """``POST .../participants/{pid}/face-checks/{verify_id}/result``."""
        path = (f"{API}/applications/{application_id}/participants/{participant_id}/face-checks/"
                f"{quote(str(verify_id), safe='')}/result")
        return await self.request_json("POST", path, {})

    async def submit(self, application_id: str) -> dict[str, Any]:
        """``POST .../submit``: hand in; machine review runs and the answer is the reviewed application."""
        return await self.request_json("POST", f"{API}/applications/{application_id}/submit", {})

    async def timeline(self, application_id: str) -> dict[str, Any]:
        """``GET .../timeline``: the application's ledger records."""
        return await self.request_json("GET", f"{API}/applications/{application_id}/timeline")

    # --- public --------------------------------------------------------------------------------------------------

    async def licence(self, uscc: str) -> dict[str, Any]:
        """``GET /api/v1/licences/{uscc}`` (public): the licence, its status and its ledger proof."""
        return await self.request_json("GET", f"{API}/licences/{quote(uscc, safe='')}", auth=False)


def _problem(status: int, raw: bytes) -> dict[str, Any]:
    """The problem JSON of an error answer, or a stand-in when the body is not a JSON object."""
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        parsed.setdefault("status", status)
        return parsed
    text = raw[:500].decode("utf-8", "replace").strip()
    return {"code": "http_error", "message": f"HTTP {status} without a problem JSON body", "detail": text,
            "status": status}
