"""Login with WeChat (code -> openid and session_key, which never leaves the server) and token refresh."""
from __future__ import annotations

import uuid

from backend.adapters.wechat.errors import WeChatError
from backend.errors import Forbidden, TooManyRequests, Unauthorized
from backend.models import User
from backend.services.container import Services
from backend.services.tokens import TokenPair
from backend.services.transactions import atomic

_LOGIN_ERRORS = {
    40029: lambda: Unauthorized("login_code_invalid"),
    40163: lambda: Unauthorized("login_code_used"),
    45011: lambda: TooManyRequests(retry_after=60),
    40226: lambda: Forbidden("login_blocked"),
}


async def wechat_login(svc: Services, *, code: str) -> TokenPair:
    """Exchange a wx.login code for our tokens, creating the user on first login."""
    try:
        session = await svc.wechat.code_to_session(code)
    except WeChatError as exc:
        mapped = _LOGIN_ERRORS.get(exc.errcode)
        if mapped is None:
            raise
        raise mapped() from exc
    appid = svc.settings.wechat_appid

    async def use_case(conn):
        now = svc.clock.now()
        user = await User.filter(appid=appid, openid=session.openid).using_db(conn).first()
        if user is None:
            user = await User.create(
                id=uuid.uuid4(), appid=appid, openid=session.openid, created_at=now, last_login_at=now, using_db=conn
            )
        user.session_key_sealed = svc.sealer.seal(session.session_key.encode(), aad=f"session_key:{user.id}")
        user.last_login_at = now
        await user.save(using_db=conn, update_fields=["session_key_sealed", "last_login_at"])
        return await svc.tokens.issue_pair(str(user.id), conn=conn)

    return await atomic(use_case)


async def refresh(svc: Services, *, refresh_token: str) -> TokenPair:
    """Rotate a refresh token; a reused one revokes its whole family (committed before refusing)."""
    pair = await atomic(lambda conn: svc.tokens.refresh(refresh_token, conn=conn))
    if pair is None:
        raise Unauthorized("refresh_token_invalid")
    return pair
