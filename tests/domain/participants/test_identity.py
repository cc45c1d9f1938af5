"""roles_needing_identity: every natural person to identify before anyone signs."""
from __future__ import annotations

from backend.domain.participants import Role, roles_needing_identity
from tests.domain.participants.builders import company, person, sole_founder

R = Role


def ids(people: tuple) -> list[str]:
    return [p.id for p in people]


def test_sole_founder_and_supervisor() -> None:
    assert ids(roles_needing_identity(sole_founder())) == ["f", "s"]


def test_every_listed_role_needs_identity_once_in_order() -> None:
    roles = [R.SHAREHOLDER, R.LEGAL_REPRESENTATIVE, R.DIRECTOR, R.CHAIR, R.EXECUTIVE_DIRECTOR, R.SUPERVISOR,
             R.MANAGER, R.FINANCE_OFFICER, R.LIAISON]
    people = [person(f"p{i}", role) for i, role in enumerate(roles)]
    assert ids(roles_needing_identity(people)) == [f"p{i}" for i in range(len(roles))]


def test_corporate_shareholders_are_not_listed_but_their_representatives_are() -> None:
    people = [company("c", "r"), person("r"), person("f", R.SHAREHOLDER)]
    assert ids(roles_needing_identity(people)) == ["r", "f"]


def test_a_representative_who_also_holds_roles_is_listed_once() -> None:
    people = [person("r", R.LIAISON), company("c1", "r"), company("c2", "r")]
    assert ids(roles_needing_identity(people)) == ["r"]


def test_a_deputy_manager_alone_or_a_person_without_roles_is_not_listed() -> None:
    assert roles_needing_identity([person("d", R.DEPUTY_MANAGER), person("n")]) == ()


def test_a_minor_shareholder_is_listed() -> None:
    from datetime import date

    assert ids(roles_needing_identity([person("k", R.SHAREHOLDER, birth=date(2015, 1, 1))])) == ["k"]
