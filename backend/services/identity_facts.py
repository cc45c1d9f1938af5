"""The service calendar: today's date in China by the service clock (shared by the identity use cases)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from backend.services.container import Services

CHINA = ZoneInfo("Asia/Shanghai")


def today(svc: Services) -> dt.date:
    """Today's date in China, by the service clock."""
    return svc.clock.now().astimezone(CHINA).date()
