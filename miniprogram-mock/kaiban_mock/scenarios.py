"""Whole runs of the mini-program, one function per scenario, kept in `SCENARIOS` by name.

A scenario takes a logged-out `KaibanClient`, the `WeChatPhone` and the simulated WeChat user, prints its steps
through a `StepLog`, and returns a summary dict (``application_id``, ``uscc``, ``ledger_index``, ``company_name``,
``steps``, ``total_ms``, ...). It raises `ApiError` when the server refuses a call and `ScenarioError` when an
answer is not what the mini-program expects.

To add one (two shareholders, a Hong Kong investor, the failure paths):

    @scenario("two_shareholders", steps=20, description="...")
    async def two_shareholders(client, phone, *, user, log=None, rng=None): ...
"""
from __future__ import annotations

import hashlib
import random
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from kaiban_mock import testdata
from kaiban_mock.client import ApiError, KaibanClient
from kaiban_mock.steplog import Step, StepLog
from kaiban_mock.wechat import WeChatPhone

NAME_ATTEMPTS = 20  # names tried before giving up, counting both refusals by the check and 409 name_taken


class ScenarioError(Exception):
    """An answer the mini-program did not expect (wrong state, bad document, rejection); `data` says more."""

    def __init__(self, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.data = data


class ScenarioFunc(Protocol):
    def __call__(
        self,
        client: KaibanClient,
        phone: WeChatPhone,
        *,
        user: str,
        log: StepLog | None = None,
        rng: random.Random | None = None,
    ) -> Awaitable[dict[str, Any]]: ...


@dataclass(frozen=True, slots=True)
class Scenario:
    """A registered scenario: its function, how many steps it announces, and one line saying what it does."""

    name: str
    run: ScenarioFunc
    steps: int
    description: str


SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str, *, steps: int, description: str) -> Callable[[ScenarioFunc], ScenarioFunc]:
    """Register a scenario function under `name`."""

    def register(func: ScenarioFunc) -> ScenarioFunc:
        if name in SCENARIOS:
            raise ValueError(f"scenario {name!r} registered twice")
        SCENARIOS[name] = Scenario(name, func, steps, description)
        return func

    return register


async def run_scenario(
    name: str,
    client: KaibanClient,
    phone: WeChatPhone,
    *,
    user: str,
    log: StepLog | None = None,
    rng: random.Random | None = None,
) -> dict[str, Any]:
    """Run the scenario called `name` with a step log announcing its step count."""
    try:
        entry = SCENARIOS[name]
    except KeyError:
        raise ValueError(f"unknown scenario {name!r}; known: {', '.join(sorted(SCENARIOS))}") from None
    if log is None:
        log = StepLog(total=entry.steps)
    elif not log.total:
        log.total = entry.steps
    return await entry.run(client, phone, user=user, log=log, rng=rng)


# --- pieces shared by scenarios ---------------------------------------------------------------------------------


def expect_state(application: Mapping[str, Any], *states: str) -> None:
    """Raise ScenarioError unless the application is in one of `states`."""
    state = application.get("state")
    if state not in states:
        raise ScenarioError(
            f"application {application.get('id')} is in state {state!r}, expected {' or '.join(states)}",
            {"state": state, "next_step": application.get("next_step"), "review": application.get("review")},
        )


def _field(answer: Mapping[str, Any], key: str, what: str) -> Any:
    if not isinstance(answer, Mapping) or key not in answer:
        raise ScenarioError(f"{what}: answer has no {key!r}", answer)
    return answer[key]


async def login(client: KaibanClient, phone: WeChatPhone, log: StepLog, *, user: str) -> dict[str, Any]:
    """wx.login on the phone, then the backend login; two steps."""
    with log.step("wx.login") as step:
        code = await phone.login_code(user)
        step.detail = f"{user}  openid={code.get('openid')}"
    with log.step("login") as step:
        session = await client.wechat_login(_field(code, "code", "simulate/login-code"))
        step.detail = f"user {client.user_id}  token expires in {session.get('expires_in')} s"
    return {"openid": code.get("openid"), "user_id": client.user_id}


async def face_check(
    client: KaibanClient, phone: WeChatPhone, application_id: str, verify_id: str, *, user: str, step: Step
) -> dict[str, Any]:
    """The user passes wx.requestFacialVerify; the mini-program then has the server fetch the result."""
    await phone.face(user, "pass")
    answer = await client.face_check_result(application_id, verify_id)
    if answer.get("status") != "passed":
        raise ScenarioError(f"face check {verify_id} ended {answer.get('status')!r}, expected 'passed'", answer)
    shown = verify_id if len(verify_id) <= 16 else verify_id[:12] + "…"
    step.detail = f"verify_id {shown} passed"
    return answer


async def pick_free_name(client: KaibanClient, rng: random.Random, tried: set[str]) -> tuple[str, list[Any]]:
    """Generate names until the name check finds one well-formed and free; answer it and the last findings."""
    last: Any = None
    while len(tried) < NAME_ATTEMPTS:
        name = testdata.company_name(testdata.trade_name(rng))
        if name in tried:
            continue
        tried.add(name)
        check = await client.check_name(name)
        last = check
        if check.get("ok") and check.get("available"):
            return name, list(check.get("findings") or [])
    raise ScenarioError(f"no usable company name after {len(tried)} tries", last)


async def reserve_some_name(
    client: KaibanClient, application_id: str, rng: random.Random, log: StepLog
) -> tuple[str, dict[str, Any]]:
    """The name check then the reservation, two steps; a 409 ``name_taken`` sends it back to another name."""
    tried: set[str] = set()
    with log.step("name check") as step:
        name, findings = await pick_free_name(client, rng, tried)
        step.detail = f"{name}  ({len(tried)} tried, {len(findings)} findings)"
    with log.step("name reservation") as step:
        taken = 0
        while True:
            try:
                answer = await client.reserve_name(application_id, name)
                break
            except ApiError as exc:
                if exc.status != 409 or exc.code != "name_taken":
                    raise
                taken += 1
                step.note(f"{name} is taken; trying another")
                name, _ = await pick_free_name(client, rng, tried)
        expect_state(_field(answer, "application", "PUT name"), "name_reserved")
        reservation = answer.get("reservation") or {}
        step.detail = f"until {reservation.get('expires_at')}" + (f"  ({taken} taken)" if taken else "")
    return name, answer


async def fetch_documents(client: KaibanClient, documents: Iterable[Mapping[str, Any]], step: Step) -> list[dict]:
    """Download each generated document, check it is a PDF with the announced SHA-256 (and size), note it."""
    checked = []
    for doc in documents:
        kind, url, want = doc.get("kind"), doc.get("url"), str(doc.get("sha256") or "").lower()
        if not url or not want:
            raise ScenarioError(f"document {kind!r} has no url or sha256", doc)
        body, content_type = await client.download(url)
        got = hashlib.sha256(body).hexdigest()
        if not body.startswith(b"%PDF"):
            raise ScenarioError(f"document {kind!r} is not a PDF (starts {body[:8]!r}, {content_type})", doc)
        if got != want:
            raise ScenarioError(f"document {kind!r}: SHA-256 {got} differs from announced {want}", doc)
        if doc.get("size") is not None and int(doc["size"]) != len(body):
            raise ScenarioError(f"document {kind!r}: {len(body)} bytes, announced {doc['size']}", doc)
        step.note(f"{kind:<24} {len(body):>8} bytes  sha256 {got[:16]}…  ok")
        checked.append({"kind": kind, "sha256": got, "size": len(body)})
    if not checked:
        raise ScenarioError("no documents were generated", list(documents))
    return checked


# --- scenarios --------------------------------------------------------------------------------------------------


@dataclass
class FlowHooks:
    """Detours of the sole-founder flow; each None takes the straight path."""

    scenario: str = "sole_founder"
    identity_face: Callable[..., Awaitable[dict[str, Any]]] | None = None
    name: Callable[..., Awaitable[str]] | None = None
    before_submit: Callable[..., Awaitable[None]] | None = None
    after_review: Callable[..., Awaitable[dict[str, Any]]] | None = None
    participants: Callable[..., Awaitable[None]] | None = None  # after the founder's identity: add the others
    co_sign: Callable[..., Awaitable[None]] | None = None  # after the founder's signature: everyone else signs


@scenario(
    "sole_founder",
    steps=15,
    description="one mainland founder forms a one-person 信息技术有限公司 in 黄埔区, through to the licence",
)
async def sole_founder(
    client: KaibanClient,
    phone: WeChatPhone,
    *,
    user: str,
    log: StepLog | None = None,
    rng: random.Random | None = None,
    hooks: "FlowHooks | None" = None,
) -> dict[str, Any]:
    """A mainland resident forms a limited liability company alone: every step of the mini-program, to the licence.
    `hooks` let the failure-path scenarios (kaiban_mock.paths) take a detour at the identity face check, the name,
    or the submission."""
    log = log if log is not None else StepLog(total=SCENARIOS["sole_founder"].steps)
    hooks = hooks or FlowHooks()
    rng = rng or random.Random()  # noqa: S311 - simulated test data
    founder = testdata.mainland_founder(rng)

    with log.step("meta") as step:
        meta = await client.meta()
        if not meta.get("mock_mode"):
            raise ScenarioError("the server is not in mock mode: no fake WeChat to log in with", meta)
        phone.appid = str(_field(meta, "wechat_appid", "GET /api/v1/meta"))
        step.detail = f"{meta.get('service')} {meta.get('version')}  appid {phone.appid}"

    account = await login(client, phone, log, user=user)

    with log.step("application") as step:
        app = await client.create_application("limited_liability_company")
        app_id = str(_field(app, "id", "POST /applications"))
        expect_state(app, "created")
        step.detail = f"{app_id}  next: {app.get('next_step')}"

    with log.step("identity") as step:
        await client.give_identity_consent(app_id)
        answer = await client.put_identity(
            app_id, name=founder.name, document_type=founder.document_type, document_number=founder.document_number
        )
        verify_id = str(_field(_field(answer, "face_check", "PUT identity"), "verify_id", "PUT identity face_check"))
        step.detail = f"{founder.name[:1]}* {founder.document_number[:4]}**********{founder.document_number[-4:]}"

    if hooks.identity_face is not None:
        answer = await hooks.identity_face(client, phone, app_id, verify_id, user, log)
    else:
        with log.step("face check (identity)") as step:
            answer = await face_check(client, phone, app_id, verify_id, user=user, step=step)
    expect_state(_field(answer, "application", "face-check result"), "identity_verified")

    if hooks.participants is not None:
        await hooks.participants(client, phone, app_id, founder, rng, log)

    if hooks.name is not None:
        name = await hooks.name(client, app_id, rng, log)
    else:
        name, _ = await reserve_some_name(client, app_id, rng, log)

    with log.step("details") as step:
        details = testdata.llc_details(rng)
        app = await client.put_details(app_id, details)
        expect_state(app, "details_completed")
        step.detail = f"{details['address']}  capital {details['registered_capital_cny']} CNY"

    with log.step("documents") as step:
        answer = await client.generate_documents(app_id)
        expect_state(_field(answer, "application", "POST documents"), "documents_generated")
        documents = await fetch_documents(client, _field(answer, "documents", "POST documents"), step)
        step.detail = f"{len(documents)} PDFs checked"

    with log.step("face check (signing)") as step:
        started = await client.start_face_check(app_id)
        await face_check(client, phone, app_id, str(_field(started, "verify_id", "POST face-checks")),
                         user=user, step=step)

    with log.step("signature") as step:
        answer = await client.sign(app_id)
        expect_state(_field(answer, "application", "POST signatures"), "documents_generated" if hooks.co_sign else "signed")
        signature = answer.get("signature") or {}
        payload = signature.get("payload") if isinstance(signature.get("payload"), Mapping) else {}
        signing = answer.get("signing") or {}
        done = sum(1 for s in signing.get("signers", []) if s.get("status") == "signed")
        step.detail = f"signed {payload.get('signed_at')}  {done} of {len(signing.get('signers', []))} signatures"
    if hooks.co_sign is not None:
        await hooks.co_sign(client, app_id, log)

    with log.step("submit") as step:
        if hooks.before_submit is not None:
            await hooks.before_submit(client, phone, app_id, user, step)
        app = await client.submit(app_id)
        step.detail = app.get("state", "")
    if hooks.after_review is not None and app.get("state") != "licensed":
        app = await hooks.after_review(client, phone, app_id, name, user, app, log)
    if app.get("state") in ("rejected", "in_review"):
        review = app.get("review") or {}
        raise ScenarioError(f"machine review did not approve the application ({app['state']})",
                            review.get("findings", review))
    expect_state(app, "licensed")
    uscc = str(_field(app.get("licence") or {}, "uscc", "submitted application's licence"))
    step.detail = f"{app['state']}  USCC {uscc}"

    with log.step("licence") as step:
        public = await client.licence(uscc)
        licence = _field(public, "licence", "GET licence")
        ledger = _field(public, "ledger", "GET licence")
        ledger_index = _field(ledger, "index", "GET licence ledger")
        shown_name = licence.get("name") or licence.get("company_name")
        if shown_name and shown_name != name:
            raise ScenarioError(f"the licence names {shown_name!r}, the reserved name was {name!r}", licence)
        step.detail = f"{shown_name or name}  {licence.get('uscc', uscc)}  ledger #{ledger_index}"

    with log.step("timeline") as step:
        timeline = await client.timeline(app_id)
        items = _field(timeline, "items", "GET timeline")
        step.detail = f"{len(items)} chain records"

    return {
        "scenario": hooks.scenario,
        "user": user,
        "openid": account["openid"],
        "application_id": app_id,
        "company_name": name,
        "uscc": uscc,
        "ledger_index": ledger_index,
        "licence_status": public.get("status"),
        "founder": founder.name[:1] + "*" * (len(founder.name) - 1),  # masked, like everything the server shows
        "documents": len(documents),
        "timeline_records": len(items),
        "steps": log.count,
        "total_ms": log.total_ms,
    }
