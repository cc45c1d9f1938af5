"""check_participants: for each rule a case that breaks it and a near miss that passes."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from backend.domain.participants import BoardKind, Governance, Role, Supervision
from tests.domain.participants.builders import (
    FOUNDER_ROLES,
    NO_SUPERVISOR,
    SMALL,
    TODAY,
    check,
    codes,
    company,
    person,
    sole_founder,
)

R = Role
BOARD_AUDIT = Governance(board=BoardKind.BOARD, supervision=Supervision.AUDIT_COMMITTEE)


def board_of_three(*, chair_roles: tuple[Role, ...] = (R.CHAIR, R.LEGAL_REPRESENTATIVE)) -> list:
    """A board of three; the first director holds `chair_roles` and is the only shareholder and the liaison."""
    return [
        person("a", R.SHAREHOLDER, R.LIAISON, R.DIRECTOR, *chair_roles),
        person("b", R.DIRECTOR),
        person("c", R.DIRECTOR),
    ]


# -- the sole founder -------------------------------------------------------------------------------------------------

def test_sole_founder_with_a_separate_supervisor_passes() -> None:
    assert check(sole_founder()) == []


def test_sole_founder_without_supervisor_when_all_shareholders_agree_passes() -> None:
    assert check([person("f", *FOUNDER_ROLES)], NO_SUPERVISOR) == []


def test_board_with_audit_committee_passes() -> None:
    assert check(board_of_three(), BOARD_AUDIT) == []


# -- data -------------------------------------------------------------------------------------------------------------

def test_a_participant_listed_twice_is_refused() -> None:
    findings = check([*sole_founder(), person("s", R.SHAREHOLDER)])
    assert codes(findings) == ["participants_duplicate_id"]
    assert findings[0].params == {"id": "s"}


# -- shareholders (Art. 42) -------------------------------------------------------------------------------------------

def test_no_shareholder_is_refused() -> None:
    founder = person("f", R.LEGAL_REPRESENTATIVE, R.DIRECTOR, R.MANAGER, R.LIAISON)
    findings = check([founder, person("s", R.SUPERVISOR)])
    assert codes(findings) == ["participants_no_shareholder"]
    assert findings[0].rule == "company_law_2023_art42"
    assert findings[0].is_error


def test_a_corporate_shareholder_alone_counts_as_a_shareholder() -> None:
    founder = person("f", R.LEGAL_REPRESENTATIVE, R.DIRECTOR, R.MANAGER, R.LIAISON)
    assert check([company("c", "f"), founder, person("s", R.SUPERVISOR)]) == []


@pytest.mark.parametrize("count, expected", [(50, []), (51, ["participants_too_many_shareholders"])])
def test_fifty_shareholders_pass_and_fifty_one_do_not(count: int, expected: list[str]) -> None:
    others = [person(f"x{i}", R.SHAREHOLDER) for i in range(count - 1)]
    findings = check([*sole_founder(), *others])
    assert codes(findings) == expected
    if expected:
        assert findings[0].params == {"count": 51, "maximum": 50}
        assert findings[0].rule == "company_law_2023_art42"


# -- legal representative (Art. 10) -----------------------------------------------------------------------------------

def test_no_legal_representative_is_refused() -> None:
    founder = person("f", R.SHAREHOLDER, R.DIRECTOR, R.MANAGER, R.LIAISON)
    findings = check([founder, person("s", R.SUPERVISOR)])
    assert codes(findings) == ["participants_legal_representative_missing"]
    assert findings[0].rule == "company_law_2023_art10"


def test_two_legal_representatives_are_refused() -> None:
    participants = [*sole_founder(), person("m", R.DEPUTY_MANAGER, R.LEGAL_REPRESENTATIVE)]
    findings = check(participants)
    assert "participants_legal_representative_multiple" in codes(findings)
    assert findings[0].params == {"names": ["名f", "名m"]}


def test_legal_representative_who_is_neither_director_nor_manager_is_refused() -> None:
    founder = person("f", R.SHAREHOLDER, R.DIRECTOR, R.MANAGER, R.LIAISON)
    findings = check([founder, person("s", R.SUPERVISOR), person("x", R.LEGAL_REPRESENTATIVE)])
    assert codes(findings) == ["participants_legal_representative_not_director_or_manager"]
    assert findings[0].params == {"name": "名x"}


def test_legal_representative_who_is_only_the_manager_passes() -> None:
    founder = person("f", R.SHAREHOLDER, R.DIRECTOR, R.LIAISON)
    assert check([founder, person("m", R.MANAGER, R.LEGAL_REPRESENTATIVE), person("s", R.SUPERVISOR)]) == []


def test_sole_director_who_is_not_the_manager_may_be_legal_representative() -> None:
    founder = person("f", R.SHAREHOLDER, R.DIRECTOR, R.LEGAL_REPRESENTATIVE, R.LIAISON)
    assert check([founder, person("s", R.SUPERVISOR)]) == []


def test_plain_board_member_as_legal_representative_is_refused() -> None:
    findings = check(board_of_three(chair_roles=(R.LEGAL_REPRESENTATIVE,)), BOARD_AUDIT)
    assert codes(findings) == ["participants_legal_representative_director_not_executing"]


@pytest.mark.parametrize("role", [R.CHAIR, R.EXECUTIVE_DIRECTOR, R.MANAGER])
def test_board_member_who_chairs_executes_or_manages_may_be_legal_representative(role: Role) -> None:
    assert check(board_of_three(chair_roles=(role, R.LEGAL_REPRESENTATIVE)), BOARD_AUDIT) == []


# -- officers are adults and natural persons (Art. 178) ---------------------------------------------------------------

def test_director_one_day_short_of_eighteen_is_refused() -> None:
    birth = date(2007, 7, 1)  # 18 on 2025-07-01: on TODAY (2025-06-30) 17 years and 364 days
    assert TODAY + timedelta(days=1) == date(birth.year + 18, birth.month, birth.day)
    participants = [person("f", *FOUNDER_ROLES, birth=birth), person("s", R.SUPERVISOR)]
    findings = check(participants)
    assert codes(findings) == ["participants_officer_minor"]
    assert findings[0].rule == "company_law_2023_art178"
    assert findings[0].params["age"] == 17
    assert findings[0].params["roles"] == ["legal_representative", "director", "manager"]
    assert "董事" in findings[0].params["roles_zh_cn"] and "director" in findings[0].params["roles_en"]


def test_director_eighteen_years_old_to_the_day_passes() -> None:
    participants = [person("f", *FOUNDER_ROLES, birth=date(2007, 6, 30)), person("s", R.SUPERVISOR)]
    assert check(participants) == []


@pytest.mark.parametrize("today, adult", [(date(2022, 2, 28), False), (date(2022, 3, 1), True)])
def test_born_on_29_february_is_adult_from_1_march_in_a_common_year(today: date, adult: bool) -> None:
    participants = [person("f", *FOUNDER_ROLES), person("s", R.SUPERVISOR, birth=date(2004, 2, 29))]
    assert (check(participants, today=today) == []) is adult


def test_minor_supervisor_is_refused() -> None:
    participants = [person("f", *FOUNDER_ROLES), person("s", R.SUPERVISOR, birth=date(2010, 1, 1))]
    assert codes(check(participants)) == ["participants_officer_minor"]


def test_minor_who_is_only_a_shareholder_passes() -> None:
    assert check([*sole_founder(), person("kid", R.SHAREHOLDER, birth=date(2015, 1, 1))]) == []


def test_unknown_birth_date_is_not_a_finding() -> None:
    assert check([person("f", *FOUNDER_ROLES, birth=None), person("s", R.SUPERVISOR, birth=None)]) == []


def test_company_as_director_is_refused() -> None:
    participants = [*sole_founder(), company("c", "f", R.SHAREHOLDER, R.DIRECTOR)]
    findings = check(participants)
    assert "participants_officer_not_natural_person" in codes(findings)
    officer = next(f for f in findings if f.code == "participants_officer_not_natural_person")
    assert officer.params["roles"] == ["director"]
    assert officer.rule == "company_law_2023_officers_natural_persons"


# -- corporate shareholders act through their legal representative ----------------------------------------------------

def test_corporate_shareholder_linked_to_a_person_passes() -> None:
    assert check([*sole_founder(), person("r"), company("c", "r", kind="hk_company")]) == []


@pytest.mark.parametrize("representative", [None, "", "nobody"])
def test_corporate_shareholder_without_its_representative_is_refused(representative: str | None) -> None:
    findings = check([*sole_founder(), company("c", representative, kind="mo_company")])
    assert codes(findings) == ["participants_corporate_representative_missing"]
    assert findings[0].params == {"name": "公司c"}


def test_corporate_shareholder_represented_by_a_company_is_refused() -> None:
    findings = check([*sole_founder(), company("c1", "f"), company("c2", "c1")])
    assert codes(findings) == ["participants_corporate_representative_not_natural_person"]
    assert findings[0].params == {"name": "公司c2", "representative": "公司c1"}


# -- a supervisor is neither a director nor a senior manager (Art. 76) ------------------------------------------------

@pytest.mark.parametrize("role", [R.FINANCE_OFFICER, R.DEPUTY_MANAGER, R.MANAGER, R.DIRECTOR, R.CHAIR])
def test_supervisor_who_is_also_a_director_or_senior_manager_is_refused(role: Role) -> None:
    participants = [person("f", *FOUNDER_ROLES), person("s", R.SUPERVISOR, role)]
    findings = [f for f in check(participants) if f.code == "participants_supervisor_conflict"]
    assert len(findings) == 1
    assert findings[0].rule == "company_law_2023_art76"
    assert findings[0].params["roles"] == [str(role)]


@pytest.mark.parametrize("role", [R.SHAREHOLDER, R.LIAISON])
def test_supervisor_who_is_a_shareholder_or_the_liaison_passes(role: Role) -> None:
    assert check([person("f", *FOUNDER_ROLES), person("s", R.SUPERVISOR, role)]) == []


# -- board or single director (Art. 68, 75) ---------------------------------------------------------------------------

def test_board_of_two_is_refused() -> None:
    findings = check(board_of_three()[:2], BOARD_AUDIT)
    assert codes(findings) == ["participants_board_too_small"]
    assert findings[0].params == {"count": 2, "minimum": 3}
    assert findings[0].rule == "company_law_2023_art68"


@pytest.mark.parametrize("extra, count", [([person("d", R.DIRECTOR)], 2), ([], 0)])
def test_single_director_means_exactly_one(extra: list, count: int) -> None:
    founder_roles = FOUNDER_ROLES if count else (R.SHAREHOLDER, R.LEGAL_REPRESENTATIVE, R.MANAGER, R.LIAISON)
    findings = check([person("f", *founder_roles), person("s", R.SUPERVISOR), *extra])
    assert codes(findings) == ["participants_single_director_count"]
    assert findings[0].params == {"count": count}
    assert findings[0].rule == "company_law_2023_art75"


# -- supervision (Art. 69, 76, 83) ------------------------------------------------------------------------------------

def test_supervisory_board_of_three_passes_and_of_two_does_not() -> None:
    governance = Governance(board=BoardKind.SINGLE_DIRECTOR, supervision=Supervision.SUPERVISORY_BOARD)
    three = [person("f", *FOUNDER_ROLES), *(person(f"s{i}", R.SUPERVISOR) for i in range(3))]
    assert check(three, governance) == []
    findings = check(three[:3], governance)
    assert codes(findings) == ["participants_supervisory_board_too_small"]
    assert findings[0].params == {"count": 2, "minimum": 3}
    assert findings[0].rule == "company_law_2023_art76"


@pytest.mark.parametrize("supervisors", [0, 2])
def test_single_supervisor_means_exactly_one(supervisors: int) -> None:
    participants = [person("f", *FOUNDER_ROLES), *(person(f"s{i}", R.SUPERVISOR) for i in range(supervisors))]
    findings = check(participants, SMALL)
    assert codes(findings) == ["participants_single_supervisor_count"]
    assert findings[0].rule == "company_law_2023_art83"


def test_no_supervisor_without_the_shareholders_consent_is_refused() -> None:
    governance = Governance(board=BoardKind.SINGLE_DIRECTOR, supervision=Supervision.NO_SUPERVISOR)
    findings = check([person("f", *FOUNDER_ROLES)], governance)
    assert codes(findings) == ["participants_no_supervisor_without_consent"]
    assert findings[0].rule == "company_law_2023_art83"


def test_no_supervisor_chosen_but_one_listed_is_refused() -> None:
    findings = check(sole_founder(), NO_SUPERVISOR)
    assert codes(findings) == ["participants_supervisors_not_expected"]
    assert findings[0].params == {"count": 1, "supervision": "no_supervisor"}


def test_consent_recorded_with_another_arrangement_is_refused() -> None:
    governance = Governance(
        board=BoardKind.SINGLE_DIRECTOR, supervision=Supervision.SINGLE_SUPERVISOR,
        all_shareholders_agree_no_supervisor=True,
    )
    assert codes(check(sole_founder(), governance)) == ["participants_supervision_conflicting_choice"]


def test_audit_committee_without_a_board_is_refused() -> None:
    governance = Governance(board=BoardKind.SINGLE_DIRECTOR, supervision=Supervision.AUDIT_COMMITTEE)
    findings = check([person("f", *FOUNDER_ROLES)], governance)
    assert codes(findings) == ["participants_audit_committee_needs_board"]
    assert findings[0].rule == "company_law_2023_art69"


def test_audit_committee_with_a_supervisor_listed_is_refused() -> None:
    findings = check([*board_of_three(), person("s", R.SUPERVISOR)], BOARD_AUDIT)
    assert codes(findings) == ["participants_supervisors_not_expected"]
    assert findings[0].rule == "company_law_2023_art69"


# -- registration liaison (registration practice) ---------------------------------------------------------------------

def test_no_liaison_is_refused() -> None:
    founder = person("f", R.SHAREHOLDER, R.LEGAL_REPRESENTATIVE, R.DIRECTOR, R.MANAGER)
    findings = check([founder, person("s", R.SUPERVISOR)])
    assert codes(findings) == ["participants_liaison_missing"]
    assert findings[0].rule == "registration_practice_liaison"


def test_company_as_liaison_is_refused_and_a_person_passes() -> None:
    founder = person("f", R.SHAREHOLDER, R.LEGAL_REPRESENTATIVE, R.DIRECTOR, R.MANAGER)
    with_company = [founder, person("s", R.SUPERVISOR), company("c", "f", R.SHAREHOLDER, R.LIAISON)]
    assert codes(check(with_company)) == ["participants_liaison_not_natural_person"]
    assert check([founder, person("s", R.SUPERVISOR), person("l", R.LIAISON)]) == []


def test_every_finding_is_an_error_with_a_rule() -> None:
    broken = [company("c", None, R.SHAREHOLDER, R.DIRECTOR, R.LIAISON), person("s", R.SUPERVISOR, R.MANAGER)]
    findings = check(broken, Governance(board=BoardKind.BOARD, supervision=Supervision.NO_SUPERVISOR))
    assert len(findings) >= 6
    assert all(f.is_error and f.rule for f in findings)
