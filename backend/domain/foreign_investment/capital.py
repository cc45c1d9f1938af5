"""Registered capital in CNY, or in HKD or MOP with the exchange rate and its date recorded; the CNY equivalent is
what the capital checks use."""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from backend.errors import InvalidInput

CURRENCIES = ("CNY", "HKD", "MOP")
#: Plausible CNY per unit (rates far outside are a typo, e.g. HKD per CNY given the wrong way round).
RATE_BOUNDS = {"HKD": (Decimal("0.5"), Decimal("1.5")), "MOP": (Decimal("0.5"), Decimal("1.5"))}
MAX_RATE_AGE_DAYS = 30
CENT = Decimal("0.01")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Capital:
    """An amount in its currency, with the rate (CNY per unit) and its date for HKD or MOP."""

    amount: Decimal
    currency: str
    rate: Decimal | None
    rate_date: dt.date | None

    @property
    def cny(self) -> Decimal:
        """The CNY equivalent (to the fen, half up)."""
        return self.amount if self.currency == "CNY" else (self.amount * self.rate).quantize(CENT, ROUND_HALF_UP)

    def in_cny(self, amount: Decimal) -> Decimal:
        """Another amount in this capital's currency, converted at its rate."""
        return amount if self.currency == "CNY" else (amount * self.rate).quantize(CENT, ROUND_HALF_UP)

    def to_json(self) -> dict[str, Any]:
        """The capital as stored in the application's details."""
        return {"amount": str(self.amount), "currency": self.currency,
                "rate": str(self.rate) if self.rate is not None else None,
                "rate_date": self.rate_date.isoformat() if self.rate_date else None, "cny_equivalent": str(self.cny)}


def _decimal(raw: Any, code: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise InvalidInput(code, value=str(raw)[:32]) from None
    if not value.is_finite() or value <= 0:
        raise InvalidInput(code, value=str(raw)[:32])
    return value


def parse_capital(*, amount: Any, currency: str, rate: Any = None, rate_date: dt.date | None = None,
                  today: dt.date) -> Capital:
    """Check an amount and currency; HKD and MOP need a plausible rate dated within the last 30 days."""
    if currency not in CURRENCIES:
        raise InvalidInput("capital_currency_unsupported", currency=str(currency)[:8], supported=list(CURRENCIES))
    value = _decimal(amount, "capital_invalid")
    if value.as_tuple().exponent < -2:
        raise InvalidInput("capital_invalid", value=str(amount)[:32])
    if currency == "CNY":
        if rate is not None or rate_date is not None:
            raise InvalidInput("capital_rate_not_applicable")
        return Capital(amount=value.quantize(CENT), currency=currency, rate=None, rate_date=None)
    if rate is None or rate_date is None:
        raise InvalidInput("capital_rate_missing", currency=currency)
    parsed_rate = _decimal(rate, "capital_rate_invalid")
    low, high = RATE_BOUNDS[currency]
    if not low <= parsed_rate <= high:
        raise InvalidInput("capital_rate_invalid", value=str(rate)[:32], currency=currency, low=str(low), high=str(high))
    if not today - dt.timedelta(days=MAX_RATE_AGE_DAYS) <= rate_date <= today:
        raise InvalidInput("capital_rate_date_invalid", rate_date=rate_date.isoformat(), days=MAX_RATE_AGE_DAYS)
    return Capital(amount=value.quantize(CENT), currency=currency, rate=parsed_rate, rate_date=rate_date)
