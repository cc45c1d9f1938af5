"""The separate consent (PIPL Art. 29) asked before identity numbers or face data are collected. Pure, no I/O."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

IDENTITY_PURPOSE = "identity_verification"


@dataclass(frozen=True, slots=True)
class ConsentText:
    """One version of a consent text: what is collected, why, how long it is kept, and how to withdraw."""

    purpose: str
    version: str
    what: dict[str, str]
    why: dict[str, str]
    retention: dict[str, str]
    withdrawal: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        """The text as the API shows it."""
        return {
            "purpose": self.purpose,
            "version": self.version,
            "sha256": self.sha256,
            "what": self.what,
            "why": self.why,
            "retention": self.retention,
            "withdrawal": self.withdrawal,
        }

    @property
    def sha256(self) -> str:
        """SHA-256 of the text, kept with each consent so the exact words agreed to are known."""
        body = {k: getattr(self, k) for k in ("purpose", "version", "what", "why", "retention", "withdrawal")}
        return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


IDENTITY_CONSENT = ConsentText(
    purpose=IDENTITY_PURPOSE,
    version="identity-2026-12-01",
    what={
        "zh-CN": "您的姓名、证件类型、证件号码、证件有效期，以及人脸核身时由微信采集的人脸信息（敏感个人信息）。",
        "zh-HK": "您的姓名、證件類型、證件號碼、證件有效期，以及人臉核身時由微信採集的人臉資料（敏感個人資料）。",
        "en": "Your name, document type, document number and validity, and the face data WeChat captures during "
        "the face check (sensitive personal information).",
    },
    why={
        "zh-CN": "仅用于依法核验公司登记参与人的真实身份（实名认证）并办理本次企业开办。",
        "zh-HK": "僅用於依法核驗公司登記參與人的真實身份（實名認證）並辦理本次企業開辦。",
        "en": "Only to verify, as the law requires, the real identity of the participants of this company "
        "registration and to complete it.",
    },
    retention={
        "zh-CN": "证件号码和姓名加密保存；未完成的申请在最后一次修改后 90 天删除；完成登记的记录按法律要求保存。",
        "zh-HK": "證件號碼和姓名加密保存；未完成的申請在最後一次修改後 90 天刪除；完成登記的記錄按法律要求保存。",
        "en": "Numbers and names are stored encrypted; an unfinished application is erased 90 days after its last "
        "change; the records of a completed registration are kept as the law requires.",
    },
    withdrawal={
        "zh-CN": "您可以随时撤回同意（POST .../consent/withdraw）；撤回后不再收集或核验身份，申请无法继续。",
        "zh-HK": "您可以隨時撤回同意（POST .../consent/withdraw）；撤回後不再收集或核驗身份，申請無法繼續。",
        "en": "You may withdraw this consent at any time (POST .../consent/withdraw); after that no identity data "
        "is collected or checked, and the application cannot continue.",
    },
)

#: Every consent text by version; older versions stay listed so stored consents can show what was agreed to.
CONSENT_TEXTS: dict[str, ConsentText] = {IDENTITY_CONSENT.version: IDENTITY_CONSENT}
