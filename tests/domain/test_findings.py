"""Finding: validation and rendering through the message catalogues."""
from __future__ import annotations

import pytest

from backend.domain.findings import Finding, has_errors
from backend.i18n import LANGUAGES, catalogue


def test_to_dict_renders_every_language_and_the_hint() -> None:
    finding = Finding(
        "name_trade_name_too_short", "error", {"trade_name": "云", "length": 1},
        span=(2, 3), rule="name.trade_name", hint_code="hint_name_trade_name_too_short",
    )
    out = finding.to_dict("en")
    assert out["rule"] == "name.trade_name"
    assert out["code"] == "name_trade_name_too_short"
    assert out["severity"] == "error"
    assert out["span"] == [2, 3]
    assert out["params"] == {"trade_name": "云", "length": 1}
    assert set(out["messages"]) == set(LANGUAGES)
    assert out["message"] == out["messages"]["en"]
    assert "云" in out["messages"]["zh-CN"] and "1" in out["messages"]["zh-CN"]
    assert out["hint"]["code"] == "hint_name_trade_name_too_short"
    assert out["hint"]["message"] == out["hint"]["messages"]["en"]


def test_to_dict_without_span_or_hint_and_unknown_language_falls_back() -> None:
    out = Finding("name_empty", "warning").to_dict("fr")
    assert out["span"] is None
    assert "hint" not in out
    assert out["message"] == out["messages"]["zh-CN"]


def test_unknown_code_uses_the_generic_message() -> None:
    out = Finding("no_such_code", "error").to_dict("en")
    assert out["message"] == catalogue()["unknown_error"]["en"]


@pytest.mark.parametrize("severity, span", [("fatal", None), ("error", (3, 1)), ("error", (-1, 2))])
def test_bad_severity_or_span_is_refused(severity: str, span: tuple[int, int] | None) -> None:
    with pytest.raises(ValueError):
        Finding("name_empty", severity, span=span)  # type: ignore[arg-type]


def test_has_errors() -> None:
    assert not has_errors([Finding("x", "warning")])
    assert has_errors([Finding("x", "warning"), Finding("y", "error")])
