"""The officers' web console driven through HTTP: log-in with password and TOTP into an HttpOnly, SameSite=Strict
session cookie, CSRF tokens on every form, the queue, an application in clear (audited), decisions, licence
revocation, the audit trail for admins, in zh-CN, zh-HK and en."""
from __future__ import annotations

import re

from backend import keys
from backend.models import Application, AuditEvent, Delivery, Licence
from backend.services.notifications import MAX_ATTEMPTS, add_subscriber
from tests.e2e.test_demo import _free_port
from tests.e2e.phone import FOUNDER, Phone
from tests.officers.test_officer_login import PASSWORD, _code, _officer
from tests.officers.test_review import _referred

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def _csrf(client, path: str, **params) -> tuple[str, str]:
    resp = await client.get(path, params=params)
    text = await resp.text()
    assert resp.status == 200, text
    return CSRF.search(text).group(1), text


async def _console_login(client, totp, *, username="reviewer.li"):
    token, _ = await _csrf(client, "/console/login")
    return await client.post("/console/login", allow_redirects=False, data={
        "csrf": token, "username": username, "password": PASSWORD, "totp": _code(client, totp)})


async def test_a_reviewer_logs_in_reviews_approves_and_revokes_through_the_console(client) -> None:
    phone = Phone(client)
    app_id = await _referred(client, phone)
    totp = await _officer(client)

    page = await client.get("/console/login")
    assert "HttpOnly" in page.headers["Set-Cookie"] and "SameSite=Strict" in page.headers["Set-Cookie"]
    forged = await client.post("/console/login", data={"username": "reviewer.li", "password": PASSWORD,
                                                        "totp": _code(client, totp)})
    assert forged.status == 403  # no CSRF token: refused before the password is looked at
    token, _ = await _csrf(client, "/console/login")
    wrong = await client.post("/console/login", data={"csrf": token, "username": "reviewer.li",
                                                       "password": PASSWORD + "x", "totp": _code(client, totp)})
    assert wrong.status == 401 and "用户名、密码或动态验证码不正确" in await wrong.text()

    logged_in = await _console_login(client, totp)
    assert logged_in.status == 303 and logged_in.headers["Location"] == "/console/queue"
    cookie = logged_in.headers["Set-Cookie"]
    assert "kaiban_console=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie

    csrf, queue = await _csrf(client, "/console/queue")
    assert "广州市黄埔区云帆信息技术有限公司" in queue and f"/console/applications/{app_id}" in queue
    opened = await client.get(f"/console/applications/{app_id}")
    text = await opened.text()
    assert opened.status == 200 and opened.headers["Cache-Control"] == "no-store"
    assert FOUNDER["name"] in text and FOUNDER["document_number"] in text  # clear data for the reviewer
    assert await AuditEvent.filter(action="view_personal_data", target=f"application:{app_id}").count() == 1

    no_token = await client.post(f"/console/applications/{app_id}/decision", data={"decision": "approve"})
    assert no_token.status == 403 and (await Application.get(id=app_id)).state == "in_review"
    no_reason = await client.post(f"/console/applications/{app_id}/decision",
                                  data={"csrf": csrf, "decision": "reject", "reasons": "  "})
    assert no_reason.status == 422 and (await Application.get(id=app_id)).state == "in_review"
    approved = await client.post(f"/console/applications/{app_id}/decision", allow_redirects=False,
                                 data={"csrf": csrf, "decision": "approve"})
    assert approved.status == 303
    licence = await Licence.get(application_id=app_id)
    assert (await Application.get(id=app_id)).state == "licensed"

    after = await (await client.get(f"/console/applications/{app_id}")).text()
    assert licence.uscc in after and "licensed" in after and "/decision" not in after
    revoked = await client.post(f"/console/licences/{licence.uscc}/status",
                                data={"csrf": csrf, "status": "revoked", "reason": "虚假登记（测试）"})
    assert revoked.status == 200  # back on the application's page
    assert (await (await client.get(f"/api/v1/licences/{licence.uscc}")).json())["status"] == "revoked"

    assert (await client.get("/console/audit")).status == 403  # a reviewer is no admin
    logout = await client.post("/console/logout", data={"csrf": csrf}, allow_redirects=False)
    assert logout.status == 303
    assert (await client.get("/console/queue")).status == 401


async def test_the_console_speaks_three_languages_and_admins_see_the_audit_trail(client) -> None:
    phone = Phone(client)
    app_id = await _referred(client, phone)
    reviewer = await _officer(client)
    await _console_login(client, reviewer)
    csrf, _ = await _csrf(client, "/console/queue")
    await client.post(f"/console/applications/{app_id}/decision",
                      data={"csrf": csrf, "decision": "request_info", "reasons": "请补充住所使用证明\n请补充章程"})
    mine = await phone.call("GET", f"/api/v1/applications/{app_id}")
    assert mine["state"] == "info_requested" and mine["review"]["reasons"] == ["请补充住所使用证明", "请补充章程"]
    _, english = await _csrf(client, "/console/queue", lang="en")
    assert "Review queue" in english and "No application is waiting." in english
    _, hong_kong = await _csrf(client, "/console/queue", lang="zh-HK")
    assert "待審核" in hong_kong
    _, remembered = await _csrf(client, "/console/queue")  # the language chosen is kept in a cookie
    assert "待審核" in remembered
    # the console's cookie does not open the API (which wants the bearer token), and without it no page opens
    assert (await client.get("/api/v1/officer/queue")).status == 401
    client.session.cookie_jar.clear()
    assert (await client.get("/console/queue")).status == 401

    admin = await _officer(client, username="admin.wang", roles=("admin",))
    assert (await _console_login(client, admin, username="admin.wang")).headers["Location"] == "/console/audit"
    trail = await client.get("/console/audit", params={"lang": "en"})
    text = await trail.text()
    assert trail.status == 200 and "Audit trail" in text
    assert "decision_request_info" in text and "请补充住所使用证明" in text
    assert (await client.get("/console/queue")).status == 403  # an admin only is no reviewer
    assert (await client.get("/console/deliveries")).status == 200


async def test_an_admin_sends_a_failed_delivery_again_from_the_console(server_factory, aiohttp_client) -> None:
    client = await aiohttp_client(await server_factory(webhook_interval=3600))
    app = client.server.app
    await add_subscriber(name="黄埔区税务局", kind="tax_bureau", url=f"http://127.0.0.1:{_free_port()}/hook",
                         events=["licence.issued"], sealer=app[keys.SERVICES].sealer, clock=app[keys.CLOCK])
    await Phone(client).form_company()
    for _ in range(MAX_ATTEMPTS):  # nobody listens there: every attempt fails
        await app[keys.SERVICES].notifications.deliver_due()
        await client.post("/mock/clock/advance", json={"seconds": 3600})
    [delivery] = await Delivery.all()
    assert delivery.status == "failed"

    admin = await _officer(client, username="admin.wang", roles=("admin",))
    await _console_login(client, admin, username="admin.wang")
    csrf, log = await _csrf(client, "/console/deliveries")
    assert "黄埔区税务局" in log and f"/console/deliveries/{delivery.id}/retry" in log
    forged = await client.post(f"/console/deliveries/{delivery.id}/retry", data={})
    assert forged.status == 403 and (await Delivery.get(id=delivery.id)).status == "failed"
    again = await client.post(f"/console/deliveries/{delivery.id}/retry", data={"csrf": csrf}, allow_redirects=False)
    assert again.status == 303 and again.headers["Location"] == "/console/deliveries"
    assert (await Delivery.get(id=delivery.id)).status == "pending"
    assert await AuditEvent.filter(action="delivery_retry", target=f"delivery:{delivery.id}").count() == 1
