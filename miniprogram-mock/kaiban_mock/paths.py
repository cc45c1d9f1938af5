"""Failure paths a tester plays against a server in mock mode: each a detour of the sole-founder flow that must end
in a licence all the same.

  face_retry       the founder cancels the face check, then does it again and passes
  name_suggestion  the first name wanted is taken; the applicant takes one of the check's suggestions
  review_resubmit  the name reservation expires (the shared clock moves two months on) before submission; the
                   machine review refers the application to the officers, a reviewer rejects it with a reason, the
                   applicant reserves the name again, regenerates, signs and resubmits
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pyotp

from kaiban_mock import testdata
from kaiban_mock.client import API, ApiError, KaibanClient
from kaiban_mock.scenarios import (
    FlowHooks, ScenarioError, _field, expect_state, face_check, pick_free_name, scenario, sole_founder,
)
from kaiban_mock.steplog import StepLog
from kaiban_mock.wechat import WeChatPhone

TWO_MONTHS_AND_A_DAY = 62 * 24 * 3600


async def _cancel_then_pass(client: KaibanClient, phone: WeChatPhone, app_id: str, verify_id: str, user: str,
                            log: StepLog) -> dict[str, Any]:
    with log.step("face check cancelled") as step:
        await phone.face(user, "cancel")
        try:
            await client.face_check_result(app_id, verify_id)
        except ApiError as exc:
            if exc.code != "face_check_cancelled":
                raise
            step.detail = f"{exc.code}: {exc.message}"
        else:
            raise ScenarioError("a cancelled face check was not refused")
    with log.step("face check retried") as step:
        started = await client.start_face_check(app_id)
        return await face_check(client, phone, app_id, str(_field(started, "verify_id", "POST face-checks")),
                                user=user, step=step)


async def _taken_then_suggested(client: KaibanClient, app_id: str, rng: random.Random, log: StepLog) -> str:
    with log.step("name taken by another") as step:
        taken, _ = await pick_free_name(client, rng, set())
        rival = KaibanClient(client.session, client.base_url)
        rival_phone = WeChatPhone(rival, appid=phone_appid(client))
        rival_user = f"rival-{rng.randrange(10**9)}"
        code = await rival_phone.login_code(rival_user)
        await rival.wechat_login(code["code"])
        rival_app = await rival.create_application()
        await rival.give_identity_consent(rival_app["id"])
        founder = testdata.mainland_founder(rng)
        answer = await rival.put_identity(rival_app["id"], name=founder.name, document_number=founder.document_number)
        await face_check(rival, rival_phone, rival_app["id"], str(answer["face_check"]["verify_id"]),
                         user=rival_user, step=step)
        await rival.reserve_name(rival_app["id"], taken)
        step.detail = f"{taken} reserved by another applicant"
    with log.step("name check → suggestion") as step:
        check = await client.check_name(taken)
        if check.get("available"):
            raise ScenarioError(f"{taken} is reserved by another applicant but the check says it is available", check)
        suggestions = [s if isinstance(s, str) else s.get("name") for s in check.get("suggestions") or []]
        if not suggestions:
            raise ScenarioError(f"no suggestions for the taken name {taken}", check)
        chosen = suggestions[0]
        answer = await client.reserve_name(app_id, chosen)
        expect_state(_field(answer, "application", "PUT name"), "name_reserved")
        step.detail = f"{len(check.get('conflicts') or [])} conflicts; took {chosen}"
    return chosen


def phone_appid(client: KaibanClient) -> str | None:
    """The mini-program's appid the scenario's phone learnt (None: ask the server again)."""
    return getattr(client, "appid", None)


async def _expire_reservation(client: KaibanClient, phone: WeChatPhone, app_id: str, user: str, step: Any) -> None:
    await client.request_json("POST", "/mock/clock/advance", {"seconds": TWO_MONTHS_AND_A_DAY}, auth=False)
    code = await phone.login_code(user)  # two months on, the access token has long expired: log in again
    await client.wechat_login(code["code"])
    step.note("the shared clock moved 62 days on: the name reservation has expired")


async def _officer_rejects_then_resubmit(client: KaibanClient, phone: WeChatPhone, app_id: str, name: str, user: str,
                                         app: dict[str, Any], log: StepLog) -> dict[str, Any]:
    expect_state(app, "in_review")
    with log.step("officer rejects") as step:
        made = await client.request_json("POST", "/mock/officers",
                                         {"username": f"reviewer.{random.randrange(10**9)}"}, auth=False)  # noqa: S311 - a test name
        clock = await client.request_json("GET", "/mock/clock", auth=False)
        server_now = dt.datetime.fromisoformat(clock["now"])
        login = await client.request_json("POST", f"{API}/officer/login", {
            "username": made["username"], "password": made["password"],
            "totp": pyotp.TOTP(made["totp_secret"]).at(server_now)}, auth=False)
        officer = KaibanClient(client.session, client.base_url)
        officer.access_token = login["access_token"]
        queue = await officer.request_json("GET", f"{API}/officer/queue")
        if app_id not in [item["id"] for item in queue["items"]]:
            raise ScenarioError("the referred application is not in the officers' queue", queue)
        decided = await officer.request_json("POST", f"{API}/officer/applications/{app_id}/decision",
                                             {"decision": "reject", "reasons": ["名称保留已过期，请重新申报名称"]})
        expect_state(decided, "rejected")
        step.detail = f"reasons: {decided['review']['reasons']}"
    with log.step("edit and resubmit") as step:
        await client.reserve_name(app_id, name)
        await client.generate_documents(app_id)
        started = await client.start_face_check(app_id)
        await face_check(client, phone, app_id, str(started["verify_id"]), user=user, step=step)
        await client.sign(app_id)
        final = await client.submit(app_id)
        step.detail = f"{final['state']}"
    return final


@scenario("face_retry", steps=16, description="the founder cancels the face check, retries it and passes")
async def face_retry(client: KaibanClient, phone: WeChatPhone, *, user: str, log: StepLog | None = None,
                     rng: random.Random | None = None) -> dict[str, Any]:
    """The sole-founder formation with a cancelled then retried face check."""
    return await sole_founder(client, phone, user=user, log=log, rng=rng,
                              hooks=FlowHooks(scenario="face_retry", identity_face=_cancel_then_pass))


@scenario("name_suggestion", steps=16, description="the first name is taken; a suggestion of the check is reserved")
async def name_suggestion(client: KaibanClient, phone: WeChatPhone, *, user: str, log: StepLog | None = None,
                          rng: random.Random | None = None) -> dict[str, Any]:
    """The sole-founder formation whose first name is reserved by someone else."""
    return await sole_founder(client, phone, user=user, log=log, rng=rng,
                              hooks=FlowHooks(scenario="name_suggestion", name=_taken_then_suggested))


@scenario("review_resubmit", steps=17,
          description="reservation expires (clock +2 months), officers' queue, rejection, edit, resubmission, licence")
async def review_resubmit(client: KaibanClient, phone: WeChatPhone, *, user: str, log: StepLog | None = None,
                          rng: random.Random | None = None) -> dict[str, Any]:
    """The sole-founder formation through a reviewer's rejection and a resubmission."""
    return await sole_founder(client, phone, user=user, log=log, rng=rng, hooks=FlowHooks(
        scenario="review_resubmit", before_submit=_expire_reservation, after_review=_officer_rejects_then_resubmit))
