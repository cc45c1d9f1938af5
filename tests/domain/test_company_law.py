"""Company Law 2023 checks before signing: a seeded error for each rule is caught, cites its article, says the fix."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from backend.domain.company_law import check_formation, latest_payment_day
from backend.domain.participants import BoardKind, Governance, Role, Supervision
from backend.domain.participants.contributions import (
    Contribution,
    ContributionForm,
    parse_contribution,
    resolve_contributions,
)
from backend.i18n import LANGUAGES
from tests.domain.participants.builders import SMALL, TODAY, company, person

CAPITAL = Decimal("1000000.00")
DUE = dt.date(2029, 6, 30)


def two_shareholders() -> list:
    """Two shareholders (one also the sole director and legal representative), a separate manager and supervisor."""
    return [
        person("a", Role.SHAREHOLDER, Role.LEGAL_REPRESENTATIVE, Role.EXECUTIVE_DIRECTOR, Role.LIAISON),
        person("b", Role.SHAREHOLDER),
        person("m", Role.MANAGER, Role.FINANCE_OFFICER),
        person("s", Role.SUPERVISOR),
    ]


def split(a: str = "600000", b: str = "400000", due: dt.date = DUE) -> dict[str, Contribution]:
    return {
        "a": Contribution(amount_cny=Decimal(a), form=ContributionForm.CURRENCY, deadline=due),
        "b": Contribution(amount_cny=Decimal(b), form=ContributionForm.INTELLECTUAL_PROPERTY, deadline=due),
    }


def run(participants=None, contributions=None, governance: Governance = SMALL, capital: Decimal = CAPITAL):
    return check_formation(
        participants=participants if participants is not None else two_shareholders(), governance=governance,
        contributions=split() if contributions is None else contributions, registered_capital_cny=capital,
        formed_on=TODAY,
    )


def rules(findings) -> list[tuple[str, str]]:
    return [(f.rule, f.code) for f in findings]


def test_a_clean_two_shareholder_company_passes() -> None:
    assert run() == []


def test_a_corporate_shareholder_with_its_representative_passes() -> None:
    people = [person("a", Role.SHAREHOLDER, Role.LEGAL_REPRESENTATIVE, Role.EXECUTIVE_DIRECTOR, Role.MANAGER,
                     Role.LIAISON),
              company("c", "r"), person("r"), person("s", Role.SUPERVISOR)]
    contributions = {"a": split()["a"], "c": split()["b"]}
    assert run(people, contributions) == []


SEEDED = {
    # rule seeded -> (participants, contributions, governance, capital) changes
    "art47 five years": (dict(contributions=split(due=latest_payment_day(TODAY) + dt.timedelta(days=1))),
                         ("company_law_2023_art47", "company_law_contribution_too_late")),
    "art47 sum": (dict(contributions=split(b="300000")),
                  ("company_law_2023_art47", "company_law_contributions_do_not_add_up")),
    "art46 missing": (dict(contributions={"a": split()["a"]}),
                      ("company_law_2023_art46", "company_law_contribution_missing")),
    "art10 legal representative": (
        dict(participants=[person("a", Role.SHAREHOLDER, Role.LEGAL_REPRESENTATIVE, Role.LIAISON),
                           person("b", Role.SHAREHOLDER, Role.EXECUTIVE_DIRECTOR), person("m", Role.MANAGER),
                           person("s", Role.SUPERVISOR)]),
        ("company_law_2023_art10", "participants_legal_representative_not_director_or_manager")),
    "art42 no shareholder": (
        dict(participants=[person("a", Role.LEGAL_REPRESENTATIVE, Role.EXECUTIVE_DIRECTOR, Role.LIAISON),
                           person("s", Role.SUPERVISOR)], contributions={}),
        ("company_law_2023_art42", "participants_no_shareholder")),
    "art42 fifty-one shareholders": (
        dict(participants=two_shareholders() + [person(f"x{i}", Role.SHAREHOLDER) for i in range(49)],
             contributions={**split(), **{f"x{i}": Contribution(amount_cny=Decimal(1), form=ContributionForm.CURRENCY,
                                                                deadline=DUE) for i in range(49)}},
             capital=CAPITAL + 49),
        ("company_law_2023_art42", "participants_too_many_shareholders")),
    "art68 board of two": (dict(governance=Governance(board=BoardKind.BOARD, supervision=Supervision.SINGLE_SUPERVISOR)),
                           ("company_law_2023_art68", "participants_board_too_small")),
    "art75 two single directors": (
        dict(participants=two_shareholders() + [person("d", Role.DIRECTOR)]),
        ("company_law_2023_art75", "participants_single_director_count")),
    "art76 finance officer as supervisor": (
        dict(participants=[*two_shareholders()[:3], person("s", Role.SUPERVISOR, Role.FINANCE_OFFICER)]),
        ("company_law_2023_art76", "participants_supervisor_conflict")),
    "art83 no supervisor without consent": (
        dict(participants=two_shareholders()[:3],
             governance=Governance(board=BoardKind.SINGLE_DIRECTOR, supervision=Supervision.NO_SUPERVISOR)),
        ("company_law_2023_art83", "participants_no_supervisor_without_consent")),
    "art69 audit committee without a board": (
        dict(participants=two_shareholders()[:3],
             governance=Governance(board=BoardKind.SINGLE_DIRECTOR, supervision=Supervision.AUDIT_COMMITTEE)),
        ("company_law_2023_art69", "participants_audit_committee_needs_board")),
}


@pytest.mark.parametrize("seed", list(SEEDED))
def test_a_seeded_error_for_each_rule_is_caught(seed: str) -> None:
    changes, expected = SEEDED[seed]
    findings = run(**changes)
    assert expected in rules(findings), rules(findings)
    finding = next(f for f in findings if (f.rule, f.code) == expected)
    shown = finding.to_dict("en")
    assert set(shown["messages"]) == set(LANGUAGES)
    assert all("{" not in text for text in shown["messages"].values())  # every placeholder filled
    article = expected[0].rsplit("art", 1)[1]
    assert f"Art. {article}" in shown["messages"]["en"]


def test_only_shareholders_contribute_and_the_message_says_how_to_fix() -> None:
    findings = run(contributions={**split(), "m": split()["a"]}, capital=CAPITAL + 600000)
    [finding] = [f for f in findings if f.code == "company_law_contribution_not_shareholder"]
    assert finding.params["name"] == "名m" and "Give them the shareholder role" in finding.to_dict("en")["message"]


def test_the_five_year_limit_is_inclusive_and_a_past_date_is_refused() -> None:
    assert latest_payment_day(dt.date(2024, 2, 29)) == dt.date(2029, 2, 28)
    assert run(contributions=split(due=latest_payment_day(TODAY))) == []
    late = run(contributions=split(due=latest_payment_day(TODAY) + dt.timedelta(days=1)))
    assert [f.params["latest"] for f in late if f.code == "company_law_contribution_too_late"] == ["2030-06-30"] * 2
    assert "company_law_contribution_deadline_past" in [f.code for f in run(contributions=split(due=TODAY - dt.timedelta(days=1)))]


def test_a_sole_shareholder_without_a_stated_contribution_holds_the_whole_capital() -> None:
    resolved = resolve_contributions(shareholder_ids=["a"], stated={}, registered_capital_cny=CAPITAL, default_deadline=DUE)
    assert resolved == {"a": Contribution(amount_cny=CAPITAL, form=ContributionForm.CURRENCY, deadline=DUE)}
    two = resolve_contributions(shareholder_ids=["a", "b"], stated={}, registered_capital_cny=CAPITAL, default_deadline=DUE)
    assert two == {}  # two shareholders must each state theirs: the check reports both missing


@pytest.mark.parametrize("raw, field", [
    ({"amount_cny": "0", "deadline": "2029-01-01"}, "amount_cny"),
    ({"amount_cny": "1.234", "deadline": "2029-01-01"}, "amount_cny"),
    ({"amount_cny": "100", "form": "labour", "deadline": "2029-01-01"}, "form"),  # art. 48: labour is no contribution
    ({"amount_cny": "100", "deadline": "soon"}, "deadline"),
])
def test_bad_contributions_name_the_field(raw, field) -> None:
    with pytest.raises(ValueError) as error:
        parse_contribution(raw)
    assert str(error.value) == field
