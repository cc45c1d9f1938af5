"""Applications a partner submits for applicants it verified in person. The applicant's account is not a WeChat
user (a user row with a partner-scoped synthetic openid); the partner then drives the same use cases as the
mini-program on the applicant's behalf (consent, participants, name, details, documents), so no rule is repeated."""
from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from typing import Any

from backend.errors import InvalidInput, KaibanError
from backend.models import Application, Participant, User
from backend.services import applications, consent, participants, verification
from backend.services.assurance import assurance_config, required_assurance
from backend.services.signing_status import signing_status
from backend.services.attestations import partner_application, pending_verifications
from backend.services.container import Services
from backend.services.participant_records import check_identity_document, clean_name, parse_roles, participant_view
from backend.services.partner_auth import AuthenticatedPartner
from backend.services.views import application_view

PARTNER_APPID = "kaiban-partner"  # the `appid` of applicant accounts a partner opened (no WeChat account behind)
MAX_PARTICIPANTS = 20


@dataclasses.dataclass(frozen=True, kw_only=True)
class NewParticipant:
    """A participant as the partner submits it; `representative` is the index of a company's representative."""

    kind: str
    name: str
    roles: Sequence[str]
    document_type: str
    document_number: str
    expiry: str | None = None
    representative: int | None = None
    founder: bool = False
    contribution: dict[str, Any] | None = None  # a shareholder's subscription (amount in CNY, form, deadline)


def _check_all(svc: Services, people: Sequence[NewParticipant]) -> None:
    """Every document and role checked before anything is stored, so a bad one leaves no half-made application."""
    if not 1 <= len(people) <= MAX_PARTICIPANTS:
        raise InvalidInput("partner_participants_count", maximum=MAX_PARTICIPANTS)
    founders = [p for p in people if p.founder]
    if len(founders) != 1 or founders[0].kind != "person":
        raise InvalidInput("partner_founder_required")
    for position, person in enumerate(people):
        parse_roles(person.roles)
        clean_name(person.name)
        check_identity_document(svc, kind=person.kind, document_type=person.document_type, number=person.document_number,
                                expiry=person.expiry)
        rep = person.representative
        if person.kind == "company" and rep is not None and not (0 <= rep < len(people) and people[rep].kind == "person"):
            raise InvalidInput("partner_representative_invalid", position=position)
        if person.kind == "person" and rep is not None:
            raise InvalidInput("participant_representative_not_applicable")


async def submit(svc: Services, *, partner: AuthenticatedPartner, entity_type: str, reference: str | None,
                 consent_version: str, people: Sequence[NewParticipant]) -> Application:
    """Open an application for an applicant the partner verified, with its participants, each person's partner
    attestation pending; any refusal withdraws what was opened."""
    partner.require("applications:submit")
    _check_all(svc, people)
    now = svc.clock.now()
    owner = await User.create(id=uuid.uuid4(), appid=PARTNER_APPID, openid=f"{partner.id}:{uuid.uuid4().hex}",
                              created_at=now, last_login_at=now)
    user_id = str(owner.id)
    created = await applications.create_application(svc, user_id=user_id, entity_type=entity_type)
    await Application.filter(id=created.id).update(partner_id=partner.id, partner_reference=reference)
    try:
        await consent.grant(svc, user_id=user_id, application_id=str(created.id), text_version=consent_version, accept=True)
        ids: dict[int, str] = {}
        order = sorted(range(len(people)), key=lambda i: people[i].kind != "person")  # representatives first
        for i in order:
            p = people[i]
            row = await participants.add_participant(
                svc, user_id=user_id, application_id=str(created.id), kind=p.kind, name=p.name, roles=p.roles,
                document_type=p.document_type, document_number=p.document_number, expiry=p.expiry,
                representative_id=ids.get(p.representative) if p.representative is not None else None,
                contribution=p.contribution)
            ids[i] = str(row.id)
            if p.founder:
                await Participant.filter(id=row.id).update(user_id=owner.id)
            if p.kind == "person":
                await verification.start_verification(svc, user_id=user_id, application_id=str(created.id),
                                                      participant_id=str(row.id), method="partner_attestation")
    except KaibanError:
        await applications.withdraw_application(svc, user_id=user_id, application_id=str(created.id))
        raise
    return await Application.get(id=created.id)


async def acting_owner(partner: AuthenticatedPartner, application_id: str, *, scope: str) -> str:
    """The applicant account the partner acts for on one of its applications (404 for anyone else's)."""
    partner.require(scope)
    application = await partner_application(partner.id, application_id)
    return str(application.owner_id)


async def list_mine(partner: AuthenticatedPartner) -> list[Application]:
    """The partner's applications, newest first."""
    partner.require("applications:read")
    return await Application.filter(partner_id=partner.id).order_by("-created_at").limit(200)


async def status_view(svc: Services, application: Application, *, lang: str) -> dict[str, Any]:
    """An application as its partner sees it: the applicant's view, with every participant's verification and
    signature status (names and numbers masked)."""
    view = await application_view(svc, application, lang=lang)
    rows = await Participant.filter(application_id=application.id).order_by("created_at")
    latest = await pending_verifications([r.id for r in rows])
    signing = await signing_status(svc, application, user_id=None)
    by_person: dict[str, set[str]] = {}
    for slot in signing["signers"]:  # a company's slot is signed by its representative, on its behalf
        by_person.setdefault(slot["on_behalf_of"] or slot["participant_id"], set()).add(slot["status"])
    config = assurance_config(svc.settings)
    people = []
    for row in rows:
        item = participant_view(svc, row)
        check = latest.get(str(row.id))
        item["verification"] = None if check is None else {"method": check.method, "status": check.status,
                                                           "assurance": check.assurance}
        item["founder"] = row.user_id is not None and str(row.user_id) == str(application.owner_id)
        states = by_person.get(str(row.id), set())
        item["signature"] = ("signed" if states == {"signed"} else "sign_again" if "sign_again" in states
                             else "not_signed" if states else "not_required")
        if row.kind == "person":  # what signing will ask of this person (configuration, not code)
            item["signing_requires"] = required_assurance("sign", row.document_type, config)
        people.append(item)
    base = f"/api/v1/partner/applications/{application.id}"
    return {**view, "reference": application.partner_reference, "participants": people, "signing": signing,
            "links": {"self": base, "attestations": f"{base}/attestations"}}

