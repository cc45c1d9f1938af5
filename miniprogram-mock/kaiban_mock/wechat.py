"""The phone side: what WeChat itself does on the user's device, played through the backend's fake WeChat platform.

``wx.login`` becomes ``POST /mock/wechat/simulate/login-code``; the user passing (or failing) the face check of
``wx.requestFacialVerify`` becomes ``POST /mock/wechat/simulate/face``. Only a server in mock mode has these.
"""
from __future__ import annotations

from typing import Any

from kaiban_mock.client import KaibanClient

SIMULATE = "/mock/wechat/simulate"
FACE_OUTCOMES = ("pass", "cancel", "timeout", "mismatch")


class WeChatPhone:
    """The WeChat app on the testers' phones. `appid` comes from ``GET /api/v1/meta`` unless given."""

    def __init__(self, client: KaibanClient, appid: str | None = None) -> None:
        self.client = client
        self.appid = appid

    async def ensure_appid(self) -> str:
        """The mini-program's appid, asked of the server once."""
        if not self.appid:
            meta = await self.client.meta()
            self.appid = str(meta["wechat_appid"])
        return self.appid

    async def login_code(self, user: str) -> dict[str, Any]:
        """``wx.login`` for the simulated WeChat user `user`: answers ``{"code", "openid"}``."""
        body = {"appid": await self.ensure_appid(), "user": user}
        return await self.client.request_json("POST", f"{SIMULATE}/login-code", body, auth=False)

    async def face(self, user: str, outcome: str = "pass") -> dict[str, Any]:
        """Script how `user`'s pending (or next) face verification ends: pass, cancel, timeout or mismatch."""
        if outcome not in FACE_OUTCOMES:
            raise ValueError(f"unknown face outcome {outcome!r}; known: {', '.join(FACE_OUTCOMES)}")
        body = {"appid": await self.ensure_appid(), "user": user, "outcome": outcome}
        return await self.client.request_json("POST", f"{SIMULATE}/face", body, auth=False)
