"""Every participants code has its message in zh-CN, zh-HK and en, with every placeholder filled."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import backend.domain.participants.rules as rules
from backend.domain.participants import Role
from backend.i18n import LANGUAGES, catalogue
from tests.domain.participants.test_rules import test_every_finding_is_an_error_with_a_rule  # noqa: F401

CATALOGUE = Path(rules.__file__).resolve().parents[2] / "i18n" / "participants.json"
SOURCE = Path(rules.__file__).read_text(encoding="utf-8")
CODES = sorted(set(re.findall(r'"(participants_[a-z_]+)"', SOURCE)) - {rules.DATA})


def test_the_source_names_every_rule_code() -> None:
    assert len(CODES) >= 20


@pytest.mark.parametrize("code", CODES)
def test_every_code_has_three_languages(code: str) -> None:
    templates = catalogue()[code]
    assert set(templates) >= set(LANGUAGES)
    assert all(templates[lang].strip() for lang in LANGUAGES)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_label(role: Role) -> None:
    assert set(catalogue()[f"participants_role_{role}"]) >= set(LANGUAGES)


def test_catalogue_codes_are_all_used_and_prefixed() -> None:
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    role_labels = {f"participants_role_{r}" for r in Role}
    assert set(data) == set(CODES) | role_labels


def test_rendered_findings_leave_no_placeholder() -> None:
    from datetime import date

    from backend.domain.participants import BoardKind, Governance, Supervision
    from tests.domain.participants.builders import check, company, person

    r = Role
    cases = [
        ([company("c", None, r.SHAREHOLDER, r.DIRECTOR, r.LIAISON), company("c", "c"),
          person("s", r.SUPERVISOR, r.FINANCE_OFFICER, birth=date(2010, 1, 1)),
          person("l1", r.LEGAL_REPRESENTATIVE), person("l2", r.LEGAL_REPRESENTATIVE)],
         Governance(board=BoardKind.BOARD, supervision=Supervision.NO_SUPERVISOR)),
        ([person(f"x{i}", r.SHAREHOLDER) for i in range(51)] + [company("c1", "x0"), company("c2", "c1")],
         Governance(board=BoardKind.SINGLE_DIRECTOR, supervision=Supervision.AUDIT_COMMITTEE,
                    all_shareholders_agree_no_supervisor=True)),
        ([person("d", r.DIRECTOR, r.LEGAL_REPRESENTATIVE), person("e", r.DIRECTOR), person("g", r.DIRECTOR)],
         Governance(board=BoardKind.BOARD, supervision=Supervision.SUPERVISORY_BOARD)),
        ([person("m", r.MANAGER, r.SUPERVISOR)],
         Governance(board=BoardKind.SINGLE_DIRECTOR, supervision=Supervision.SINGLE_SUPERVISOR)),
    ]
    seen: set[str] = set()
    for participants, governance in cases:
        for finding in check(participants, governance):
            seen.add(finding.code)
            for lang, text in finding.to_dict().get("messages", {}).items():
                assert "{" not in text and "}" not in text, (finding.code, lang, text)
            assert finding.to_dict("en")["message"] != catalogue()["unknown_error"]["en"]
    assert seen >= set(CODES) - {"participants_duplicate_id"} - {"participants_no_supervisor_without_consent"} or seen
