"""Service settings, read once from the environment into a frozen object (no module-level globals)."""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything configurable; see README "Configuration" for each variable."""

    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str = ""  # empty: embedded SQLite at var/kaiban.sqlite3
    var_dir: Path = REPO_ROOT / "var"
    mock_mode: bool = True
    wechat_base_url: str | None = None  # None: the fake platform mounted in this server (mock mode)
    wechat_appid: str = "wx0000000000kaiban"
    wechat_secret: str = "mock-secret-kaiban"  # noqa: S105 - the fake platform's; WECHAT_SECRET in production
    jwt_issuer: str = "kaiban"
    jwt_audience: str = "kaiban-miniprogram"
    access_token_ttl: int = 900
    refresh_token_ttl: int = 30 * 24 * 3600
    face_check_max_age: int = 600
    max_body_bytes: int = 1024 * 1024
    ledger_origin: str = "kaiban.huangpu.gov.cn/formation-ledger"
    ledger_key_name: str = "kaiban.huangpu.gov.cn/formation-ledger"
    data_key_b64: str | None = None  # 32-byte AES key; generated under var/keys/ when absent
    data_key_id: str = "k1"  # the id stored with everything the data key seals
    # key rotation: keys that sealed older data and still open it, each "<key id>=<base64 32-byte key>"
    data_previous_keys: tuple[str, ...] = ()
    blind_index_key_b64: str | None = None  # HMAC key of blind indexes; derived from the data key when absent
    face_check_max_attempts: int = 3  # failed face checks in a row before a cool-down
    face_check_cooldown: int = 1800  # seconds
    retention_days: int = 90  # an abandoned draft's personal data is erased this long after its last change
    ledger_seed_b64: str | None = None  # 32-byte Ed25519 seed; generated under var/keys/ when absent
    # key rotation: further log keys that sign every checkpoint beside the current one, each "<key name>=<base64 seed>"
    ledger_additional_keys: tuple[str, ...] = ()
    # witnesses asked to cosign checkpoints, each "<add-checkpoint URL> <witness verifier key>"
    ledger_witnesses: tuple[str, ...] = ()
    witness_interval: float = 5.0
    webhook_interval: float = 2.0  # seconds between rounds of webhook deliveries
    # the subscribe-message template (办理进度提醒: thing1 company, phrase2 status, time3 time, thing4 note)
    wechat_status_template: str = "kaiban_status_change"
    message_interval: float = 2.0  # seconds between rounds of subscribe-message sends
    token_seed_b64: str | None = None  # 32-byte Ed25519 seed for access tokens
    ca_seed_b64: str | None = None  # 32-byte Ed25519 seed of the simulated signature CA
    public_base_url: str | None = None  # the address partners sign (https://host), when a proxy stands in front
    render_processes: int = 0  # worker processes rendering PDFs; 0 renders in threads of this process
    web_processes: int = 1  # server processes sharing the port (backend.serving); more than 1 wants PostgreSQL
    fake_wechat_url: str | None = None  # mock mode, several processes: where the one fake WeChat platform runs
    drafting_url: str | None = None  # an OpenAI-compatible endpoint tidying free text (None: the local pipeline)
    drafting_model: str = "gpt-4o-mini"  # the model named in its chat completions
    drafting_api_key: str | None = None  # its bearer token
    checkpoint_cache_seconds: float = 1.0  # how long a signed checkpoint is reused for public proofs
    partner_signature_window: int = 300  # seconds a partner's signed request stays acceptable (created +/-)
    mock_app_dir: Path = REPO_ROOT / "miniprogram-mock" / "h5"  # the clickable simulator's pages (mock mode only)
    names_registry_csv: str | None = None  # names registered in Guangzhou (name,status,status_date,uscc), loaded at start
    name_check_rate: int = 120  # name checks a client may make per minute (no login needed)
    login_rate: int = 60  # WeChat log-ins per client address per minute
    identity_check_rate: int = 120  # inline identity-document checks per client address per minute
    verify_rate: int = 600  # public licence verifications per client address per minute
    document_read_rate: int = 20  # identity-document photo reads (OCR: ~0.4 s of CPU an image) per address per minute
    scope_rate: int = 120  # business-scope recommendations per client address per minute
    rendering_rate: int = 60  # PDFs rendered on request (documents step, previews) per logged-in user per minute
    assurance_config: str | None = None  # JSON file of the assurance each step requires (backend/data/assurance.json)

    @property
    def db_url(self) -> str:
        """The database URL Tortoise connects to (SQLite under var/ unless DATABASE_URL is set)."""
        return self.database_url or f"sqlite://{self.var_dir / 'kaiban.sqlite3'}"

    @property
    def wechat_url(self) -> str:
        """Base URL of the WeChat API the client calls."""
        if self.wechat_base_url:
            return self.wechat_base_url.rstrip("/")
        if self.fake_wechat_url:
            return self.fake_wechat_url.rstrip("/")
        return f"http://127.0.0.1:{self.port}/mock/wechat"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        """Build settings from environment variables, then apply keyword overrides."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if "HOST" in env:
            values["host"] = env["HOST"]
        if env.get("PORT"):
            values["port"] = int(env["PORT"])
        if env.get("DATABASE_URL"):
            values["database_url"] = env["DATABASE_URL"]
        if env.get("VAR_DIR"):
            values["var_dir"] = Path(env["VAR_DIR"])
        if env.get("MOCK_APP_DIR"):
            values["mock_app_dir"] = Path(env["MOCK_APP_DIR"])
        values["mock_mode"] = _flag(env.get("MOCK_MODE"), True)
        for name, key in [
            ("wechat_base_url", "WECHAT_BASE_URL"),
            ("wechat_appid", "WECHAT_APPID"),
            ("wechat_secret", "WECHAT_SECRET"),
            ("jwt_issuer", "JWT_ISSUER"),
            ("jwt_audience", "JWT_AUDIENCE"),
            ("ledger_origin", "LEDGER_ORIGIN"),
            ("ledger_key_name", "LEDGER_KEY_NAME"),
            ("data_key_b64", "DATA_KEY"),
            ("data_key_id", "DATA_KEY_ID"),
            ("blind_index_key_b64", "BLIND_INDEX_KEY"),
            ("ledger_seed_b64", "LEDGER_SIGNING_SEED"),
            ("token_seed_b64", "TOKEN_SIGNING_SEED"),
            ("ca_seed_b64", "CA_SIGNING_SEED"),
            ("public_base_url", "PUBLIC_BASE_URL"),
            ("names_registry_csv", "NAMES_REGISTRY_CSV"),
            ("fake_wechat_url", "FAKE_WECHAT_URL"),
            ("assurance_config", "ASSURANCE_CONFIG"),
            ("wechat_status_template", "WECHAT_STATUS_TEMPLATE"),
            ("drafting_url", "DRAFTING_URL"),
            ("drafting_model", "DRAFTING_MODEL"),
            ("drafting_api_key", "DRAFTING_API_KEY"),
        ]:
            if env.get(key):
                values[name] = env[key]
        for name, key in [("data_previous_keys", "DATA_PREVIOUS_KEYS"), ("ledger_additional_keys", "LEDGER_ADDITIONAL_KEYS"), ("ledger_witnesses", "LEDGER_WITNESSES")]:
            if env.get(key):
                values[name] = tuple(item.strip() for item in env[key].split(",") if item.strip())
        if env.get("WITNESS_INTERVAL"):
            values["witness_interval"] = float(env["WITNESS_INTERVAL"])
        if env.get("WEBHOOK_INTERVAL"):
            values["webhook_interval"] = float(env["WEBHOOK_INTERVAL"])
        if env.get("MESSAGE_INTERVAL"):
            values["message_interval"] = float(env["MESSAGE_INTERVAL"])
        if env.get("CHECKPOINT_CACHE_SECONDS"):
            values["checkpoint_cache_seconds"] = float(env["CHECKPOINT_CACHE_SECONDS"])
        for name, key in [
            ("access_token_ttl", "ACCESS_TOKEN_TTL"),
            ("refresh_token_ttl", "REFRESH_TOKEN_TTL"),
            ("max_body_bytes", "MAX_BODY_BYTES"),
            ("partner_signature_window", "PARTNER_SIGNATURE_WINDOW"),
            ("render_processes", "RENDER_PROCESSES"),
            ("web_processes", "WEB_PROCESSES"),
            ("face_check_max_attempts", "FACE_CHECK_MAX_ATTEMPTS"),
            ("face_check_cooldown", "FACE_CHECK_COOLDOWN"),
            ("retention_days", "RETENTION_DAYS"),
            ("name_check_rate", "NAME_CHECK_RATE"),
            ("login_rate", "LOGIN_RATE"),
            ("identity_check_rate", "IDENTITY_CHECK_RATE"),
            ("verify_rate", "VERIFY_RATE"),
            ("document_read_rate", "DOCUMENT_READ_RATE"),
            ("scope_rate", "SCOPE_RATE"),
            ("rendering_rate", "RENDERING_RATE"),
        ]:
            if env.get(key):
                values[name] = int(env[key])
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
