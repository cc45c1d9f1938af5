"""A shareholder's subscribed capital contribution: amount, form and payment deadline (Company Law 2023 art. 46-49).

Pure, no I/O. `parse_contribution` turns what a client sends into a `Contribution` or raises `ValueError` with the
field at fault; the service maps that to a 422.
"""
from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_AMOUNT = Decimal("1000000000000")


class ContributionForm(enum.StrEnum):
    """The forms a contribution may take (art. 48): money, or property valued in money and transferable."""

    CURRENCY = "currency"  # 货币
    IN_KIND = "in_kind"  # 实物
    INTELLECTUAL_PROPERTY = "intellectual_property"  # 知识产权
    LAND_USE_RIGHT = "land_use_right"  # 土地使用权
    EQUITY = "equity"  # 股权
    DEBT_CLAIM = "debt_claim"  # 债权


#: How each form is printed in the binding documents (simplified Chinese) and in the translations.
FORM_LABELS: dict[ContributionForm, dict[str, str]] = {
    ContributionForm.CURRENCY: {"zh-CN": "货币", "zh-HK": "貨幣", "en": "currency"},
    ContributionForm.IN_KIND: {"zh-CN": "实物", "zh-HK": "實物", "en": "property in kind"},
    ContributionForm.INTELLECTUAL_PROPERTY: {"zh-CN": "知识产权", "zh-HK": "知識產權", "en": "intellectual property"},
    ContributionForm.LAND_USE_RIGHT: {"zh-CN": "土地使用权", "zh-HK": "土地使用權", "en": "land use right"},
    ContributionForm.EQUITY: {"zh-CN": "股权", "zh-HK": "股權", "en": "equity"},
    ContributionForm.DEBT_CLAIM: {"zh-CN": "债权", "zh-HK": "債權", "en": "debt claim"},
}


@dataclass(frozen=True, kw_only=True, slots=True)
class Contribution:
    """What one shareholder subscribes: an amount of yuan, its form and the day by which it is paid in full."""

    amount_cny: Decimal
    form: ContributionForm
    deadline: dt.date

    def as_dict(self) -> dict[str, str]:
        """The contribution as stored and shown: amount as a decimal string, form code, ISO date."""
        return {"amount_cny": str(self.amount_cny), "form": str(self.form), "deadline": self.deadline.isoformat()}


def parse_amount(raw: object) -> Decimal:
    """An amount of yuan above zero with at most two decimals, or ValueError."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
        raise ValueError("amount_cny")
    try:
        amount = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError("amount_cny") from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("amount_cny")
    return amount.quantize(Decimal("0.01"))


def parse_contribution(raw: Mapping[str, Any]) -> Contribution:
    """A contribution from `{amount_cny, form, deadline}` (form defaults to currency), or ValueError naming the field."""
    amount = parse_amount(raw.get("amount_cny"))
    try:
        form = ContributionForm(raw.get("form") or ContributionForm.CURRENCY)
    except ValueError:
        raise ValueError("form") from None
    deadline = raw.get("deadline")
    if isinstance(deadline, str):
        try:
            deadline = dt.date.fromisoformat(deadline)
        except ValueError:
            raise ValueError("deadline") from None
    if not isinstance(deadline, dt.date) or isinstance(deadline, dt.datetime):
        raise ValueError("deadline")
    return Contribution(amount_cny=amount, form=form, deadline=deadline)


def resolve_contributions(
    *, shareholder_ids: list[str], stated: Mapping[str, Contribution], registered_capital_cny: Decimal,
    default_deadline: dt.date,
) -> dict[str, Contribution]:
    """The contributions as the documents state them: a sole shareholder with none stated holds the whole capital,
    in currency, due on the application's contribution deadline; otherwise exactly what was stated."""
    resolved = dict(stated)
    if len(shareholder_ids) == 1 and shareholder_ids[0] not in resolved:
        resolved[shareholder_ids[0]] = Contribution(
            amount_cny=registered_capital_cny, form=ContributionForm.CURRENCY, deadline=default_deadline
        )
    return resolved
