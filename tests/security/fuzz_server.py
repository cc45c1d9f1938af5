"""A served Kaiban process for the schema fuzzer, with a valid token (or signing key) for every role."""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.conftest import REPO, make_settings
from tests.e2e.test_demo import _free_port, _log, _wait_ready, stop
from tests.pinned import LEDGER_ORIGIN, TEST_LEDGER_SEED_B64

sys.path.insert(0, str(REPO / "miniprogram-mock"))
from kaiban_mock.partner import PartnerClient  # noqa: E402

APPID = "wx0000000000kaiban"


def document() -> dict[str, Any]:
    """The OpenAPI document the served process publishes (mock mode), built without serving."""
    from backend import keys
    from backend.app import create_app

    app = create_app(make_settings(database_url="sqlite://:memory:", var_dir=Path("/tmp/kaiban-fuzz-doc"), port=1))
    return app[keys.OPENAPI]


@dataclasses.dataclass
class FuzzServer:
    """Where the server listens, an HTTP session, the tokens of each role and the partner's signing key."""

    base: str
    session: requests.Session
    tokens: dict[str, str]
    partner: PartnerClient | None = None
    known: dict[str, list[str]] = dataclasses.field(default_factory=dict)  # path parameter -> ids that exist

    @classmethod
    @contextlib.contextmanager
    def start(cls, folder: Path, *, database_url: str, **env_overrides: str) -> Iterator[FuzzServer]:
        """Migrate and serve on `database_url`, make one user of each role, stop the server at the end."""
        port = _free_port()
        env = {
            **os.environ, "PORT": str(port), "VAR_DIR": str(folder / "var"),
            "DATABASE_URL": database_url, "LEDGER_SIGNING_SEED": TEST_LEDGER_SEED_B64,
            "LEDGER_ORIGIN": LEDGER_ORIGIN, "LEDGER_KEY_NAME": LEDGER_ORIGIN, "PYTHONPATH": str(REPO),
            # the fuzzer is one client address: the per-address budgets would answer it 429 after a few calls
            "LOGIN_RATE": "1000000", "NAME_CHECK_RATE": "1000000", "IDENTITY_CHECK_RATE": "1000000",
            "VERIFY_RATE": "1000000", "DOCUMENT_READ_RATE": "1000000", "SCOPE_RATE": "1000000",
            "RENDERING_RATE": "1000000", "RENDER_PROCESSES": "0", **env_overrides,
        }
        subprocess.run([sys.executable, "-m", "backend", "migrate"], env=env, cwd=REPO, check=True, capture_output=True)
        process = subprocess.Popen([sys.executable, "-m", "backend", "serve"], env=env, cwd=REPO,
                                   stdout=_log(folder), stderr=subprocess.STDOUT, text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(base, process)
            with requests.Session() as session:
                server = cls(base=base, session=session, tokens={})
                server._make_roles(env)
                yield server
        finally:
            stop(process)

    def _json(self, method: str, path: str, body: Any = None, *, token: str | None = None, expect: int = 200) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.session.request(method, self.base + path, json=body, headers=headers, timeout=30)
        assert response.status_code == expect, (path, response.status_code, response.text)
        return response.json()

    def _make_roles(self, env: dict[str, str]) -> None:
        code = self._json("POST", "/mock/wechat/simulate/login-code", {"appid": APPID, "user": "fuzz-applicant"})
        self.tokens["applicant"] = self._json("POST", "/api/v1/auth/wechat-login", {"code": code["code"]})["access_token"]
        made = self._json("POST", "/api/v1/applications", {}, token=self.tokens["applicant"], expect=201)
        notice = self._json("GET", "/api/v1/consents/identity")  # consent given: the identity steps are reachable
        self._json("POST", f"/api/v1/applications/{made['id']}/consent", {"text_version": notice["version"], "accept": True},
                   token=self.tokens["applicant"], expect=201)
        participants = self._json("GET", f"/api/v1/applications/{made['id']}/participants", token=self.tokens["applicant"])
        self.known = {"id": [made["id"]], "pid": [p["id"] for p in participants["items"]][:1],
                      "kind": ["articles_of_association"], "index": ["0"]}
        now = dt.datetime.fromisoformat(self._json("GET", "/mock/clock")["now"])
        for role, roles in (("reviewer", ["reviewer"]), ("admin", ["admin"])):
            officer = self._json("POST", "/mock/officers", {"username": f"fuzz.{role}", "roles": roles}, expect=201)
            login = self._json("POST", "/api/v1/officer/login", {
                "username": officer["username"], "password": officer["password"],
                "totp": pyotp.TOTP(officer["totp_secret"]).at(now)})
            self.tokens[role] = login["access_token"]
        key = Ed25519PrivateKey.generate()
        added = subprocess.run(
            [sys.executable, "-m", "backend", "admin", "partner", "add", "--name", "模糊測試銀行", "--kind", "bank",
             "--region", "HK", "--public-key", PartnerClient.public_key_b64(key), "--rate-limit", "100000"],
            env=env, cwd=REPO, check=True, capture_output=True, text=True)
        key_id = json.loads(added.stdout.strip().splitlines()[-1])["key_id"]
        self.partner = PartnerClient(session=None, base_url=self.base, key_id=key_id, key=key)  # type: ignore[arg-type]
        self.partner.clock_offset = float(self._json("GET", "/mock/clock")["offset_seconds"])


def partner_headers(server: FuzzServer, *, method: str, url: str, body: Any) -> dict[str, str]:
    """RFC 9421 signature headers of one request by the registered partner."""
    raw = body if isinstance(body, bytes) else (body.encode() if isinstance(body, str) else b"")
    assert server.partner is not None
    return server.partner.signed_headers(method, url, raw)
