"""Message catalogues in zh-CN, zh-HK and en, keyed by stable machine codes.

Every `*.json` file in this folder is one catalogue: `{"code": {"zh-CN": "...", "zh-HK": "...", "en": "..."}}`.
Templates use `str.format` placeholders filled from an error's or finding's params. A code may appear in one file only.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LANGUAGES = ("zh-CN", "zh-HK", "en")
DEFAULT_LANGUAGE = "zh-CN"
_FOLDER = Path(__file__).resolve().parent


@functools.cache
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """Return all message templates, merged from the JSON files of this folder."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(_FOLDER.glob("*.json")):
        for code, templates in json.loads(path.read_text(encoding="utf-8")).items():
            if code in merged:
                raise RuntimeError(f"message code {code!r} defined twice (again in {path.name})")
            missing = [lang for lang in LANGUAGES if lang not in templates]
            if missing:
                raise RuntimeError(f"message code {code!r} in {path.name} lacks {missing}")
            merged[code] = templates
    return merged


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def messages(code: str, params: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Return the message for `code` in every language, placeholders filled from `params`."""
    templates = catalogue().get(code) or catalogue()["unknown_error"]
    values = _Defaulting({k: _display(v) for k, v in (params or {}).items()})
    return {lang: templates[lang].format_map(values) for lang in LANGUAGES}


def _display(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def negotiate(accept_language: str | None) -> str:
    """Pick zh-CN, zh-HK or en from an Accept-Language header (q-values honoured)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, rest = part.strip().partition(";")
        quality = 1.0
        if rest.strip().startswith("q="):
            try:
                quality = float(rest.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        if tag in {"zh-hk", "zh-mo", "zh-tw", "zh-hant", "zh-hant-hk", "zh-hant-mo", "zh-hant-tw"}:
            return "zh-HK"
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LANGUAGE
