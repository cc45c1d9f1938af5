"""Errors of the WeChat adapter."""
from __future__ import annotations

from backend.errors import InvalidInput, UpstreamError


class WeChatError(UpstreamError):
    """WeChat answered with a non-zero errcode.

    Callers branch on `errcode` only; `errmsg` is kept exactly as WeChat sent it (it carries a varying
    `rid` suffix, useful when asking WeChat support about a call).
    """

    default_code = "wechat_error"

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__("wechat_error", errcode=errcode, errmsg=errmsg)
        self.errcode = errcode
        self.errmsg = errmsg


class WeChatDataError(InvalidInput):
    """Data handed over by the mini-program (encryptedData, iv, signature) cannot be read or verified.

    The usual cause is a stale session_key: a newer wx.login rotated it, and only the newest key decrypts.
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__("field_invalid", field=field, reason=reason)
