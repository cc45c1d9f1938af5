"""Participants as records on an application: consent first, roles and Company Law rules, documents of every type,
verification paths (face check, partner attestation, video), masking, export and invalidation on change."""
from __future__ import annotations


import pytest

from backend import keys
from backend.services import verification
from tests.domain.id_documents.test_check_document import MRZ, SPEC_VECTORS
from tests.e2e.phone import DETAILS, FOUNDER, Phone, deadline, mainland_id, split_capital

HK_PERSON = {"kind": "person", "name": "陳大文", "roles": ["shareholder"], "document_type": "hk_id",
             "document_number": "G123456A"}


@pytest.fixture
async def founded(client):
    """A logged-in founder whose identity is verified (the founder is then the first participant)."""
    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.verify_identity(app["id"])
    return phone, app["id"]


def _base(app_id: str) -> str:
    return f"/api/v1/applications/{app_id}"


async def test_identity_endpoints_refuse_without_consent_and_after_withdrawal(client):
    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    refused = await phone.call("PUT", f"{_base(app['id'])}/identity", json=FOUNDER, expect=403)
    assert refused["code"] == "consent_required" and refused["params"]["consent_url"].endswith("/consent")
    assert set(refused["messages"]) == {"zh-CN", "zh-HK", "en"}
    added = await phone.call("POST", f"{_base(app['id'])}/participants", json=HK_PERSON, expect=403)
    assert added["code"] == "consent_required"

    text = await phone.call("GET", "/api/v1/consents/identity")
    for part in ("what", "why", "retention", "withdrawal"):
        assert set(text[part]) == {"zh-CN", "zh-HK", "en"}
    outdated = await phone.call("POST", f"{_base(app['id'])}/consent", json={"text_version": "identity-2020-01-01", "accept": True}, expect=422)
    assert outdated["code"] == "consent_version_unknown"
    given = await phone.consent(app["id"])
    assert given["given"] is True and given["text_version"] == text["version"] and given["text_sha256"] == text["sha256"]
    assert given["granted_at"].endswith("Z")

    withdrawn = await phone.call("POST", f"{_base(app['id'])}/consent/withdraw", json={})
    assert withdrawn["given"] is False and withdrawn["withdrawn_at"]
    again = await phone.call("PUT", f"{_base(app['id'])}/identity", json=FOUNDER, expect=403)
    assert again["code"] == "consent_required"
    refused_check = await phone.call("POST", f"{_base(app['id'])}/face-checks", json={}, expect=409)
    assert refused_check["code"] == "identity_not_pending"  # nothing was collected


async def test_withdrawing_consent_drops_a_face_check_not_yet_answered(client):
    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.consent(app["id"])
    started = await phone.call("PUT", f"{_base(app['id'])}/identity", json=FOUNDER)
    await phone.face("pass")
    await phone.call("POST", f"{_base(app['id'])}/consent/withdraw", json={})
    dropped = await phone.call("POST", f"{_base(app['id'])}/face-checks/{started['face_check']['verify_id']}/result", expect=409)
    assert dropped["code"] == "consent_withdrawn"
    assert (await phone.call("GET", _base(app["id"])))["state"] == "created"


async def test_the_founder_is_the_first_participant_holding_every_role(founded):
    phone, app_id = founded
    listing = await phone.call("GET", f"{_base(app_id)}/participants")
    [founder] = listing["items"]
    assert set(founder["roles"]) >= {"shareholder", "legal_representative", "executive_director", "manager", "liaison"}
    assert founder["status"] == "verified" and founder["assurance"] == "wechat_face"
    assert founder["name"] == "张*" and founder["document_number"] == FOUNDER["document_number"][:4] + "*" * 10 + FOUNDER["document_number"][-4:]
    assert founder["birth_date"] == "1990-01-01" and founder["sex"] == "male"
    assert listing["complete"] is True and listing["findings"] == []


async def test_every_spec_vector_gets_its_verdict_through_the_participant_flow(founded):
    phone, app_id = founded  # one application for all vectors (a server per vector would be slow)
    founder = (await phone.call("GET", f"{_base(app_id)}/participants"))["items"][0]
    for kind, number, valid in SPEC_VECTORS:
        body = {"kind": "person", "name": "李四", "roles": ["shareholder"], "document_type": kind, "document_number": number}
        if kind == "cn_uscc":
            body = {**body, "kind": "company", "name": "某某投资有限公司", "representative_id": founder["id"]}
        answer = await phone.call("POST", f"{_base(app_id)}/participants", json=body, expect=201 if valid else 422)
        if not valid:
            assert answer["code"] == "participant_document_invalid" and answer["findings"], (kind, number)
        elif kind == "cn_uscc":
            assert answer["kind"] == "company" and answer["representative_id"] == founder["id"]
        else:
            assert answer["document_type"] == kind and answer["status"] == "unverified"
            assert number.replace("(", "").replace(")", "").upper() not in str(answer)  # masked
    listing = await phone.call("GET", f"{_base(app_id)}/participants")
    assert len(listing["items"]) == 1 + sum(1 for v in SPEC_VECTORS if v[2])


async def test_a_passport_by_its_mrz_and_an_expired_document_with_its_date(founded):
    phone, app_id = founded
    expired = await phone.call("POST", f"{_base(app_id)}/participants", expect=422, json={
        "name": "ANNA ERIKSSON", "roles": ["shareholder"], "document_type": "passport_mrz", "document_number": MRZ})
    [finding] = expired["findings"]
    assert finding["code"] == "doc_expired" and finding["params"]["expiry"] == "2012-04-15"
    permit = await phone.call("POST", f"{_base(app_id)}/participants", expect=422, json={
        "name": "陳小明", "roles": ["shareholder"], "document_type": "hk_mo_travel_permit", "document_number": "H12345678",
        "expiry": "2020.01.01"})
    assert [f["code"] for f in permit["findings"]] == ["doc_expired"]
    long_term = await phone.call("POST", f"{_base(app_id)}/participants", expect=201, json={
        "name": "王五", "roles": ["shareholder"], "document_type": "cn_resident_id",
        "document_number": "11010519491231002X", "expiry": "长期"})
    assert long_term["expiry"] == "long_term" and long_term["sex"] == "female" and long_term["birth_date"] == "1949-12-31"


async def test_role_rules_refuse_a_conflicting_supervisor_and_a_minor_officer(founded):
    phone, app_id = founded
    conflict = await phone.call("POST", f"{_base(app_id)}/participants", expect=422, json={
        "name": "李四", "roles": ["supervisor", "finance_officer"], "document_type": "cn_resident_id",
        "document_number": mainland_id(seq=7)})
    assert conflict["code"] == "participants_rules_failed"
    assert [f["code"] for f in conflict["findings"]] == ["participants_supervisor_conflict"]
    minor = await phone.call("POST", f"{_base(app_id)}/participants", expect=422, json={
        "name": "小明", "roles": ["director"], "document_type": "cn_resident_id",
        "document_number": mainland_id(birth="20150101", seq=8)})
    assert [f["code"] for f in minor["findings"]] == ["participants_officer_minor"]
    # a minor may hold shares; nothing was stored by the refused attempts
    await phone.call("POST", f"{_base(app_id)}/participants", expect=201, json={
        "name": "小明", "roles": ["shareholder"], "document_type": "cn_resident_id",
        "document_number": mainland_id(birth="20150101", seq=8)})
    listing = await phone.call("GET", f"{_base(app_id)}/participants")
    assert len(listing["items"]) == 2


async def test_completeness_findings_and_governance_choices(founded):
    phone, app_id = founded
    lead = (await phone.call("GET", f"{_base(app_id)}/participants"))["items"][0]
    await phone.call("PUT", f"{_base(app_id)}/governance", json={"board": "single_director", "supervision": "single_supervisor"})
    listing = await phone.call("GET", f"{_base(app_id)}/participants")
    assert [f["code"] for f in listing["findings"]] == ["participants_single_supervisor_count"] and not listing["complete"]
    supervisor = await phone.call("POST", f"{_base(app_id)}/participants", expect=201, json={
        "name": "赵六", "roles": ["supervisor"], "document_type": "cn_resident_id", "document_number": mainland_id(seq=9)})
    assert (await phone.call("GET", f"{_base(app_id)}/participants"))["complete"] is True
    # the same person cannot be added twice: one person holds several roles on one record
    twice = await phone.call("POST", f"{_base(app_id)}/participants", expect=409, json={
        "name": "赵六", "roles": ["liaison"], "document_type": "cn_resident_id", "document_number": mainland_id(seq=9)})
    assert twice["code"] == "participant_duplicate"
    # a supervisor made a director by an update is refused too
    refused = await phone.call("PATCH", f"{_base(app_id)}/participants/{supervisor['id']}", json={"roles": ["supervisor", "director"]}, expect=422)
    assert [f["code"] for f in refused["findings"]] == ["participants_supervisor_conflict"]
    founder_change = await phone.call("PATCH", f"{_base(app_id)}/participants/{lead['id']}", json={"name": "张四"}, expect=409)
    assert founder_change["code"] == "participant_founder_identity"
    await phone.call("PATCH", f"{_base(app_id)}/participants/{lead['id']}", json={"roles": [*lead["roles"], "shareholder"]})
    founder_removal = await phone.call("DELETE", f"{_base(app_id)}/participants/{lead['id']}", expect=409)
    assert founder_removal["code"] == "participant_is_founder"
    await phone.call("DELETE", f"{_base(app_id)}/participants/{supervisor['id']}", expect=204)
    bad = await phone.call("PUT", f"{_base(app_id)}/governance", json={"board": "committee", "supervision": "x"}, expect=422)
    assert bad["code"] == "governance_invalid"


async def test_documents_wait_until_every_participant_is_identified(founded, client):
    phone, app_id = founded
    await phone.call("PUT", f"{_base(app_id)}/name", json={"name": "广州市黄埔区云帆信息技术有限公司"})
    await phone.call("PUT", f"{_base(app_id)}/details", json={**DETAILS, "contribution_deadline": deadline()})
    hk = await phone.call("POST", f"{_base(app_id)}/participants", json=HK_PERSON, expect=201)
    waiting = await phone.call("POST", f"{_base(app_id)}/documents", json={}, expect=409)
    assert waiting["code"] == "participants_not_identified" and waiting["params"]["names"] == ["陳**"]

    # a Hong Kong card cannot be face-checked by WeChat: a pending attestation, never a silent pass
    started = await phone.call("POST", f"{_base(app_id)}/participants/{hk['id']}/verifications", json={}, expect=201)
    assert started["status"] == "pending_attestation" and started["verification"]["assurance"] == "partner_attestation"
    assert "face_check" not in started
    svc = client.server.app[keys.SERVICES]
    await verification.close_verification(svc, participant_id=hk["id"], method="partner_attestation", passed=True,
                                          closed_by="partner:test", reference="ATT-1")
    shown = (await phone.call("GET", f"{_base(app_id)}/participants"))["items"][1]
    assert shown["status"] == "verified" and shown["assurance"] == "partner_attestation"
    refused = await phone.call("POST", f"{_base(app_id)}/documents", json={}, expect=422)
    assert refused["code"] == "company_law_checks_failed"  # two shareholders: each states a contribution (art. 46)
    assert {f["rule"] for f in refused["findings"]} == {"company_law_2023_art46", "company_law_2023_art47"}
    founder = (await phone.call("GET", f"{_base(app_id)}/participants"))["items"][0]
    await split_capital(phone, app_id, {founder["id"]: "60000", hk["id"]: "40000"})
    await phone.call("POST", f"{_base(app_id)}/documents", json={})
    # a changed name sends the documents back and voids the attestation
    changed = await phone.call("PATCH", f"{_base(app_id)}/participants/{hk['id']}", json={"name": "陳小文"})
    assert changed["status"] == "unverified" and changed["assurance"] is None
    assert (await phone.call("GET", _base(app_id)))["state"] == "details_completed"


async def test_video_verification_stays_pending_until_an_officer_closes_it(founded, client):
    phone, app_id = founded
    mo = await phone.call("POST", f"{_base(app_id)}/participants", expect=201, json={
        "name": "何小華", "roles": ["shareholder"], "document_type": "mo_id", "document_number": "5215299(8)"})
    started = await phone.call("POST", f"{_base(app_id)}/participants/{mo['id']}/verifications", json={"method": "video"}, expect=201)
    assert started["status"] == "pending_video"
    svc = client.server.app[keys.SERVICES]
    with pytest.raises(Exception) as not_pending:
        await verification.close_verification(svc, participant_id=mo["id"], method="partner_attestation", passed=True, closed_by="x")
    assert getattr(not_pending.value, "code", None) == "verification_not_pending"
    await verification.close_verification(svc, participant_id=mo["id"], method="video", passed=False, closed_by="officer:1")
    shown = (await phone.call("GET", f"{_base(app_id)}/participants"))["items"][1]
    assert shown["status"] == "unverified"
    refused = await phone.call("POST", f"{_base(app_id)}/participants/{mo['id']}/verifications", json={"method": "face"}, expect=409)
    assert refused["code"] == "face_check_not_available"  # WeChat cannot check a Macau card: never passed silently
    assert refused["params"]["alternatives"] == ["partner_attestation", "video"]


async def test_another_mainland_participant_links_their_wechat_and_passes_their_own_face_check(founded, client):
    phone, app_id = founded
    person = await phone.call("POST", f"{_base(app_id)}/participants", expect=201, json={
        "name": "李四", "roles": ["shareholder"], "document_type": "cn_resident_id", "document_number": mainland_id(seq=21)})
    by_owner = await phone.call("POST", f"{_base(app_id)}/participants/{person['id']}/verifications", json={}, expect=409)
    assert by_owner["code"] == "participant_face_check_by_person"
    code = (await phone.call("POST", f"{_base(app_id)}/participants/{person['id']}/invitation", json={}, expect=201))["code"]
    other = Phone(client)
    await other.login()
    await other.call("POST", "/api/v1/participant-invitations", json={"code": code})
    refused = await other.call("POST", f"{_base(app_id)}/participants/{person['id']}/verifications", json={}, expect=403)
    assert refused["code"] == "consent_required"  # their own consent, not the founder's
    await other.consent(app_id)
    started = await other.call("POST", f"{_base(app_id)}/participants/{person['id']}/verifications", json={}, expect=201)
    await other.face("pass")
    done = await other.call("POST", f"{_base(app_id)}/participants/{person['id']}/face-checks/{started['face_check']['verify_id']}/result")
    assert done["status"] == "verified" and done["assurance"] == "wechat_face"
    again = await other.call("POST", "/api/v1/participant-invitations", json={"code": code}, expect=404)
    assert again["code"] == "invitation_not_found"


@pytest.mark.parametrize("outcome, code, state", [
    ("cancel", "face_check_cancelled", "cancelled"),
    ("timeout", "face_check_timeout", "timed_out"),
    ("mismatch", "face_check_mismatch", "mismatch"),
])
async def test_each_face_check_outcome_has_its_own_state_and_message(client, outcome, code, state):
    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.consent(app["id"])
    started = await phone.call("PUT", f"{_base(app['id'])}/identity", json=FOUNDER)
    await phone.face(outcome)
    failed = await phone.call("POST", f"{_base(app['id'])}/face-checks/{started['face_check']['verify_id']}/result", expect=422)
    assert failed["code"] == code and failed["params"]["state"] == state
    messages = {failed["messages"]["en"]}
    assert messages and all(m and "{" not in m for m in failed["messages"].values())


async def test_too_many_failed_face_checks_cool_down_on_the_shared_clock(client):
    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.consent(app["id"])
    started = await phone.call("PUT", f"{_base(app['id'])}/identity", json=FOUNDER)
    verify_id = started["face_check"]["verify_id"]
    for attempt in range(3):
        await phone.face("mismatch")
        await phone.call("POST", f"{_base(app['id'])}/face-checks/{verify_id}/result", expect=422)
        if attempt < 2:
            verify_id = (await phone.call("POST", f"{_base(app['id'])}/face-checks", json={}, expect=201))["verify_id"]
    blocked = await phone.call("POST", f"{_base(app['id'])}/face-checks", json={}, expect=429)
    assert blocked["code"] == "face_check_too_many_attempts" and blocked["params"]["attempts"] == 3
    assert 0 < blocked["params"]["retry_after_seconds"] <= 1800
    await client.post("/mock/clock/advance", json={"seconds": 1801})
    await phone.login()
    fresh = await phone.call("POST", f"{_base(app['id'])}/face-checks", json={}, expect=201)
    await phone.face("pass")
    done = await phone.call("POST", f"{_base(app['id'])}/face-checks/{fresh['verify_id']}/result")
    assert done["status"] == "passed" and done["application"]["state"] == "identity_verified"


async def test_a_person_exports_their_own_data_in_clear(founded):
    phone, app_id = founded
    exported = await phone.call("GET", "/api/v1/me/data-export")
    [identity] = exported["identities"]
    assert identity["name"] == FOUNDER["name"] and identity["document_number"] == FOUNDER["document_number"]
    [me] = exported["participations"]
    assert me["document_number"] == FOUNDER["document_number"] and me["key_id"] == "k1"
    assert exported["consents"][0]["given"] is True and exported["face_checks"][0]["status"] == "passed"
    assert "salt_hex" not in str(exported)
