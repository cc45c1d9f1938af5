"""Every typed application key (`web.AppKey`) in one place."""
from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:  # imported only for typing, so this module stays import-light
    from backend.adapters.drafting import DraftingProvider
    from backend.http.ratelimit import RateLimiter
    from backend.clock import Clock
    from backend.secrets import SecretMaterial
    from backend.settings import Settings
    from backend.services.clock import OffsetWatch
    from backend.services.container import Services

SETTINGS: web.AppKey["Settings"] = web.AppKey("settings")
CLOCK: web.AppKey["Clock"] = web.AppKey("clock")
CLOCK_WATCH: web.AppKey["OffsetWatch"] = web.AppKey("clock_watch")  # mock mode: re-reads a moved shared clock
SECRETS: web.AppKey["SecretMaterial"] = web.AppKey("secrets")
SERVICES: web.AppKey["Services"] = web.AppKey("services")
DRAFTING: web.AppKey["DraftingProvider"] = web.AppKey("drafting")  # tidies free text (local unless configured)
OPENAPI: web.AppKey[dict] = web.AppKey("openapi")
RATE_LIMITS: web.AppKey[dict[str, "RateLimiter"]] = web.AppKey("rate_limits")  # by budget: login, names, ...
