"""Drafting providers tidy free-text fields (a business description): the local pipeline by default, or an
OpenAI-compatible chat-completions endpoint when configured (`DRAFTING_URL`).

Whatever a provider returns is checked like the applicant's own text (`acceptable`): same language family, no
control characters, no invented numbers, bounded length; output that fails is dropped for the local result. Identity
numbers (mainland, Hong Kong, Macau, travel-permit and passport numbers) are removed before any text leaves.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Protocol

import aiohttp

MAX_CHARS = 500
#: Identity-document numbers as they may appear in free text: 18-digit mainland ids, HK/Macau ids, permits, passports.
_ID_NUMBERS = re.compile(r"\d{17}[\dXx]|\d{15}|[A-Z]{1,2}\d{6}\(?[\dA]\)?|[157]\d{6}\(?\d\)?|[HMC]\d{8,10}|[A-Z]{1,2}\d{7,8}")
_REDACTED = "[已隐去]"


class DraftingProvider(Protocol):
    """Tidies one free-text field; never raises for bad model output (it falls back)."""

    async def tidy(self, *, field: str, text: str) -> str: ...


def redact_identity_numbers(text: str) -> str:
    """The text with every identity-document number replaced, before it is sent anywhere."""
    return _ID_NUMBERS.sub(_REDACTED, text)


def local_tidy(text: str) -> str:
    """The local pipeline: Unicode NFKC for letters and digits, white space collapsed, Chinese punctuation kept."""
    folded = "".join(unicodedata.normalize("NFKC", c) if c.isalnum() else c for c in text)
    return " ".join(folded.split())[:MAX_CHARS]


def acceptable(original: str, tidied: str) -> bool:
    """Whether a provider's output may replace the text: non-empty, bounded, no control characters, no numbers that
    were not in the original, and not a different script (Chinese stays Chinese)."""
    if not tidied.strip() or len(tidied) > MAX_CHARS:
        return False
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in tidied):
        return False
    if not set(re.findall(r"\d+", tidied)) <= set(re.findall(r"\d+", original)):
        return False
    had_han = any("\u4e00" <= c <= "\u9fff" for c in original)
    return had_han == any("\u4e00" <= c <= "\u9fff" for c in tidied)


class LocalDrafting:
    """The embedded default: deterministic clean-up, nothing leaves the machine."""

    async def tidy(self, *, field: str, text: str) -> str:
        """Tidy `text` locally."""
        return local_tidy(text)


class OpenAICompatibleDrafting:
    """Chat completions over aiohttp against `base_url` (`…/v1`); output validated, the local result otherwise."""

    def __init__(self, *, base_url: str, model: str, api_key: str | None = None, timeout: float = 10.0) -> None:
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def tidy(self, *, field: str, text: str) -> str:
        """Ask the endpoint to tidy `text` (identity numbers removed first); the local result when it fails."""
        local = local_tidy(text)
        safe = redact_identity_numbers(local)
        body = {"model": self._model, "temperature": 0, "messages": [
            {"role": "system", "content": "Tidy the user's text for a company registration form field "
             f"({field}): fix typos and punctuation, keep the language and every fact, add nothing. Reply with the "
             "text only."},
            {"role": "user", "content": safe}]}
        try:
            async with aiohttp.ClientSession(timeout=self._timeout) as session:
                async with session.post(self._url, json=body, headers=self._headers) as resp:
                    if resp.status != 200:
                        return local
                    answer = (await resp.json())["choices"][0]["message"]["content"]
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, IndexError, TypeError):
            return local
        if not isinstance(answer, str):
            return local
        tidied = local_tidy(answer)
        return tidied if acceptable(safe, tidied) and _REDACTED not in tidied else local


def drafting_provider(*, url: str | None, model: str, api_key: str | None) -> DraftingProvider:
    """The configured provider: the endpoint when a URL is set, the local pipeline otherwise."""
    if url:
        return OpenAICompatibleDrafting(base_url=url, model=model, api_key=api_key)
    return LocalDrafting()
