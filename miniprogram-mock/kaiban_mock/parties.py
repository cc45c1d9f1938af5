"""Companies of several people, each signing on their own phone (a simulated WeChat user of their own).

  two_shareholders       two shareholders, a separate manager and a supervisor: the founder invites each, each
                         links their WeChat with the code, consents, passes their own face check and signs
  corporate_shareholder  a mainland company holds shares beside the founder and signs through its legal
                         representative, whose signature records the company's seal
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import random
from typing import Any

from kaiban_mock import testdata
from kaiban_mock.client import KaibanClient
from kaiban_mock.scenarios import FlowHooks, ScenarioError, _field, scenario, sole_founder
from kaiban_mock.steplog import StepLog
from kaiban_mock.wechat import WeChatPhone


@dataclasses.dataclass
class CoSigner:
    """Another person's phone: their client, their simulated WeChat user and their participant record."""

    client: KaibanClient
    phone: WeChatPhone
    user: str
    participant_id: str
    label: str
    on_behalf_of: str | None = None
    seal: dict[str, str] | None = None


@dataclasses.dataclass
class Party:
    """The people added to the founder's application, in the order they sign."""

    cosigners: list[CoSigner] = dataclasses.field(default_factory=list)
    taken: set[str] = dataclasses.field(default_factory=set)


async def own_face_check(person: CoSigner, app_id: str) -> None:
    """The person's own face check on their own phone, for their participant record."""
    started = await person.client.start_participant_face_check(app_id, person.participant_id)
    verify_id = str(_field(_field(started, "face_check", "POST verifications"), "verify_id", "face_check"))
    await person.phone.face(person.user, "pass")
    done = await person.client.participant_face_result(app_id, person.participant_id, verify_id)
    if done.get("status") != "verified":
        raise ScenarioError(f"{person.label}'s face check did not verify them", done)


def contribution(amount: str) -> dict[str, str]:
    """A shareholder's subscription in currency, due in four years (the documents state each one)."""
    return {"amount_cny": amount, "form": "currency", "deadline": testdata.years_from(dt.date.today(), 4).isoformat()}


async def invite_person(client: KaibanClient, phone: WeChatPhone, app_id: str, party: Party, rng: random.Random,
                        log: StepLog, *, roles: list[str], label: str, subscribes: str | None = None) -> CoSigner:
    """The founder adds a person and shares the invitation; the person joins from their own WeChat and is verified."""
    person = testdata.other_person(rng, party.taken)
    with log.step(f"add {label}") as step:
        added = await client.add_participant(app_id, {"name": person.name, "roles": roles, "document_type": "cn_resident_id",
                                                      "document_number": person.document_number,
                                                      **({"contribution": contribution(subscribes)} if subscribes else {})})
        code = await client.invite(app_id, str(added["id"]))
        step.detail = f"{added.get('name')} {'/'.join(roles)}  invitation {code[:4]}…"
    with log.step(f"{label} joins and is verified") as step:
        other = client.fork()
        other_phone = WeChatPhone(other, appid=phone.appid)
        user = f"{label.replace(' ', '-')}-{rng.randrange(10**9)}"
        login = await other_phone.login_code(user)
        await other.wechat_login(login["code"])
        await other.accept_invitation(code)
        await other.give_identity_consent(app_id)
        cosigner = CoSigner(client=other, phone=other_phone, user=user, participant_id=str(added["id"]), label=label)
        await own_face_check(cosigner, app_id)
        step.detail = f"{user}  verified by their own face check"
    party.cosigners.append(cosigner)
    return cosigner


async def co_sign(party: Party, app_id: str, log: StepLog) -> None:
    """Everyone else signs on their own phone after a fresh face check; the last signature completes the signing."""
    answer: dict[str, Any] = {}
    for person in party.cosigners:
        with log.step(f"{person.label} signs") as step:
            if person.on_behalf_of is None:
                await own_face_check(person, app_id)  # a fresh identity proof, no older than ten minutes
                answer = await person.client.sign(app_id, participant_id=person.participant_id)
            else:
                answer = await person.client.sign(app_id, participant_id=person.participant_id,
                                                  on_behalf_of=person.on_behalf_of, seal=person.seal)
            signing = answer.get("signing") or {}
            done = sum(1 for s in signing.get("signers", []) if s.get("status") == "signed")
            step.detail = f"{done} of {len(signing.get('signers', []))} signatures" + ("  (company seal)" if person.seal else "")
    state = _field(answer, "application", "POST signatures").get("state")
    if state != "signed":
        status = await party.cosigners[0].client.signatures(app_id)
        raise ScenarioError(f"after every signature the application is {state!r}, not 'signed'", status)


@scenario("two_shareholders", steps=25,
          description="two shareholders, a separate manager and supervisor; each joins and signs on their own phone")
async def two_shareholders(client: KaibanClient, phone: WeChatPhone, *, user: str, log: StepLog | None = None,
                           rng: random.Random | None = None) -> dict[str, Any]:
    """A company of two shareholders whose manager and supervisor are other people."""
    party = Party()

    async def participants(client, phone, app_id, founder, rng, log):
        party.taken.add(founder.document_number)
        with log.step("roles and governance") as step:
            listing = await client.participants(app_id)
            lead = listing["items"][0]
            await client.change_participant(app_id, lead["id"], {"roles": [
                "shareholder", "legal_representative", "executive_director", "finance_officer", "liaison"],
                "contribution": contribution("50000")})
            await client.set_governance(app_id, board="single_director", supervision="single_supervisor")
            step.detail = "founder: shareholder, legal representative, executive director; one supervisor"
        await invite_person(client, phone, app_id, party, rng, log, roles=["shareholder"], label="second shareholder",
                            subscribes="50000")
        await invite_person(client, phone, app_id, party, rng, log, roles=["manager"], label="manager")
        await invite_person(client, phone, app_id, party, rng, log, roles=["supervisor"], label="supervisor")

    hooks = FlowHooks(scenario="two_shareholders", participants=participants,
                      co_sign=lambda client, app_id, log: co_sign(party, app_id, log))
    summary = await sole_founder(client, phone, user=user, log=log, rng=rng, hooks=hooks)
    return {**summary, "signers": 1 + len(party.cosigners)}


@scenario("corporate_shareholder", steps=20,
          description="a company holds shares beside the founder and signs through its legal representative with its seal")
async def corporate_shareholder(client: KaibanClient, phone: WeChatPhone, *, user: str, log: StepLog | None = None,
                                rng: random.Random | None = None) -> dict[str, Any]:
    """A founder and a mainland company as shareholders; the company acts through its legal representative."""
    party = Party()

    async def participants(client, phone, app_id, founder, rng, log):
        party.taken.add(founder.document_number)
        representative = await invite_person(client, phone, app_id, party, rng, log, roles=["supervisor"],
                                             label="company representative")
        with log.step("corporate shareholder") as step:
            name, uscc = rng.choice(testdata.CORPORATE_SHAREHOLDERS)
            company = await client.add_participant(app_id, {
                "kind": "company", "name": name, "roles": ["shareholder"], "document_type": "cn_uscc",
                "document_number": uscc, "representative_id": representative.participant_id,
                "contribution": contribution("40000")})
            lead = (await client.participants(app_id))["items"][0]
            await client.change_participant(app_id, lead["id"], {"contribution": contribution("60000")})
            await client.set_governance(app_id, board="single_director", supervision="single_supervisor")
            seal = {"serial": uscc[2:15], "image_sha256": hashlib.sha256(f"seal of {uscc}".encode()).hexdigest()}
            party.cosigners.append(dataclasses.replace(representative, on_behalf_of=str(company["id"]), seal=seal,
                                                       label="company (by its representative)"))
            step.detail = f"{company.get('name')} {uscc}  represented by {representative.user}"

    hooks = FlowHooks(scenario="corporate_shareholder", participants=participants,
                      co_sign=lambda client, app_id, log: co_sign(party, app_id, log))
    summary = await sole_founder(client, phone, user=user, log=log, rng=rng, hooks=hooks)
    return {**summary, "signers": 1 + len(party.cosigners)}
