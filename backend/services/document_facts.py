"""What the documents state, gathered from the application: its details, every participant with their roles and
contribution, the governance chosen; the Company Law checks run on the same data before anything is drafted."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from backend.adapters.documents import CompanyFacts, Person, Shareholder
from backend.domain.company_law import check_formation
from backend.domain.participants import DIRECTOR_ROLES, BoardKind, Role
from backend.domain.participants.contributions import parse_contribution, resolve_contributions
from backend.errors import CheckFailed, Conflict
from backend.models import Application, Identity, Participant
from backend.services.container import Services
from backend.services.identity import FOUNDER, today
from backend.services.participant_records import identity_key, open_participant, to_domain
from backend.services.participants import governance_of


async def company_facts(svc: Services, application: Application) -> CompanyFacts:
    """Everything the documents state, from what the applicant gave; refused (422 with findings) when a Company Law
    check fails."""
    identity = await Identity.filter(application_id=application.id, role=FOUNDER, status="verified").first()
    if identity is None or identity.digest != application.identity_digest or not application.details:
        raise Conflict("review_identity")
    details = application.details
    rows = await Participant.filter(application_id=application.id).order_by("created_at")
    people = to_domain(svc, rows)
    governance = governance_of(application)
    capital = Decimal(details["registered_capital_cny"])
    stated = {str(r.id): parse_contribution(r.contribution) for r in rows if r.contribution}
    shareholder_ids = [p.id for p in people if Role.SHAREHOLDER in p.roles]
    contributions = resolve_contributions(shareholder_ids=shareholder_ids, stated=stated, registered_capital_cny=capital,
                                          default_deadline=dt.date.fromisoformat(details["contribution_deadline"]))
    findings = check_formation(participants=people, governance=governance, contributions=contributions,
                               registered_capital_cny=capital, formed_on=today(svc))
    if findings:
        raise CheckFailed("company_law_checks_failed", findings=findings)

    opened = {str(r.id): open_participant(svc, r) for r in rows}
    kinds = {str(r.id): r for r in rows}
    names = {pid: facts.name for pid, facts in opened.items()}

    def person(pid: str) -> Person:
        row = kinds[pid]
        number = identity_key(row.document_type, opened[pid].number).split("|")[0]
        return Person(id=pid, name=opened[pid].name, document_type=row.document_type, document_number=number)

    def holding(role: Role) -> list[str]:
        return [p.id for p in people if role in p.roles]

    shareholders = tuple(
        Shareholder(id=pid, name=names[pid], kind=kinds[pid].kind, document_type=kinds[pid].document_type,
                    document_number=person(pid).document_number, amount_cny=contributions[pid].amount_cny,
                    form=str(contributions[pid].form), deadline=contributions[pid].deadline,
                    representative=names.get(str(kinds[pid].representative_id)) if kinds[pid].representative_id else None)
        for pid in shareholder_ids
    )
    directors = [p.id for p in people if p.roles & DIRECTOR_ROLES]
    [legal] = [p for p in people if Role.LEGAL_REPRESENTATIVE in p.roles]
    if Role.CHAIR in legal.roles:
        office = "chair"
    elif Role.EXECUTIVE_DIRECTOR in legal.roles or (legal.roles & DIRECTOR_ROLES and governance.board is BoardKind.SINGLE_DIRECTOR):
        office = "executive_director"
    else:
        office = "manager" if Role.MANAGER in legal.roles else "director"
    chairs = holding(Role.CHAIR)
    managers, finance, liaison = holding(Role.MANAGER), holding(Role.FINANCE_OFFICER), holding(Role.LIAISON)
    phone = None
    if application.contact_sealed:
        phone = svc.sealer.open_json(bytes(application.contact_sealed), aad=f"contact:{application.id}")["liaison_phone"]
    return CompanyFacts(
        application_id=str(application.id), company_name=application.company_name or "",
        address=details["address"], address_subdivision=details.get("address_subdivision") or "黄埔区",
        business_scope=tuple(details["business_scope"]), registered_capital_cny=capital, prepared_on=today(svc),
        shareholders=shareholders, board=str(governance.board), directors=tuple(person(pid) for pid in directors),
        chair=names[chairs[0]] if chairs else None, legal_representative=person(legal.id),
        legal_representative_office=office, manager=person(managers[0]) if managers else None,
        supervision=str(governance.supervision), supervisors=tuple(person(pid) for pid in holding(Role.SUPERVISOR)),
        finance_officer=person(finance[0]) if finance else None, liaison=person(liaison[0]), liaison_phone=phone,
    )
