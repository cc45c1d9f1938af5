"""The Company Law 2023 rules on who may hold which role, checked where the data allows. Pure, no I/O.

Messages are in `backend/i18n/participants.json`. Rule ids cite the article of the Company Law of the PRC as revised
on 2023-12-29 (in force 2024-07-01) where one was confirmed; rules of registration practice say so in their id.
Rules the data cannot show are left out: "small scale or few shareholders" (Art. 75, 83) is the company's own claim,
and the share of employee representatives on a supervisory board (Art. 76) is not recorded here.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from backend.domain.findings import Finding
from backend.i18n import messages
from backend.domain.participants.model import (
    DIRECTOR_ROLES,
    OFFICER_ROLES,
    SENIOR_MANAGER_ROLES,
    BoardKind,
    CorporateShareholder,
    Governance,
    NaturalPerson,
    Participant,
    Role,
    Supervision,
)

MAX_LLC_SHAREHOLDERS = 50  # Art. 42: one to fifty shareholders
MIN_BOARD_SIZE = 3  # Art. 68: a board has three or more members
MIN_SUPERVISORY_BOARD_SIZE = 3  # Art. 76: a supervisory board has three or more members
ADULT_AGE = 18  # Civil Code: adults are 18 or over; Art. 178 (1) bars persons without full capacity

ART10 = "company_law_2023_art10"
ART42 = "company_law_2023_art42"
ART68 = "company_law_2023_art68"
ART69 = "company_law_2023_art69"
ART75 = "company_law_2023_art75"
ART76 = "company_law_2023_art76"
ART83 = "company_law_2023_art83"
ART178 = "company_law_2023_art178"
OFFICERS_NATURAL = "company_law_2023_officers_natural_persons"
CORPORATE_REPRESENTATIVE = "registration_practice_corporate_representative"
LIAISON = "registration_practice_liaison"
DATA = "participants_data"


def _error(code: str, rule: str, **params: Any) -> Finding:
    return Finding(code, "error", params, rule=rule)


def _role_params(roles: Iterable[Role]) -> dict[str, Any]:
    """The roles as codes (`roles`) and as words in each language (`roles_zh_cn`, `roles_zh_hk`, `roles_en`)."""
    order = list(Role)
    ranked = sorted(roles, key=order.index)
    labels = [messages(f"participants_role_{r}") for r in ranked]
    return {
        "roles": [str(r) for r in ranked],
        "roles_zh_cn": "、".join(label["zh-CN"] for label in labels),
        "roles_zh_hk": "、".join(label["zh-HK"] for label in labels),
        "roles_en": ", ".join(label["en"] for label in labels),
    }


def _holding(participants: Sequence[Participant], roles: Iterable[Role]) -> list[Participant]:
    wanted = frozenset(roles)
    return [p for p in participants if p.roles & wanted]


def check_participants(
    *, participants: Sequence[Participant], governance: Governance, today: date
) -> list[Finding]:
    """Every rule on the participants and governance of a limited liability company that fails, as findings."""
    people = list(participants)
    findings: list[Finding] = []
    findings += _check_ids(people)
    findings += _check_shareholders(people)
    findings += _check_legal_representative(people, governance)
    findings += _check_officers(people, today)
    findings += _check_corporate_representatives(people)
    findings += _check_supervisor_independence(people)
    findings += _check_board(people, governance)
    findings += _check_supervision(people, governance)
    findings += _check_liaison(people)
    return findings


def _check_ids(people: list[Participant]) -> list[Finding]:
    repeated = sorted(i for i, n in Counter(p.id for p in people).items() if n > 1)
    return [_error("participants_duplicate_id", DATA, id=i) for i in repeated]


def _check_shareholders(people: list[Participant]) -> list[Finding]:
    count = len(_holding(people, [Role.SHAREHOLDER]))
    if count == 0:
        return [_error("participants_no_shareholder", ART42)]
    if count > MAX_LLC_SHAREHOLDERS:
        return [_error("participants_too_many_shareholders", ART42, count=count, maximum=MAX_LLC_SHAREHOLDERS)]
    return []


def _check_legal_representative(people: list[Participant], governance: Governance) -> list[Finding]:
    holders = _holding(people, [Role.LEGAL_REPRESENTATIVE])
    if not holders:
        return [_error("participants_legal_representative_missing", ART10)]
    if len(holders) > 1:
        return [_error("participants_legal_representative_multiple", ART10, names=[p.name for p in holders])]
    holder = holders[0]
    if Role.MANAGER in holder.roles:
        return []
    if not holder.roles & DIRECTOR_ROLES:
        return [_error("participants_legal_representative_not_director_or_manager", ART10, name=holder.name)]
    executing = holder.roles & {Role.CHAIR, Role.EXECUTIVE_DIRECTOR} or governance.board is BoardKind.SINGLE_DIRECTOR
    if not executing:
        return [_error("participants_legal_representative_director_not_executing", ART10, name=holder.name)]
    return []


def _check_officers(people: list[Participant], today: date) -> list[Finding]:
    findings: list[Finding] = []
    for person in people:
        held = person.roles & OFFICER_ROLES
        if not held:
            continue
        if isinstance(person, CorporateShareholder):
            findings.append(
                _error(
                    "participants_officer_not_natural_person", OFFICERS_NATURAL,
                    name=person.name, **_role_params(held),
                )
            )
            continue
        age = person.age_on(today)
        if age is not None and age < ADULT_AGE:
            findings.append(
                _error(
                    "participants_officer_minor", ART178,
                    name=person.name, age=age, minimum=ADULT_AGE, **_role_params(held),
                )
            )
    return findings


def _check_corporate_representatives(people: list[Participant]) -> list[Finding]:
    by_id = {p.id: p for p in people}
    findings: list[Finding] = []
    for company in people:
        if not isinstance(company, CorporateShareholder):
            continue
        representative = by_id.get(company.representative_id or "")
        if representative is None:
            findings.append(
                _error("participants_corporate_representative_missing", CORPORATE_REPRESENTATIVE, name=company.name)
            )
        elif not isinstance(representative, NaturalPerson):
            findings.append(
                _error(
                    "participants_corporate_representative_not_natural_person", CORPORATE_REPRESENTATIVE,
                    name=company.name, representative=representative.name,
                )
            )
    return findings


def _check_supervisor_independence(people: list[Participant]) -> list[Finding]:
    findings: list[Finding] = []
    for person in _holding(people, [Role.SUPERVISOR]):
        conflicting = person.roles & (DIRECTOR_ROLES | SENIOR_MANAGER_ROLES)
        if conflicting:
            findings.append(
                _error("participants_supervisor_conflict", ART76, name=person.name, **_role_params(conflicting))
            )
    return findings


def _check_board(people: list[Participant], governance: Governance) -> list[Finding]:
    count = len(_holding(people, DIRECTOR_ROLES))
    if governance.board is BoardKind.BOARD and count < MIN_BOARD_SIZE:
        return [_error("participants_board_too_small", ART68, count=count, minimum=MIN_BOARD_SIZE)]
    if governance.board is BoardKind.SINGLE_DIRECTOR and count != 1:
        return [_error("participants_single_director_count", ART75, count=count)]
    return []


def _check_supervision(people: list[Participant], governance: Governance) -> list[Finding]:
    supervisors = len(_holding(people, [Role.SUPERVISOR]))
    mode = governance.supervision
    findings: list[Finding] = []
    if governance.all_shareholders_agree_no_supervisor and mode is not Supervision.NO_SUPERVISOR:
        findings.append(_error("participants_supervision_conflicting_choice", ART83, supervision=str(mode)))
    if mode is Supervision.SUPERVISORY_BOARD and supervisors < MIN_SUPERVISORY_BOARD_SIZE:
        findings.append(
            _error(
                "participants_supervisory_board_too_small", ART76,
                count=supervisors, minimum=MIN_SUPERVISORY_BOARD_SIZE,
            )
        )
    elif mode is Supervision.SINGLE_SUPERVISOR and supervisors != 1:
        findings.append(_error("participants_single_supervisor_count", ART83, count=supervisors))
    elif mode is Supervision.NO_SUPERVISOR:
        if not governance.all_shareholders_agree_no_supervisor:
            findings.append(_error("participants_no_supervisor_without_consent", ART83))
        if supervisors:
            findings.append(
                _error("participants_supervisors_not_expected", ART83, count=supervisors, supervision=str(mode))
            )
    elif mode is Supervision.AUDIT_COMMITTEE:
        if governance.board is not BoardKind.BOARD:
            findings.append(_error("participants_audit_committee_needs_board", ART69))
        if supervisors:
            findings.append(
                _error("participants_supervisors_not_expected", ART69, count=supervisors, supervision=str(mode))
            )
    return findings


def _check_liaison(people: list[Participant]) -> list[Finding]:
    holders = _holding(people, [Role.LIAISON])
    if not holders:
        return [_error("participants_liaison_missing", LIAISON)]
    return [
        _error("participants_liaison_not_natural_person", LIAISON, name=p.name)
        for p in holders
        if isinstance(p, CorporateShareholder)
    ]
