"""Shared pieces of the document checks: the result type, normalisation, findings and the validity period."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from backend.domain.findings import Finding
from backend.domain.identifiers import mask_id_number

LONG_TERM = "long_term"
_LONG_TERM_WORDS = frozenset({"长期", "長期", "长期有效", "長期有效", "LONGTERM", "PERMANENT"})
_DATE = re.compile(r"(\d{4})(?:[./年](\d{1,2})[./月](\d{1,2})日?|-(\d{1,2})-(\d{1,2})(?!\d)|(\d{2})(\d{2})(?!\d))")
_RANGE_FILLER = re.compile(r"[\s\-–—~〜至到]*")


@dataclass(frozen=True, slots=True)
class DocumentCheck:
    """The verdict on one document number: valid when no finding is an error; `derived` holds what it encodes."""

    valid: bool
    findings: list[Finding] = field(default_factory=list)
    derived: dict[str, Any] = field(default_factory=dict)


def error(code: str, /, **params: Any) -> Finding:
    """An error finding of the id_documents catalogue."""
    return Finding(code, "error", params, rule="id_documents")


def warning(code: str, /, **params: Any) -> Finding:
    """A warning finding of the id_documents catalogue."""
    return Finding(code, "warning", params, rule="id_documents")


def normalise(text: str, *, drop: str = "") -> str:
    """Full-width to ASCII (NFKC), upper case, without white space, hyphens and the characters of `drop`."""
    cleaned = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(c for c in cleaned if not c.isspace() and c != "-" and c not in drop)


def mask(number: str) -> str:
    """A personal document number as shown back to the applicant ("4401**********001X", "A1****63", "L8*****C3")."""
    if len(number) >= 15:
        return mask_id_number(number)
    keep = min(2, max(0, (len(number) - 1) // 3))
    return number[:keep] + "*" * (len(number) - 2 * keep) + (number[-keep:] if keep else "")


def parse_expiry(text: str) -> date | str | None:
    """The end of a validity period as printed ("2035.01.01", "2015.01.01-2035.01.01", "长期"), or None if unreadable.

    Returns a date, LONG_TERM, or None.
    """
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value:
        return None
    end: date | str | None = None
    rest_parts: list[str] = []
    position = 0
    tokens = re.compile(_DATE.pattern + r"|长期有效|長期有效|长期|長期|LONG[\s\-]?TERM|PERMANENT", re.IGNORECASE)
    for match in tokens.finditer(value):
        rest_parts.append(value[position:match.start()])
        position = match.end()
        word = re.sub(r"[\s\-]", "", match.group(0)).upper()
        if word in _LONG_TERM_WORDS:
            end = LONG_TERM
            continue
        groups = [g for g in match.groups() if g is not None]
        try:
            end = date(int(groups[0]), int(groups[1]), int(groups[2]))
        except ValueError:
            return None
    rest_parts.append(value[position:])
    if end is None or any(not _RANGE_FILLER.fullmatch(part) for part in rest_parts):
        return None
    return end


def check_validity(
    expiry: str | None, *, today: date, long_term_allowed: bool, derived: dict[str, Any]
) -> list[Finding]:
    """Findings on a document's validity period; records the expiry in `derived` ("YYYY-MM-DD" or "long_term")."""
    if expiry is None or not expiry.strip():
        return []
    end = parse_expiry(expiry)
    if end is None:
        return [error("doc_expiry_invalid", expiry=expiry.strip()[:40])]
    if end == LONG_TERM:
        if not long_term_allowed:
            return [error("doc_expiry_long_term_not_applicable")]
        derived["expiry"] = LONG_TERM
        return []
    if not isinstance(end, date):  # parse_expiry returns a date, LONG_TERM or None, handled above
        return [error("doc_expiry_invalid", expiry=expiry.strip()[:40])]
    derived["expiry"] = end.isoformat()
    if end < today:
        return [error("doc_expired", expiry=end.isoformat(), today=today.isoformat())]
    return []


def no_expiry(expiry: str | None) -> list[Finding]:
    """A warning when an expiry was given for a document that has none (it is ignored)."""
    if expiry is None or not expiry.strip():
        return []
    return [warning("doc_expiry_not_applicable", expiry=expiry.strip()[:40])]


def verdict(findings: list[Finding], derived: dict[str, Any] | None = None) -> DocumentCheck:
    """A DocumentCheck from findings: valid when none is an error."""
    return DocumentCheck(
        valid=not any(f.is_error for f in findings), findings=list(findings), derived=dict(derived or {})
    )
