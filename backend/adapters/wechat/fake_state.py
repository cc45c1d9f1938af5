"""The state and rules of the fake WeChat platform, without HTTP (see `fake_platform` for the wire).

One `FakeWeChatState` holds everything in memory: registered apps, simulated users ("phones"), login and
phone codes, access tokens, subscribe consents and sent messages, face verifications. Every time check
reads the injected clock, so moving an `OffsetClock` expires codes, tokens and verify_ids.

Protocol methods raise `ApiError(errcode, errmsg)`: the platform's own error answers. Simulation
methods raise `SimulationError` for bad input (the HTTP layer answers 400).

Choices where the spec is silent (kept in one place, see also the module docstring of fake_platform):
- a reused or expired *phone* code answers 40029 (the spec's phone error list has no 40163);
- stable_token force_refresh invalidates the previous stable token at once; two force refreshes less than
  30 s apart answer 45011, more than 20 per (China) day answer 45009;
- face verification results are `verify_ret` values with errcode 0, as WeChat documents them:
  pass 10000, cancel 90004 (cancelled during recognition), timeout 90017, mismatch 10004 (face does not
  match the identity); an unknown verify_id answers 84001, an expired one (no result recorded within
  3600 s) 84002, one the user has not completed yet 84003; out_seq_no / cert_hash / openid not those of
  getverifyid answer 47003; an empty cert_name or cert_no 84006; a reused out_seq_no 47003;
- /simulate/face scripts the user's pending (unexpired) verifications, or, when none is pending, the next
  one getverifyid opens; a verification whose result was recorded in time stays readable after 3600 s;
- cert_no must look like a mainland ID number (17 digits then a digit or X); its checksum is not checked
  (the spec's own vector number fails it).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from backend.adapters.wechat.protocol import cert_hash as compute_cert_hash
from backend.adapters.wechat.protocol import checksession_signature
from backend.clock import Clock

CODE_TTL = 300.0  # wx.login and getPhoneNumber codes live 5 minutes
TOKEN_TTL = 7200  # access tokens live 2 hours
TOKEN_GRACE = 300.0  # /cgi-bin/token: the previous token stays valid 5 more minutes
STABLE_EARLY_REFRESH = 300  # stable_token issues a new token when the current one has <= 300 s left
FORCE_REFRESH_PER_DAY = 20
FORCE_REFRESH_GAP = 30.0
LOGIN_PER_USER_PER_MINUTE = 100
VERIFY_TTL = 3600
RETENTION = 86400.0  # how long used/expired records are remembered (so reuse still answers 40163)
CHINA_UTC_OFFSET = 8 * 3600

FACE_OUTCOMES: Mapping[str, int] = {"pass": 10000, "cancel": 90004, "timeout": 90017, "mismatch": 10004}

ERRMSG: Mapping[int, str] = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40013: "invalid appid",
    40014: "invalid access_token",
    40029: "invalid code",
    40037: "invalid template_id",
    40125: "invalid appsecret",
    40163: "code been used",
    40226: "code blocked",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    41008: "missing code",
    41030: "invalid page",
    42001: "access_token expired",
    43002: "require POST method",
    43101: "user refuse to accept the msg",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    47001: "data format error",
    47003: "argument invalid!",
    84001: "invalid verify_id",
    84002: "verify_id expired",
    84003: "user has not finished the face verification",
    84006: "name or id_card_number empty",
    87009: "invalid signature",
}

_TOKEN_RE = re.compile(r"^[0-9A-Za-z_\-]{16,512}$")
_OUT_SEQ_NO_RE = re.compile(r"^[0-9A-Za-z_\-]{5,32}$")
_CERT_NO_RE = re.compile(r"^[0-9]{17}[0-9Xx]$")
_TEMPLATE_ID_RE = re.compile(r"^[0-9A-Za-z_\-]{1,64}$")
_KEYWORD_RE = re.compile(r"^([a-z_]+?)(\d+)$")
_PHONE_RE = re.compile(r"^[0-9]{5,20}$")
_MINIPROGRAM_STATES = frozenset({"developer", "trial", "formal"})
_LANGS = frozenset({"zh_CN", "en_US", "zh_HK", "zh_TW"})
# Maximum length of a subscribe-message value per keyword type (WeChat's published limits).
_KEYWORD_MAX_LENGTH: Mapping[str, int] = {
    "thing": 20,
    "name": 10,
    "phrase": 5,
    "character_string": 32,
    "number": 32,
    "letter": 32,
    "symbol": 5,
    "amount": 11,
    "phone_number": 17,
    "car_number": 8,
    "time": 64,
    "date": 64,
    "const": 64,
}


class ApiError(Exception):
    """An error answer of the fake platform: `{"errcode": errcode, "errmsg": errmsg + rid}`."""

    def __init__(self, errcode: int, detail: str | None = None) -> None:
        self.errcode = errcode
        base = ERRMSG.get(errcode, "error")
        self.errmsg = f"{base} {detail}" if detail else base
        super().__init__(f"{errcode}: {self.errmsg}")


class SimulationError(ValueError):
    """Bad input to a simulation ("play the phone") call."""


@dataclass
class FakeApp:
    """A mini-program registered on the fake platform."""

    appid: str
    secret: str
    unionid_salt: str | None = None  # set when the app is bound to an Open Platform account


@dataclass
class FakeUser:
    """A simulated WeChat user of one app (a phone)."""

    appid: str
    user: str
    openid: str
    session_key: str | None = None
    login_times: deque[float] = field(default_factory=deque)
    next_face_outcome: str | None = None
    consents: dict[str, int] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Code:
    appid: str
    user: str
    issued_at: float
    used: bool = False
    phone: str | None = None  # phone codes only
    country_code: int = 86


@dataclass
class _Token:
    appid: str
    issued_at: float
    expires_at: float
    invalid_after: float | None = None


@dataclass
class _Verification:
    verify_id: str
    appid: str
    openid: str
    out_seq_no: str
    cert_hash: str
    created_at: float
    outcome: str | None = None


def _require_str(body: Mapping[str, Any], name: str, *, max_length: int = 128) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise SimulationError(f"{name} must be a non-empty string of at most {max_length} characters")
    return value


class FakeWeChatState:
    """Everything the fake platform knows, in memory, with time from the injected clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._apps: dict[str, FakeApp] = {}
        self._users: dict[tuple[str, str], FakeUser] = {}
        self._by_openid: dict[tuple[str, str], FakeUser] = {}
        self._login_codes: dict[str, _Code] = {}
        self._phone_codes: dict[str, _Code] = {}
        self._tokens: dict[str, _Token] = {}
        self._latest_basic: dict[str, str] = {}
        self._current_stable: dict[str, str] = {}
        self._force_refreshes: dict[str, list[float]] = {}
        self._verifications: dict[str, _Verification] = {}
        self._out_seq_nos: dict[str, set[str]] = {}
        self._injected: dict[str, deque[int]] = {}
        self._issued = 0

    # -- setup ------------------------------------------------------------------------------------------

    def register_app(self, appid: str, secret: str, *, open_platform_bound: bool = False) -> FakeApp:
        """Make an app known; with `open_platform_bound` its users also get a unionid."""
        app = FakeApp(appid=appid, secret=secret, unionid_salt=appid if open_platform_bound else None)
        self._apps[appid] = app
        self._out_seq_nos.setdefault(appid, set())
        return app

    def now(self) -> float:
        """The platform's current time (the injected clock)."""
        return self._clock.timestamp()

    # -- simulation ("play the phone") ------------------------------------------------------------------

    def _sim_app(self, body: Mapping[str, Any]) -> FakeApp:
        appid = _require_str(body, "appid")
        app = self._apps.get(appid)
        if app is None:
            raise SimulationError(f"appid {appid!r} is not registered on the fake platform")
        return app

    def _sim_user(self, body: Mapping[str, Any]) -> FakeUser:
        app = self._sim_app(body)
        return self.user(app.appid, _require_str(body, "user"))

    def user(self, appid: str, user: str) -> FakeUser:
        """The simulated user `user` of `appid`, created on first use (openid deterministic)."""
        key = (appid, user)
        record = self._users.get(key)
        if record is None:
            record = FakeUser(appid=appid, user=user, openid=openid_for(appid, user))
            self._users[key] = record
            self._by_openid[(appid, record.openid)] = record
        return record

    def simulate_login_code(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """wx.login on the phone: a fresh code for (appid, user)."""
        user = self._sim_user(body)
        code = _new_code()
        self._login_codes[code] = _Code(appid=user.appid, user=user.user, issued_at=self.now())
        self._housekeep()
        return {"code": code, "openid": user.openid}

    def simulate_phone_code(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """The getPhoneNumber button on the phone: a code for the user's phone number."""
        user = self._sim_user(body)
        phone = _require_str(body, "phone", max_length=20)
        if not _PHONE_RE.match(phone):
            raise SimulationError("phone must be 5 to 20 digits, without country prefix")
        country_code = body.get("country_code", 86)
        if isinstance(country_code, bool) or not isinstance(country_code, int) or not 1 <= country_code <= 999:
            raise SimulationError("country_code must be an integer from 1 to 999")
        code = _new_code()
        self._phone_codes[code] = _Code(
            appid=user.appid, user=user.user, issued_at=self.now(), phone=phone, country_code=country_code
        )
        self._housekeep()
        return {"code": code}

    def simulate_face(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """wx.requestFacialVerify on the phone: script the outcome of the user's pending verifications
        (opened by getverifyid, not expired); when none is pending, of the next one getverifyid opens."""
        user = self._sim_user(body)
        outcome = body.get("outcome")
        if outcome not in FACE_OUTCOMES:
            raise SimulationError(f"outcome must be one of {sorted(FACE_OUTCOMES)}")
        now = self.now()
        applied = 0
        for verification in self._verifications.values():
            if (
                verification.appid == user.appid
                and verification.openid == user.openid
                and now < verification.created_at + VERIFY_TTL
            ):
                verification.outcome = outcome
                applied += 1
        user.next_face_outcome = None if applied else outcome
        return {"ok": True, "pending": applied}

    def simulate_subscribe_consent(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """wx.requestSubscribeMessage accepted `count` times for one template: each allows one send."""
        user = self._sim_user(body)
        template_id = _require_str(body, "template_id", max_length=64)
        count = body.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1000:
            raise SimulationError("count must be an integer from 1 to 1000")
        user.consents[template_id] = user.consents.get(template_id, 0) + count
        return {"ok": True, "remaining": user.consents[template_id]}

    def simulated_messages(self, appid: str | None, user: str | None) -> dict[str, Any]:
        """The subscribe messages sent to (appid, user), oldest first."""
        record = self._sim_user({"appid": appid, "user": user})
        return {"openid": record.openid, "messages": [dict(message) for message in record.messages]}

    def inject_failure(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Make the next `count` calls of API `path` (e.g. "/sns/jscode2session") answer `errcode`."""
        path = _require_str(body, "path")
        errcode = body.get("errcode", -1)
        count = body.get("count", 1)
        if isinstance(errcode, bool) or not isinstance(errcode, int) or errcode == 0:
            raise SimulationError("errcode must be a non-zero integer")
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
            raise SimulationError("count must be an integer from 1 to 100")
        self._injected.setdefault(path, deque()).extend([errcode] * count)
        return {"ok": True}

    def take_injected_failure(self, path: str) -> int | None:
        """The errcode injected for the next call of `path`, consumed; None when there is none."""
        queue = self._injected.get(path)
        if queue:
            return queue.popleft()
        return None

    # -- credentials ------------------------------------------------------------------------------------

    def _check_credentials(self, appid: str | None, secret: str | None) -> FakeApp:
        if not appid:
            raise ApiError(41002)
        app = self._apps.get(appid)
        if app is None:
            raise ApiError(40013)
        if not secret:
            raise ApiError(41004)
        if not hmac.compare_digest(app.secret.encode(), secret.encode()):
            raise ApiError(40125)
        return app

    # -- login ------------------------------------------------------------------------------------------

    def jscode2session(
        self, *, appid: str | None, secret: str | None, js_code: str | None, grant_type: str | None
    ) -> dict[str, Any]:
        """GET /sns/jscode2session."""
        app = self._check_credentials(appid, secret)
        if grant_type is not None and grant_type != "authorization_code":
            raise ApiError(40002)
        if not js_code:
            raise ApiError(41008)
        code = self._login_codes.get(js_code)
        if code is None or code.appid != app.appid:
            raise ApiError(40029)
        if code.used:
            raise ApiError(40163)
        now = self.now()
        if now >= code.issued_at + CODE_TTL:
            raise ApiError(40029)
        user = self.user(app.appid, code.user)
        while user.login_times and user.login_times[0] <= now - 60:
            user.login_times.popleft()
        if len(user.login_times) >= LOGIN_PER_USER_PER_MINUTE:
            raise ApiError(45011)
        user.login_times.append(now)
        code.used = True
        user.session_key = base64.b64encode(secrets.token_bytes(16)).decode("ascii")  # rotated per login
        answer: dict[str, Any] = {"session_key": user.session_key, "openid": user.openid}
        if app.unionid_salt is not None:
            answer["unionid"] = unionid_for(app.unionid_salt, user.user)
        return answer

    def check_session(
        self, appid: str, *, openid: str | None, signature: str | None, sig_method: str | None
    ) -> dict[str, Any]:
        """GET /wxa/checksession (access_token already checked)."""
        user = self._by_openid.get((appid, openid or ""))
        if user is None:
            raise ApiError(40003)
        if sig_method != "hmac_sha256" or not signature or user.session_key is None:
            raise ApiError(87009)
        if not hmac.compare_digest(checksession_signature(user.session_key), signature.lower()):
            raise ApiError(87009)
        return {"errcode": 0, "errmsg": "ok"}

    # -- access tokens ----------------------------------------------------------------------------------

    def _issue_token(self, appid: str) -> str:
        now = self.now()
        token = secrets.token_urlsafe(102)  # 136 characters of [A-Za-z0-9_-], like real ones
        self._tokens[token] = _Token(appid=appid, issued_at=now, expires_at=now + TOKEN_TTL)
        self._housekeep()
        return token

    def get_token(self, *, grant_type: str | None, appid: str | None, secret: str | None) -> dict[str, Any]:
        """GET /cgi-bin/token: always a new token; the previous one of the app lives 5 more minutes."""
        if grant_type != "client_credential":
            raise ApiError(40002)
        app = self._check_credentials(appid, secret)
        now = self.now()
        previous = self._tokens.get(self._latest_basic.get(app.appid, ""))
        if previous is not None and previous.invalid_after is None:
            previous.invalid_after = min(previous.expires_at, now + TOKEN_GRACE)
        token = self._issue_token(app.appid)
        self._latest_basic[app.appid] = token
        return {"access_token": token, "expires_in": TOKEN_TTL}

    def stable_token(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST /cgi-bin/stable_token: the same token while it has more than 5 minutes to live."""
        if body.get("grant_type") != "client_credential":
            raise ApiError(40002)
        appid, secret = body.get("appid"), body.get("secret")
        app = self._check_credentials(
            appid if isinstance(appid, str) else None, secret if isinstance(secret, str) else None
        )
        force = body.get("force_refresh", False)
        if not isinstance(force, bool):
            raise ApiError(47001)
        now = self.now()
        current = self._tokens.get(self._current_stable.get(app.appid, ""))
        if force:
            history = self._force_refreshes.setdefault(app.appid, [])
            today = int((now + CHINA_UTC_OFFSET) // 86400)
            history[:] = [t for t in history if int((t + CHINA_UTC_OFFSET) // 86400) == today]
            if len(history) >= FORCE_REFRESH_PER_DAY:
                raise ApiError(45009)
            if history and now - history[-1] < FORCE_REFRESH_GAP:
                raise ApiError(45011)
            history.append(now)
            if current is not None:
                current.invalid_after = now
            current = None
        elif current is not None and (
            current.expires_at - now <= STABLE_EARLY_REFRESH or current.invalid_after is not None
        ):
            current = None  # refreshed 5 minutes early; the old token simply runs out
        if current is None:
            token = self._issue_token(app.appid)
            self._current_stable[app.appid] = token
            current = self._tokens[token]
        else:
            token = self._current_stable[app.appid]
        return {"access_token": token, "expires_in": round(current.expires_at - now)}

    def authenticate(self, access_token: str | None) -> str:
        """The appid an access_token acts for; ApiError 41001 missing, 40014 malformed, 40001 unknown or
        superseded, 42001 expired."""
        if not access_token:
            raise ApiError(41001)
        if not _TOKEN_RE.match(access_token):
            raise ApiError(40014)
        record = self._tokens.get(access_token)
        if record is None:
            raise ApiError(40001)
        now = self.now()
        if now >= record.expires_at:
            raise ApiError(42001)
        if record.invalid_after is not None and now >= record.invalid_after:
            raise ApiError(40001)
        return record.appid

    # -- phone number -----------------------------------------------------------------------------------

    def phone_number(self, appid: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST /wxa/business/getuserphonenumber (access_token already checked)."""
        code_text = body.get("code")
        if not isinstance(code_text, str) or not code_text:
            raise ApiError(40029)
        code = self._phone_codes.get(code_text)
        now = self.now()
        if code is None or code.appid != appid or code.used or now >= code.issued_at + CODE_TTL:
            raise ApiError(40029)
        user = self.user(appid, code.user)
        openid = body.get("openid")
        if openid is not None and openid != user.openid:
            raise ApiError(40003)
        code.used = True
        pure = code.phone or ""
        phone_number = pure if code.country_code == 86 else f"+{code.country_code}{pure}"
        return {
            "errcode": 0,
            "errmsg": "ok",
            "phone_info": {
                "phoneNumber": phone_number,
                "purePhoneNumber": pure,
                "countryCode": code.country_code,
                "watermark": {"timestamp": int(now), "appid": appid},
            },
        }

    # -- subscribe messages -----------------------------------------------------------------------------

    def send_subscribe(self, appid: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST /cgi-bin/message/subscribe/send (access_token already checked)."""
        touser = body.get("touser")
        user = self._by_openid.get((appid, touser)) if isinstance(touser, str) else None
        if user is None:
            raise ApiError(40003)
        template_id = body.get("template_id")
        if not isinstance(template_id, str) or not _TEMPLATE_ID_RE.match(template_id):
            raise ApiError(40037)
        page = body.get("page")
        if page is not None and (
            not isinstance(page, str) or not page or "://" in page or any(c.isspace() for c in page)
        ):
            raise ApiError(41030)
        state = body.get("miniprogram_state")
        if state is not None and state not in _MINIPROGRAM_STATES:
            raise ApiError(47003, "miniprogram_state")
        lang = body.get("lang")
        if lang is not None and lang not in _LANGS:
            raise ApiError(47003, "lang")
        data = body.get("data")
        _check_subscribe_data(data)
        if user.consents.get(template_id, 0) <= 0:
            raise ApiError(43101)
        user.consents[template_id] -= 1
        user.messages.append(
            {
                "touser": user.openid,
                "template_id": template_id,
                "page": page,
                "data": data,
                "miniprogram_state": state,
                "lang": lang,
                "sent_at": int(self.now()),
            }
        )
        return {"errcode": 0, "errmsg": "ok"}

    # -- face verification ------------------------------------------------------------------------------

    def face_get_verify_id(self, appid: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST /cityservice/face/identify/getverifyid (access_token already checked)."""
        out_seq_no = body.get("out_seq_no")
        if not isinstance(out_seq_no, str) or not _OUT_SEQ_NO_RE.match(out_seq_no):
            raise ApiError(47003, "out_seq_no")
        cert_info = body.get("cert_info")
        if not isinstance(cert_info, Mapping):
            raise ApiError(47003, "cert_info")
        cert_type, cert_name, cert_no = (cert_info.get(k) for k in ("cert_type", "cert_name", "cert_no"))
        if cert_type != "IDENTITY_CARD":
            raise ApiError(47003, "cert_type")
        if not isinstance(cert_name, str) or not cert_name or not isinstance(cert_no, str) or not cert_no:
            raise ApiError(84006)
        if not _CERT_NO_RE.match(cert_no):
            raise ApiError(47003, "cert_no")
        openid = body.get("openid")
        user = self._by_openid.get((appid, openid)) if isinstance(openid, str) else None
        if user is None:
            raise ApiError(40003)
        used = self._out_seq_nos.setdefault(appid, set())
        if out_seq_no in used:
            raise ApiError(47003, "out_seq_no duplicated")
        used.add(out_seq_no)
        verify_id = secrets.token_urlsafe(48)
        self._verifications[verify_id] = _Verification(
            verify_id=verify_id,
            appid=appid,
            openid=user.openid,
            out_seq_no=out_seq_no,
            cert_hash=compute_cert_hash(cert_type, cert_name, cert_no),
            created_at=self.now(),
            outcome=user.next_face_outcome,
        )
        user.next_face_outcome = None
        self._housekeep()
        return {"errcode": 0, "errmsg": "ok", "verify_id": verify_id, "expires_in": VERIFY_TTL}

    def face_query_verify_info(self, appid: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST /cityservice/face/identify/queryverifyinfo (access_token already checked)."""
        verify_id = body.get("verify_id")
        verification = self._verifications.get(verify_id) if isinstance(verify_id, str) else None
        if verification is None or verification.appid != appid:
            raise ApiError(84001)
        if body.get("out_seq_no") != verification.out_seq_no:
            raise ApiError(47003, "out_seq_no does not match getverifyid")
        cert_hash = body.get("cert_hash")
        if not isinstance(cert_hash, str) or cert_hash.lower() != verification.cert_hash:
            raise ApiError(47003, "cert_hash does not match getverifyid")
        if body.get("openid") != verification.openid:
            raise ApiError(47003, "openid does not match getverifyid")
        if verification.outcome is None:
            if self.now() >= verification.created_at + VERIFY_TTL:
                raise ApiError(84002)
            raise ApiError(84003)
        return {"errcode": 0, "errmsg": "ok", "verify_ret": FACE_OUTCOMES[verification.outcome]}

    # -- housekeeping -----------------------------------------------------------------------------------

    def _housekeep(self) -> None:
        """Forget records long past use, every 256 issuances (used codes are kept a day for 40163)."""
        self._issued += 1
        if self._issued % 256:
            return
        now = self.now()
        for codes in (self._login_codes, self._phone_codes):
            for key in [k for k, c in codes.items() if now > c.issued_at + CODE_TTL + RETENTION]:
                del codes[key]
        for key in [k for k, t in self._tokens.items() if now > t.expires_at + RETENTION]:
            del self._tokens[key]
        for key in [k for k, v in self._verifications.items() if now > v.created_at + VERIFY_TTL + RETENTION]:
            del self._verifications[key]


def _check_subscribe_data(data: Any) -> None:
    if not isinstance(data, Mapping) or not data:
        raise ApiError(47003, "data")
    for keyword, entry in data.items():
        match = _KEYWORD_RE.match(keyword) if isinstance(keyword, str) else None
        if match is None or not isinstance(entry, Mapping) or not isinstance(entry.get("value"), str):
            raise ApiError(47003, f"data.{keyword}")
        limit = _KEYWORD_MAX_LENGTH.get(match.group(1))
        if limit is None:
            raise ApiError(47003, f"data.{keyword}")
        value = entry["value"]
        if not value or len(value) > limit:
            raise ApiError(47003, f"data.{keyword}.value")


def _new_code() -> str:
    return secrets.token_urlsafe(24)  # 32 characters, like wx.login codes


def _digest_28(prefix: str, key: bytes, message: str) -> str:
    digest = hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()
    return prefix + base64.urlsafe_b64encode(digest).decode("ascii")[:27]


def openid_for(appid: str, user: str) -> str:
    """The deterministic openid of a simulated user: "o" + 27 characters, 28 like real ones."""
    return _digest_28("o", b"kaiban fake wechat openid", f"{appid}\n{user}")


def unionid_for(salt: str, user: str) -> str:
    """The deterministic unionid of a simulated user of an Open-Platform-bound app."""
    return _digest_28("o", b"kaiban fake wechat unionid", f"{salt}\n{user}")
