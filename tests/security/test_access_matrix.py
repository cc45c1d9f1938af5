"""Every endpoint against every role: the matrix is read from the router, so a route missing from it fails the test,
and no role reaches another's objects. Roles: anonymous, the applicant who owns the objects, another applicant, an
invited participant of the owner's application, a reviewer, an admin (admin role only) and a signed partner request."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import aiohttp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from backend import keys
from backend.services.partners import register_partner
from tests.e2e.phone import Phone, mainland_id
from tests.officers.test_officer_login import _login, _officer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "miniprogram-mock"))
from kaiban_mock.partner import PartnerClient  # noqa: E402

ROLES = ("anonymous", "owner", "other", "participant", "reviewer", "admin", "partner")
REFUSED = {401, 403, 404}

# Who may use each kind of endpoint. "ok" means not refused for who the caller is (the call may still be 4xx for
# its content or the application's state); "refused" statuses are given per role.
PUBLIC = {role: "ok" for role in ROLES}
ANY_APPLICANT = {"anonymous": {401}, "owner": "ok", "other": "ok", "reviewer": {401}, "admin": {401}, "partner": {401}}
OWNED = {"anonymous": {401}, "owner": "ok", "other": {403, 404}, "reviewer": {401}, "admin": {401}, "partner": {401}}
REVIEWER = {"anonymous": {401}, "owner": {401}, "other": {401}, "reviewer": "ok", "admin": {403}, "partner": {401}}
ADMIN = {**REVIEWER, "reviewer": {403}, "admin": "ok"}
ANY_OFFICER = {**REVIEWER, "admin": "ok"}
OWNED_NO_SUCH_CHILD = {**OWNED, "owner": {404}}  # the owner asks about a face check that does not exist
MOCK_STAND_IN = {role: {403} for role in ROLES}  # the reviewer stand-in of mock mode needs its test headers
# the console opens with its own session cookie only (a bearer token, the officer's included, is no key to it); its
# log-in form refuses any post without the form's CSRF token. tests/http/test_console.py covers logged-in officers.
CONSOLE = {role: {401} for role in ROLES}
CONSOLE_LOGIN = {role: {403, 415} for role in ROLES}  # no CSRF token, or (a JSON body) not a form
PARTNER = {"anonymous": {401}, "owner": {401}, "other": {401}, "reviewer": {401}, "admin": {401}, "partner": "ok"}
PARTNER_NOT_ITS = {**PARTNER, "partner": {404}}  # the owner's own application is no partner's to see or act on

MATRIX: dict[tuple[str, str], dict] = {
    **{("GET", p): PUBLIC for p in ("/healthz", "/readyz", "/api/v1/meta", "/api/openapi.json", "/api/docs",
                                     "/mock/clock", "/api/v1/consents/identity", "/api/v1/licences/{uscc}",
                                     "/api/v1/licences/{uscc}/bundle", "/licences/{uscc}",
                                     "/api/v1/licence-credentials/jwks.json", "/api/v1/licences/{uscc}/qr.svg",
                                     "/api/v1/ledger/checkpoint", "/api/v1/ledger/key", "/api/v1/ledger/entries/{index}",
                                     "/api/v1/ledger/proofs/inclusion", "/api/v1/ledger/proofs/consistency",
                                     "/api/v1/names/check")},
    ("GET", "/mock/review/applications/{id}/participants"): MOCK_STAND_IN,
    **{("POST", p): PUBLIC for p in ("/mock/clock/advance", "/mock/officers", "/api/v1/auth/wechat-login", "/api/v1/auth/refresh",
                                      "/api/v1/names/check", "/api/v1/identity/documents/check",
                                      "/api/v1/scope/recommend", "/api/v1/documents/read", "/api/v1/officer/login",
                                      "/mock/sms/messages", "/mock/partners")},
    # a confirmation link's token is the credential: an unknown token is simply not found, whoever asks
    **{("GET", p): {role: {404} for role in ROLES} for p in ("/api/v1/confirmations/{token}", "/confirm/{token}")},
    **{("POST", p): {role: {404, 422} for role in ROLES} for p in ("/api/v1/confirmations/{token}/code",
                                                              "/api/v1/confirmations/{token}/signature")},
    ("POST", "/api/v1/applications"): ANY_APPLICANT,
    ("GET", "/api/v1/applications"): ANY_APPLICANT,
    ("POST", "/api/v1/participant-invitations"): ANY_APPLICANT,
    ("GET", "/api/v1/me/data-export"): ANY_APPLICANT,
    **{(m, p): OWNED for m, p in [
        ("GET", "/api/v1/applications/{id}"), ("POST", "/api/v1/applications/{id}/withdraw"),
        ("PUT", "/api/v1/applications/{id}/identity"), ("POST", "/api/v1/applications/{id}/face-checks"),
        ("PUT", "/api/v1/applications/{id}/name"),
        ("PUT", "/api/v1/applications/{id}/details"), ("POST", "/api/v1/applications/{id}/documents"),
        ("GET", "/api/v1/applications/{id}/documents/{kind}"), ("POST", "/api/v1/applications/{id}/signatures"),
        ("GET", "/api/v1/applications/{id}/documents/{kind}/preview"),
        ("POST", "/api/v1/applications/{id}/submit"), ("GET", "/api/v1/applications/{id}/timeline"),
        ("GET", "/api/v1/applications/{id}/consent"), ("POST", "/api/v1/applications/{id}/consent"),
        ("POST", "/api/v1/applications/{id}/consent/withdraw"), ("GET", "/api/v1/applications/{id}/participants"),
        ("POST", "/api/v1/applications/{id}/participants"), ("PATCH", "/api/v1/applications/{id}/participants/{pid}"),
        ("DELETE", "/api/v1/applications/{id}/participants/{pid}"), ("PUT", "/api/v1/applications/{id}/governance"),
        ("POST", "/api/v1/applications/{id}/participants/{pid}/verifications"),
        ("POST", "/api/v1/applications/{id}/participants/{pid}/invitation"),
        ("GET", "/api/v1/applications/{id}/signatures"),
        ("GET", "/api/v1/applications/{id}/documents/{kind}/signed"),
        ("POST", "/api/v1/applications/{id}/participants/{pid}/signing-code"),
        ("POST", "/api/v1/applications/{id}/participants/{pid}/confirmation-link"),
    ]},
    ("POST", "/api/v1/applications/{id}/face-checks/{verify_id}/result"): OWNED_NO_SUCH_CHILD,
    ("POST", "/api/v1/applications/{id}/participants/{pid}/face-checks/{verify_id}/result"): OWNED_NO_SUCH_CHILD,
    ("GET", "/api/v1/partner/whoami"): PARTNER,
    ("POST", "/api/v1/partner/applications"): PARTNER,
    ("GET", "/api/v1/partner/applications"): PARTNER,
    **{(m, p): PARTNER_NOT_ITS for m, p in [
        ("GET", "/api/v1/partner/applications/{id}"), ("POST", "/api/v1/partner/applications/{id}/attestations"),
        ("PUT", "/api/v1/partner/applications/{id}/name"), ("PUT", "/api/v1/partner/applications/{id}/details"),
        ("POST", "/api/v1/partner/applications/{id}/documents"), ("PUT", "/api/v1/partner/applications/{id}/governance"),
        ("POST", "/api/v1/partner/applications/{id}/withdraw"),
        ("POST", "/api/v1/partner/applications/{id}/participants/{pid}/confirmation-link"),
        ("POST", "/api/v1/partner/applications/{id}/submit"),
    ]},
    ("GET", "/api/v1/officer/me"): ANY_OFFICER,
    ("GET", "/api/v1/officer/audit"): ADMIN,
    ("GET", "/api/v1/officer/deliveries"): ADMIN,
    ("POST", "/api/v1/officer/deliveries/{delivery}/retry"): {**ADMIN, "admin": {404}},  # no delivery 1 exists
    ("GET", "/api/v1/officer/queue"): REVIEWER,
    ("GET", "/api/v1/officer/applications/{id}"): REVIEWER,
    ("POST", "/api/v1/officer/applications/{id}/decision"): REVIEWER,
    ("POST", "/api/v1/officer/licences/{uscc}/status"): REVIEWER,
    ("GET", "/console/login"): PUBLIC,
    ("POST", "/console/login"): CONSOLE_LOGIN,
    **{(m, p): CONSOLE for m, p in [
        ("POST", "/console/logout"), ("GET", "/console/queue"), ("GET", "/console/applications/{id}"),
        ("POST", "/console/applications/{id}/decision"), ("POST", "/console/licences/{uscc}/status"),
        ("GET", "/console/audit"), ("GET", "/console/deliveries"), ("POST", "/console/deliveries/{delivery}/retry"),
    ]},
}
# An invited participant (a deputy manager linked to the owner's application with the invitation code) is another
# applicant everywhere except where a participant acts on the application: their own consent and verification,
# the signatures, reading the documents. Acting on another participant's record is still refused.
PARTICIPANT_ACTS = {
    ("GET", "/api/v1/applications/{id}/consent"): "ok", ("POST", "/api/v1/applications/{id}/consent"): "ok",
    ("POST", "/api/v1/applications/{id}/consent/withdraw"): {404},  # they gave none yet: nothing to withdraw
    ("GET", "/api/v1/applications/{id}/signatures"): "ok", ("POST", "/api/v1/applications/{id}/signatures"): "ok",
    ("GET", "/api/v1/applications/{id}/documents/{kind}"): "ok",
    ("GET", "/api/v1/applications/{id}/documents/{kind}/preview"): "ok",
    ("GET", "/api/v1/applications/{id}/documents/{kind}/signed"): "ok",
    ("POST", "/api/v1/applications/{id}/participants/{pid}/verifications"): {403},  # the founder's: no consent yet
    ("POST", "/api/v1/applications/{id}/participants/{pid}/face-checks/{verify_id}/result"): {404},
    ("POST", "/api/v1/applications/{id}/participants/{pid}/signing-code"): {404},  # not their own record
}
MATRIX = {row: {**expected, "participant": PARTICIPANT_ACTS.get(row, expected["other"])} for row, expected in MATRIX.items()}

# Changes that would alter the owner's objects for the rows after them run last, in this order.
LAST = [("DELETE", "/api/v1/applications/{id}/participants/{pid}"), ("POST", "/api/v1/applications/{id}/consent/withdraw"),
        ("POST", "/api/v1/applications/{id}/withdraw"), ("POST", "/api/v1/officer/licences/{uscc}/status")]


async def _invite_deputy(owner: Phone, participant: Phone, app_id: str) -> None:
    """A deputy manager (no identity check or signature needed) who links their own WeChat with the invitation."""
    added = await owner.call("POST", f"/api/v1/applications/{app_id}/participants", expect=201, json={
        "name": "钱八", "roles": ["deputy_manager"], "document_type": "cn_resident_id", "document_number": mainland_id(seq=77)})
    code = (await owner.call("POST", f"/api/v1/applications/{app_id}/participants/{added['id']}/invitation", json={},
                             expect=201))["code"]
    await participant.accept_invitation(code)


def routed(app) -> set[tuple[str, str]]:
    """Every (method, path template) the server answers, but the fake WeChat platform and the simulator's pages."""
    out = set()
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        if path is None or route.method == "HEAD" or path.startswith(("/mock/wechat", "/mock/app")):
            continue
        out.add((route.method, re.sub(r"{(\w+)(:[^}]*)?}", r"{\1}", path)))
    return out


def test_every_route_is_in_the_matrix() -> None:
    from backend.app import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(database_url="sqlite://:memory:", var_dir=Path("/tmp/unused"), port=1))
    assert routed(app) == set(MATRIX), {"missing": routed(app) - set(MATRIX), "stale": set(MATRIX) - routed(app)}


async def test_each_role_gets_what_the_matrix_says(client) -> None:
    app = client.server.app
    owner, other, participant = Phone(client), Phone(client), Phone(client)
    final = await owner.form_company(before_documents=lambda app_id: _invite_deputy(owner, participant, app_id))
    await other.login()
    participants = await owner.call("GET", f"/api/v1/applications/{final['id']}/participants")
    values = {"id": final["id"], "uscc": final["licence"]["uscc"], "kind": "articles_of_association",
              "verify_id": "no-such-check", "index": "0", "token": "no-such-token", "delivery": "1", "pid": participants["items"][0]["id"]}
    reviewer_totp = await _officer(client)
    admin_totp = await _officer(client, username="admin.only", roles=("admin",))
    tokens = {
        "owner": owner.token, "other": other.token, "participant": participant.token,
        "reviewer": (await (await _login(client, reviewer_totp)).json())["access_token"],
        "admin": (await (await _login(client, admin_totp, username="admin.only")).json())["access_token"],
    }
    key = Ed25519PrivateKey.generate()
    registered = await register_partner(name="測試銀行", kind="bank", region="HK",
                                        public_key_b64=PartnerClient.public_key_b64(key),
                                        scopes=["applications:read", "applications:submit", "attestations:write"],
                                        rate_limit_per_minute=10_000, clock=app[keys.CLOCK])
    base = str(client.make_url("/"))
    order = sorted(MATRIX, key=lambda row: LAST.index(row) if row in LAST else -1)
    wrong: list[str] = []
    async with aiohttp.ClientSession() as session:
        partner = PartnerClient(session=session, base_url=base, key_id=registered.key_id, key=key)
        await partner.sync_clock()
        for method, template in order:
            path = template.format(**values)
            query = {"/api/v1/ledger/proofs/inclusion": "?index=0&size=1",
                     "/api/v1/ledger/proofs/consistency": "?old=1&size=2",
                     "/api/v1/names/check": "?name=广州市黄埔区云帆信息技术有限公司"}.get(template, "")
            body = None if method in ("GET", "DELETE") else {}
            owner_status = None
            for role in ROLES:
                if role == "partner":
                    status, _ = await partner.request(method, path + query, body)
                else:
                    headers = {"Authorization": f"Bearer {tokens[role]}"} if role in tokens else {}
                    resp = await client.request(method, path + query, json=body, headers=headers)
                    status = resp.status
                owner_status = status if role == "owner" else owner_status
                expected = MATRIX[(method, template)][role]
                fine = status not in REFUSED and status < 500 if expected == "ok" else status in expected
                # an empty body is refused as invalid before anyone's ownership is looked at, for any id alike:
                # another applicant then learns nothing the owner would not be told too
                fine = fine or (role in ("other", "participant") and status == 422 and owner_status == 422)
                if not fine:
                    wrong.append(f"{method} {template} as {role}: {status}, expected {expected}")
    assert wrong == [], "\n".join(wrong)
