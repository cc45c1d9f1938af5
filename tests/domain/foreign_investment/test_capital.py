"""Registered capital in CNY, HKD or MOP: the rate and its date recorded, the CNY equivalent used by the checks."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from backend.domain.foreign_investment import parse_capital
from backend.errors import InvalidInput

TODAY = dt.date(2026, 12, 4)


def test_hkd_and_mop_are_converted_at_the_recorded_rate() -> None:
    hkd = parse_capital(amount="1000000", currency="HKD", rate="0.9210", rate_date=TODAY, today=TODAY)
    assert hkd.cny == Decimal("921000.00")
    assert hkd.to_json() == {"amount": "1000000.00", "currency": "HKD", "rate": "0.9210", "rate_date": "2026-12-04",
                             "cny_equivalent": "921000.00"}
    mop = parse_capital(amount="333333.33", currency="MOP", rate="0.8941", rate_date=TODAY - dt.timedelta(days=3), today=TODAY)
    assert mop.cny == Decimal("298033.33")  # 298033.332... rounded half up to the fen
    cny = parse_capital(amount=50000, currency="CNY", today=TODAY)
    assert cny.cny == Decimal("50000.00") and cny.to_json()["rate"] is None


@pytest.mark.parametrize("kwargs, code", [
    ({"currency": "USD"}, "capital_currency_unsupported"),
    ({"currency": "HKD"}, "capital_rate_missing"),
    ({"currency": "HKD", "rate": "0.92"}, "capital_rate_missing"),
    ({"currency": "HKD", "rate": "1.087", "rate_date": TODAY}, "capital_rate_valid"),
    ({"currency": "HKD", "rate": "10.87", "rate_date": TODAY}, "capital_rate_invalid"),  # the rate the wrong way round
    ({"currency": "MOP", "rate": "abc", "rate_date": TODAY}, "capital_rate_invalid"),
    ({"currency": "HKD", "rate": "0.92", "rate_date": TODAY - dt.timedelta(days=31)}, "capital_rate_date_invalid"),
    ({"currency": "HKD", "rate": "0.92", "rate_date": TODAY + dt.timedelta(days=1)}, "capital_rate_date_invalid"),
    ({"currency": "CNY", "rate": "1"}, "capital_rate_not_applicable"),
    ({"currency": "CNY", "amount": "-5"}, "capital_invalid"),
    ({"currency": "CNY", "amount": "1.001"}, "capital_invalid"),
])
def test_each_bad_capital_has_its_code(kwargs, code) -> None:
    values = {"amount": "100000", **kwargs}
    if code == "capital_rate_valid":  # 1.087 lies inside the plausible band: accepted
        assert parse_capital(**values, today=TODAY).cny == Decimal("108700.00")
        return
    with pytest.raises(InvalidInput) as refused:
        parse_capital(**values, today=TODAY)
    assert refused.value.code == code
