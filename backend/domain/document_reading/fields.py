"""A field read from a document: its value, confidence and whether the applicant must confirm it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from backend.domain.findings import Finding

MIN_CONFIDENCE = 0.90  # below this the applicant confirms the field (PP-OCR scores clean print at 0.97-1.0)
READING = "document_reading"


def finding(code: str, /, **params: Any) -> Finding:
    """A warning of the document_reading catalogue (the applicant confirms; nothing is refused)."""
    return Finding(code, "warning", params, rule=READING)


@dataclass(slots=True)
class ReadField:
    """One field: `value` None when it was not found; `findings` say why it must be confirmed."""

    name: str
    value: str | None
    confidence: float
    checked: bool = False  # validated by a check digit or a rule of identifiers.md
    findings: list[Finding] = field(default_factory=list)

    @property
    def needs_confirmation(self) -> bool:
        """Missing, low-confidence or failing fields are shown to the applicant, never accepted silently."""
        return self.value is None or self.confidence < MIN_CONFIDENCE or bool(self.findings)

    def to_dict(self, lang: str) -> dict[str, Any]:
        """The JSON shape of the API."""
        return {
            "name": self.name, "value": self.value, "confidence": round(self.confidence, 3),
            "checked": self.checked, "status": "confirm" if self.needs_confirmation else "ok",
            "findings": [f.to_dict(lang) for f in self.findings],
        }


@dataclass(slots=True)
class DocumentReading:
    """Every field a document shows, in its printed order."""

    type: str
    fields: list[ReadField]

    def get(self, name: str) -> ReadField:
        """The field with this name (KeyError if the document has none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def values(self) -> dict[str, str | None]:
        """Field name -> value."""
        return {f.name: f.value for f in self.fields}


def low_confidence(read: ReadField) -> None:
    """Add the low-confidence finding when the model was unsure."""
    if read.value is not None and read.confidence < MIN_CONFIDENCE:
        read.findings.append(finding("read_low_confidence", field=read.name, confidence=round(read.confidence, 2)))


def missing(read: ReadField) -> None:
    """Add the not-found finding."""
    if read.value is None:
        read.findings.append(finding("read_field_missing", field=read.name))


def iso(year: str | int, month: str | int, day: str | int) -> str | None:
    """A date as YYYY-MM-DD, or None if it is not a date."""
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
