"""A test driver playing the applicant's phone: fake WeChat login, face checks, and each formation step."""
from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

from aiohttp.test_utils import TestClient

APPID = "wx0000000000kaiban"
_counter = itertools.count()


def mainland_id(region: str = "440112", birth: str = "19900101", seq: int = 1) -> str:
    """A valid mainland identity number (GB 11643 check character) for test people."""
    body = f"{region}{birth}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights))
    return body + "10X98765432"[total % 11]


FOUNDER = {"name": "张三", "document_type": "mainland_resident_id", "document_number": mainland_id()}
DETAILS = {
    "address": "广州市黄埔区萝岗街道科学大道100号",
    "business_scope": ["软件开发", "信息技术咨询服务"],
    "registered_capital_cny": "100000",
    "liaison_phone": "13800138000",
}


def deadline(years: int = 4) -> str:
    """A contribution deadline `years` from today."""
    return (dt.date.today() + dt.timedelta(days=365 * years)).isoformat()


async def split_capital(phone: "Phone", app_id: str, shares: dict[str, str]) -> None:
    """State each shareholder's contribution (participant id -> yuan), in currency, due in four years."""
    for pid, amount in shares.items():
        await phone.call("PATCH", f"/api/v1/applications/{app_id}/participants/{pid}",
                         json={"contribution": {"amount_cny": amount, "form": "currency", "deadline": deadline()}})


class Phone:
    """One simulated person with WeChat, talking to a test server."""

    def __init__(self, client: TestClient, user: str | None = None) -> None:
        self.client = client
        self.user = user or f"tester-{next(_counter)}"
        self.token: str | None = None
        self.refresh: str | None = None

    @property
    def auth(self) -> dict[str, str]:
        """The Authorization header."""
        return {"Authorization": f"Bearer {self.token}"}

    async def login_code(self) -> str:
        """wx.login: a code from the fake platform."""
        resp = await self.client.post("/mock/wechat/simulate/login-code", json={"appid": APPID, "user": self.user})
        assert resp.status == 200, await resp.text()
        return (await resp.json())["code"]

    async def login(self) -> dict[str, Any]:
        """Log in with a fresh code."""
        resp = await self.client.post("/api/v1/auth/wechat-login", json={"code": await self.login_code()})
        body = await resp.json()
        assert resp.status == 200, body
        self.token, self.refresh = body["access_token"], body["refresh_token"]
        return body

    async def call(self, method: str, path: str, *, json: Any = None, expect: int = 200) -> Any:
        """Call the API with this phone's token and check the status."""
        resp = await self.client.request(method, path, json=json, headers=self.auth)
        body = await resp.json() if resp.content_type.endswith("json") else await resp.read()
        assert resp.status == expect, (resp.status, body)
        return body

    async def face(self, outcome: str = "pass") -> None:
        """The person does (or fails) the face check on the phone."""
        resp = await self.client.post("/mock/wechat/simulate/face", json={"appid": APPID, "user": self.user, "outcome": outcome})
        assert resp.status == 200, await resp.text()

    async def consent(self, app_id: str) -> dict[str, Any]:
        """Read the identity consent text and give the separate consent (PIPL art. 29) on the application."""
        text = await self.call("GET", "/api/v1/consents/identity")
        return await self.call("POST", f"/api/v1/applications/{app_id}/consent",
                               json={"text_version": text["version"], "accept": True}, expect=201)

    async def verify_identity(self, app_id: str, person: dict[str, str] = FOUNDER) -> dict[str, Any]:
        """Identity step (after consent) including a passed face check."""
        await self.consent(app_id)
        started = await self.call("PUT", f"/api/v1/applications/{app_id}/identity", json=person)
        await self.face("pass")
        verify_id = started["face_check"]["verify_id"]
        return await self.call("POST", f"/api/v1/applications/{app_id}/face-checks/{verify_id}/result")

    async def fresh_face_check(self, app_id: str) -> None:
        """A new passed face check (needed before signing)."""
        check = await self.call("POST", f"/api/v1/applications/{app_id}/face-checks", json={}, expect=201)
        await self.face("pass")
        await self.call("POST", f"/api/v1/applications/{app_id}/face-checks/{check['verify_id']}/result")

    async def accept_invitation(self, code: str) -> dict[str, Any]:
        """Link this phone's WeChat user to the participant an invitation code was made for."""
        if self.token is None:
            await self.login()
        return await self.call("POST", "/api/v1/participant-invitations", json={"code": code})

    async def sms_code(self, number: str) -> str:
        """The last one-time code the fake SMS gateway sent to `number`."""
        resp = await self.client.post("/mock/sms/messages", json={"phone": number})
        assert resp.status == 200, await resp.text()
        text = (await resp.json())["items"][-1]["text"]
        return re.search(r"\b(\d{6})\b", text).group(1)

    async def sign_with_code(self, app_id: str, participant_id: str, number: str, **extra: Any) -> dict[str, Any]:
        """An attested signer signs with a code sent to their phone."""
        await self.call("POST", f"/api/v1/applications/{app_id}/participants/{participant_id}/signing-code",
                        json={"phone": number}, expect=201)
        code = await self.sms_code(number)
        return await self.call("POST", f"/api/v1/applications/{app_id}/signatures",
                               json={"participant_id": participant_id, "code": code, **extra})

    async def form_company(self, name: str = "广州市黄埔区云帆信息技术有限公司", *, before_documents=None) -> dict[str, Any]:
        """Every step of the simplest formation; returns the final application. `before_documents(app_id)` may add
        to the application before its documents are made."""
        if self.token is None:
            await self.login()
        app = await self.call("POST", "/api/v1/applications", json={"entity_type": "limited_liability_company"}, expect=201)
        app_id = app["id"]
        await self.verify_identity(app_id)
        await self.call("PUT", f"/api/v1/applications/{app_id}/name", json={"name": name})
        await self.call("PUT", f"/api/v1/applications/{app_id}/details", json={**DETAILS, "contribution_deadline": deadline()})
        if before_documents is not None:
            await before_documents(app_id)
        await self.call("POST", f"/api/v1/applications/{app_id}/documents", json={})
        await self.fresh_face_check(app_id)
        await self.call("POST", f"/api/v1/applications/{app_id}/signatures", json={})
        return await self.call("POST", f"/api/v1/applications/{app_id}/submit", json={})
