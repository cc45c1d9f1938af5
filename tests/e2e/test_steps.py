"""The formation state machine through HTTP: order, idempotent retries, resuming, withdrawing, failures."""
from __future__ import annotations

from tests.e2e.phone import DETAILS, FOUNDER, Phone, deadline, mainland_id

NAME = "广州市黄埔区云帆信息技术有限公司"


async def _ready_for_details(phone: Phone) -> str:
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.verify_identity(app["id"])
    await phone.call("PUT", f"/api/v1/applications/{app['id']}/name", json={"name": NAME})
    return app["id"]


async def test_a_step_out_of_order_is_409_with_a_clear_message(client):
    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    resp = await client.put(f"/api/v1/applications/{app['id']}/name", json={"name": NAME},
                            headers={**phone.auth, "Accept-Language": "en"})
    problem = await resp.json()
    assert resp.status == 409 and problem["code"] == "step_out_of_order"
    assert "identity_verified" in problem["message"]
    assert set(problem["messages"]) == {"zh-CN", "zh-HK", "en"}
    submit = await phone.call("POST", f"/api/v1/applications/{app['id']}/submit", json={}, expect=409)
    assert submit["code"] == "step_out_of_order"


async def test_a_retried_step_is_idempotent(client):
    phone = Phone(client)
    app_id = await _ready_for_details(phone)
    body = {**DETAILS, "contribution_deadline": deadline()}
    first = await phone.call("PUT", f"/api/v1/applications/{app_id}/details", json=body)
    again = await phone.call("PUT", f"/api/v1/applications/{app_id}/details", json=body)
    assert first["ledger_index"] == again["ledger_index"]
    renamed = await phone.call("PUT", f"/api/v1/applications/{app_id}/name", json={"name": NAME})
    assert renamed["application"]["ledger_index"] == again["ledger_index"]
    docs1 = await phone.call("POST", f"/api/v1/applications/{app_id}/documents", json={})
    docs2 = await phone.call("POST", f"/api/v1/applications/{app_id}/documents", json={})
    assert [d["sha256"] for d in docs1["documents"]] == [d["sha256"] for d in docs2["documents"]]
    assert docs1["application"]["ledger_index"] == docs2["application"]["ledger_index"]
    timeline = (await phone.call("GET", f"/api/v1/applications/{app_id}/timeline"))["items"]
    assert [i["step"] for i in timeline] == ["created", "identity_verified", "name_reserved", "details_completed", "documents_generated"]


async def test_changing_details_after_documents_asks_for_new_documents(client):
    phone = Phone(client)
    app_id = await _ready_for_details(phone)
    await phone.call("PUT", f"/api/v1/applications/{app_id}/details", json={**DETAILS, "contribution_deadline": deadline()})
    await phone.call("POST", f"/api/v1/applications/{app_id}/documents", json={})
    changed = await phone.call("PUT", f"/api/v1/applications/{app_id}/details",
                               json={**DETAILS, "registered_capital_cny": "200000", "contribution_deadline": deadline()})
    assert changed["state"] == "details_completed" and changed["documents"] == []
    sign = await phone.call("POST", f"/api/v1/applications/{app_id}/signatures", json={}, expect=409)
    assert sign["code"] == "step_out_of_order"


async def test_a_draft_can_be_left_resumed_and_withdrawn(client):
    phone = Phone(client)
    app_id = await _ready_for_details(phone)
    other_session = Phone(client, user=phone.user)  # the same person on another day
    await other_session.login()
    listed = await other_session.call("GET", "/api/v1/applications")
    assert [a["id"] for a in listed["items"]] == [app_id]
    assert listed["items"][0]["next_step"] == "details"
    withdrawn = await other_session.call("POST", f"/api/v1/applications/{app_id}/withdraw", json={})
    assert withdrawn["state"] == "withdrawn"
    late = await other_session.call("PUT", f"/api/v1/applications/{app_id}/details",
                                    json={**DETAILS, "contribution_deadline": deadline()}, expect=409)
    assert late["code"] == "application_withdrawn"
    # the withdrawn draft released its name
    rival = Phone(client)
    await rival.login()
    app = await rival.call("POST", "/api/v1/applications", json={}, expect=201)
    await rival.verify_identity(app["id"], {**FOUNDER, "document_number": mainland_id(seq=3)})
    await rival.call("PUT", f"/api/v1/applications/{app['id']}/name", json={"name": NAME})


async def test_another_user_cannot_see_or_change_my_application(client):
    owner, stranger = Phone(client), Phone(client)
    app_id = await _ready_for_details(owner)
    await stranger.login()
    seen = await stranger.call("GET", f"/api/v1/applications/{app_id}", expect=404)
    assert seen["code"] == "application_not_found"
    await stranger.call("POST", f"/api/v1/applications/{app_id}/withdraw", json={}, expect=404)
    assert (await stranger.call("GET", "/api/v1/applications"))["items"] == []


async def test_an_identical_name_is_refused_and_a_similar_rule_break_explained(client):
    first = Phone(client)
    await _ready_for_details(first)
    second = Phone(client)
    await second.login()
    app = await second.call("POST", "/api/v1/applications", json={}, expect=201)
    await second.verify_identity(app["id"], {**FOUNDER, "document_number": mainland_id(seq=5)})
    # the same 字号 and industry with another form and in brackets is still identical
    check = await second.call("GET", "/api/v1/names/check?name=" + "云帆（广州）信息技术有限责任公司")
    assert check["available"] is False and any(f["code"] == "name_identical" for f in check["findings"])
    taken = await second.call("PUT", f"/api/v1/applications/{app['id']}/name", json={"name": NAME}, expect=409)
    assert taken["code"] == "name_taken"
    bad = await second.call("PUT", f"/api/v1/applications/{app['id']}/name", json={"name": "黄埔区AB信息技术有限公司"}, expect=422)
    assert bad["code"] == "name_rejected" and bad["findings"]
    assert all({"rule", "code", "span", "message", "messages"} <= set(f) for f in bad["findings"])


async def test_an_address_on_huangpu_avenue_in_tianhe_is_refused(client):
    phone = Phone(client)
    app_id = await _ready_for_details(phone)
    resp = await phone.call("PUT", f"/api/v1/applications/{app_id}/details",
                            json={**DETAILS, "address": "广州市天河区黄埔大道西100号", "contribution_deadline": deadline()}, expect=422)
    assert resp["code"] == "address_not_in_huangpu"
    no_street = await phone.call("PUT", f"/api/v1/applications/{app_id}/details",
                                 json={**DETAILS, "address": "广州市黄埔区科学大道100号", "contribution_deadline": deadline()}, expect=422)
    assert no_street["code"] == "address_no_subdivision"
    late = await phone.call("PUT", f"/api/v1/applications/{app_id}/details",
                            json={**DETAILS, "contribution_deadline": deadline(years=6)}, expect=422)
    assert late["code"] == "contribution_deadline_invalid"


async def test_a_bad_identity_number_is_explained(client):
    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.consent(app["id"])
    bad = await phone.call("PUT", f"/api/v1/applications/{app['id']}/identity",
                           json={**FOUNDER, "document_number": "11010219840506970X"}, expect=422)
    assert bad["code"] == "id_checksum_invalid"
    minor = await phone.call("PUT", f"/api/v1/applications/{app['id']}/identity",
                             json={**FOUNDER, "document_number": mainland_id(birth="20150101")}, expect=422)
    assert minor["code"] == "founder_not_adult"


async def test_a_cancelled_face_check_can_be_retried(client):
    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    await phone.consent(app["id"])
    started = await phone.call("PUT", f"/api/v1/applications/{app['id']}/identity", json=FOUNDER)
    pending = await phone.call("POST", f"/api/v1/applications/{app['id']}/face-checks/{started['face_check']['verify_id']}/result", expect=409)
    assert pending["code"] == "face_check_not_completed"
    await phone.face("cancel")
    cancelled = await phone.call("POST", f"/api/v1/applications/{app['id']}/face-checks/{started['face_check']['verify_id']}/result", expect=422)
    assert cancelled["code"] == "face_check_cancelled"
    assert (await phone.call("GET", f"/api/v1/applications/{app['id']}"))["state"] == "created"
    done = await phone.verify_identity(app["id"])
    assert done["application"]["state"] == "identity_verified"
    assert done["application"]["identity"]["document_number"].count("*") >= 8


async def test_signing_needs_a_face_check_from_the_last_ten_minutes(client):
    phone = Phone(client)
    app_id = await _ready_for_details(phone)
    await phone.call("PUT", f"/api/v1/applications/{app_id}/details", json={**DETAILS, "contribution_deadline": deadline()})
    await phone.call("POST", f"/api/v1/applications/{app_id}/documents", json={})
    await phone.fresh_face_check(app_id)
    await client.post("/mock/clock/advance", json={"seconds": 11 * 60})
    await phone.login()
    stale = await phone.call("POST", f"/api/v1/applications/{app_id}/signatures", json={}, expect=409)
    assert stale["code"] == "face_check_required"
    await phone.fresh_face_check(app_id)
    signed = await phone.call("POST", f"/api/v1/applications/{app_id}/signatures", json={})
    assert signed["application"]["state"] == "signed"
    payload = signed["signature"]["payload"]
    assert {d["sha256"] for d in payload["documents"]} == {d["sha256"] for d in signed["application"]["documents"]}


async def test_an_expired_name_reservation_sends_the_application_to_the_officers(client):
    phone = Phone(client)
    app_id = await _ready_for_details(phone)
    await phone.call("PUT", f"/api/v1/applications/{app_id}/details", json={**DETAILS, "contribution_deadline": deadline()})
    await phone.call("POST", f"/api/v1/applications/{app_id}/documents", json={})
    await phone.fresh_face_check(app_id)
    await phone.call("POST", f"/api/v1/applications/{app_id}/signatures", json={})
    await client.post("/mock/clock/advance", json={"seconds": 62 * 24 * 3600})
    await phone.login()
    result = await phone.call("POST", f"/api/v1/applications/{app_id}/submit", json={})
    assert result["state"] == "in_review" and result["review"]["outcome"] == "referred"
    assert [f["code"] for f in result["review"]["findings"]] == ["review_name"]
    assert result["licence"] is None and result["next_step"] is None
