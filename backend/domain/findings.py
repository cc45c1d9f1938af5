"""One finding of a check (a name rule, a document check ...): a stable code, its values and where it applies."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from backend.i18n import DEFAULT_LANGUAGE, LANGUAGES, messages

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule that failed (error) or deserves attention (warning), with the values and span that triggered it.

    `span` is a half-open range `(start, end)` of character positions in the text that was checked,
    `rule` names the rule (see the checklist in the specs), `hint_code` is the catalogue code of what to do instead.
    """

    code: str
    severity: Severity
    params: dict[str, Any] = field(default_factory=dict)
    span: tuple[int, int] | None = None
    rule: str | None = None
    hint_code: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")
        if self.span is not None:
            start, end = self.span
            if not 0 <= start <= end:
                raise ValueError(f"span must be (start, end) with 0 <= start <= end, not {self.span!r}")

    @property
    def is_error(self) -> bool:
        """Whether this finding blocks the step (severity error)."""
        return self.severity == "error"

    def to_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        """Render for a client: code, rule, severity, span, params and the message in `lang` and in every language."""
        lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        texts = messages(self.code, self.params)
        out: dict[str, Any] = {
            "rule": self.rule,
            "code": self.code,
            "severity": self.severity,
            "span": list(self.span) if self.span is not None else None,
            "params": dict(self.params),
            "message": texts[lang],
            "messages": texts,
        }
        if self.hint_code:
            hints = messages(self.hint_code, self.params)
            out["hint"] = {"code": self.hint_code, "message": hints[lang], "messages": hints}
        return out


def has_errors(findings: list[Finding]) -> bool:
    """Whether any finding is an error."""
    return any(f.is_error for f in findings)
