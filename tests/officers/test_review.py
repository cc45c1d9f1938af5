"""The officers' queue: what the machine review does not approve waits for a reviewer, who approves, rejects with
reasons (the applicant edits and resubmits, and ends with a licence) or asks for more information."""
from __future__ import annotations

from stdnum.cn import uscc as stdnum_uscc

from backend.models import AuditEvent, DataAccess
from tests.e2e.phone import DETAILS, FOUNDER, Phone, deadline
from tests.officers.test_licence_status import _reviewer


async def _referred(client, phone: Phone) -> str:
    """An application whose name reservation expired before submission: the machine review refers it."""
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={"entity_type": "limited_liability_company"}, expect=201)
    app_id = app["id"]
    await phone.verify_identity(app_id)
    await phone.call("PUT", f"/api/v1/applications/{app_id}/name", json={"name": "广州市黄埔区云帆信息技术有限公司"})
    await phone.call("PUT", f"/api/v1/applications/{app_id}/details", json={**DETAILS, "contribution_deadline": deadline()})
    await phone.call("POST", f"/api/v1/applications/{app_id}/documents", json={})
    await phone.fresh_face_check(app_id)
    await phone.call("POST", f"/api/v1/applications/{app_id}/signatures", json={})
    await client.post("/mock/clock/advance", json={"seconds": 62 * 24 * 3600})
    await phone.login()
    submitted = await phone.call("POST", f"/api/v1/applications/{app_id}/submit", json={})
    assert submitted["state"] == "in_review"
    return app_id


async def test_the_queue_shows_the_reasons_and_the_clear_view_is_audited(client) -> None:
    phone = Phone(client)
    app_id = await _referred(client, phone)
    officer = await _reviewer(client)
    queue = await (await client.get("/api/v1/officer/queue", headers=officer)).json()
    assert [item["id"] for item in queue["items"]] == [app_id]
    assert [r["code"] for r in queue["items"][0]["reasons"]] == ["review_name"]
    opened = await (await client.get(f"/api/v1/officer/applications/{app_id}", headers=officer)).json()
    assert opened["identity"]["name"] == FOUNDER["name"]
    assert opened["identity"]["document_number"] == FOUNDER["document_number"]  # reviewers see clear data
    mine = await phone.call("GET", f"/api/v1/applications/{app_id}")
    assert mine["identity"]["document_number"] != FOUNDER["document_number"]  # the applicant sees it masked
    assert await AuditEvent.filter(action="view_personal_data", target=f"application:{app_id}").count() == 1
    [founder] = opened["participants"]
    assert founder["document_number"] == FOUNDER["document_number"] and founder["name"] == FOUNDER["name"]
    assert await DataAccess.filter(viewer="officer:reviewer.li", application_id=app_id).count() == 1
    # applicants cannot see the queue
    assert (await client.get("/api/v1/officer/queue", headers=phone.auth)).status == 401


async def test_a_rejected_application_is_edited_resubmitted_and_licensed(client) -> None:
    phone = Phone(client)
    app_id = await _referred(client, phone)
    officer = await _reviewer(client)
    no_reason = await client.post(f"/api/v1/officer/applications/{app_id}/decision", headers=officer,
                                  json={"decision": "reject"})
    assert no_reason.status == 422
    rejected = await client.post(f"/api/v1/officer/applications/{app_id}/decision", headers=officer,
                                 json={"decision": "reject", "reasons": ["名称保留已过期，请重新申报名称"]})
    assert rejected.status == 200
    mine = await phone.call("GET", f"/api/v1/applications/{app_id}")
    assert mine["state"] == "rejected" and mine["next_step"] == "details"
    assert mine["review"]["reasons"] == ["名称保留已过期，请重新申报名称"] and mine["review"]["method"] == "officer"
    again = await client.post(f"/api/v1/officer/applications/{app_id}/decision", headers=officer,
                              json={"decision": "approve"})
    assert again.status == 409 and (await again.json())["code"] == "application_not_in_review"

    # the applicant reserves the name again, regenerates, signs and resubmits: the machine review approves
    await phone.call("PUT", f"/api/v1/applications/{app_id}/name", json={"name": "广州市黄埔区云帆信息技术有限公司"})
    await phone.call("POST", f"/api/v1/applications/{app_id}/documents", json={})
    await phone.fresh_face_check(app_id)
    await phone.call("POST", f"/api/v1/applications/{app_id}/signatures", json={})
    final = await phone.call("POST", f"/api/v1/applications/{app_id}/submit", json={})
    assert final["state"] == "licensed" and stdnum_uscc.is_valid(final["licence"]["uscc"])
    steps = [i["step"] for i in (await phone.call("GET", f"/api/v1/applications/{app_id}/timeline"))["items"]]
    assert steps.index("in_review") < steps.index("rejected") < steps.index("approved") and steps[-1] == "licensed"
    assert steps.count("submitted") == 2


async def test_an_officer_approves_or_asks_for_more_information(client) -> None:
    first, second = Phone(client), Phone(client)
    approved_id = await _referred(client, first)
    asked_id = await _referred(client, second)
    officer = await _reviewer(client)
    approved = await client.post(f"/api/v1/officer/applications/{approved_id}/decision", headers=officer,
                                 json={"decision": "approve"})
    body = await approved.json()
    assert approved.status == 200 and body["state"] == "licensed" and body["review"]["method"] == "officer"
    uscc = body["licence"]["uscc"]
    assert (await (await client.get(f"/api/v1/licences/{uscc}")).json())["status"] == "active"
    repeat = await client.post(f"/api/v1/officer/applications/{approved_id}/decision", headers=officer,
                               json={"decision": "approve"})
    assert repeat.status == 200 and (await repeat.json())["licence"]["uscc"] == uscc  # one licence, not two

    asked = await client.post(f"/api/v1/officer/applications/{asked_id}/decision", headers=officer,
                              json={"decision": "request_info", "reasons": ["请补充住所使用证明"]})
    assert (await asked.json())["state"] == "info_requested"
    mine = await second.call("GET", f"/api/v1/applications/{asked_id}")
    assert mine["next_step"] == "details" and mine["review"]["reasons"] == ["请补充住所使用证明"]
    assert (await client.get("/api/v1/officer/queue", headers=officer)).status == 200
    assert (await (await client.get("/api/v1/officer/queue", headers=officer)).json())["items"] == []
