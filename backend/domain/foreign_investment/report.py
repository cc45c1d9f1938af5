"""The foreign-investment information report (外商投资信息报告, initial report) a Hong Kong or Macau-invested company
files at its formation: its fields, checked, and their JSON form. Investors are named by participant id only, so
the report holds no personal data (names and numbers stay sealed on the participants)."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.domain.foreign_investment.capital import Capital
from backend.errors import InvalidInput

CONTRIBUTION_FORMS = ("currency", "in_kind", "intellectual_property", "land_use_right", "equity", "other")
CONTROLLER_KINDS = ("natural_person", "company", "state_owned", "other")
REGIONS = ("mainland", "HK", "MO", "TW", "foreign")
_INDUSTRY = re.compile(r"^[A-T]\d{4}$")  # GB/T 4754-2017 section letter and 4-digit class, e.g. I6513


@dataclasses.dataclass(frozen=True, kw_only=True)
class InvestorShare:
    """One investor's subscription: who (a shareholder participant), where from, how much, in what form."""

    participant_id: str
    region: str
    subscribed: Decimal  # in the registered capital's currency
    contribution_form: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class InvestmentReport:
    """The initial report of a foreign-invested company formed as a new establishment."""

    industry_code: str
    total_investment: Decimal  # in the registered capital's currency
    investors: tuple[InvestorShare, ...]
    controller_participant_id: str | None
    controller_kind: str
    controller_region: str
    round_trip: bool  # 返程投资: ultimately controlled by mainland residents
    cepa_service_supplier: bool  # the investor claims CEPA treatment as a HK / MO service supplier

    def to_json(self, capital: Capital, *, special_measures: list[int]) -> dict[str, Any]:
        """The report as stored in the application, with the amounts' CNY equivalents and foreign share."""
        foreign = sum((i.subscribed for i in self.investors if i.region != "mainland"), Decimal(0))
        return {
            "report_type": "initial", "investment_mode": "new_establishment", "industry_code": self.industry_code,
            "currency": capital.currency, "registered_capital": str(capital.amount),
            "total_investment": str(self.total_investment), "total_investment_cny": str(capital.in_cny(self.total_investment)),
            "investors": [{"participant_id": i.participant_id, "region": i.region, "subscribed": str(i.subscribed),
                           "subscribed_cny": str(capital.in_cny(i.subscribed)), "contribution_form": i.contribution_form,
                           "share_percent": str((i.subscribed * 100 / capital.amount).quantize(Decimal("0.01")))}
                          for i in self.investors],
            "foreign_share_percent": str((foreign * 100 / capital.amount).quantize(Decimal("0.01"))),
            "actual_controller": {"participant_id": self.controller_participant_id, "kind": self.controller_kind,
                                  "region": self.controller_region},
            "round_trip_investment": self.round_trip, "cepa_service_supplier": self.cepa_service_supplier,
            "special_measures": special_measures,
        }


def _amount(raw: Any, field: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise InvalidInput("investment_report_field_invalid", field=field) from None
    if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -2:
        raise InvalidInput("investment_report_field_invalid", field=field)
    return value


def _choice(value: Any, options: tuple[str, ...], field: str) -> str:
    if value not in options:
        raise InvalidInput("investment_report_field_invalid", field=field, supported=list(options))
    return str(value)


def parse_report(data: Mapping[str, Any], *, capital: Capital, shareholders: Mapping[str, str],
                 participants: Collection[str]) -> InvestmentReport:
    """Check a report against the registered capital and the application's shareholders ({participant id: origin});
    every shareholder subscribes, the subscriptions add up to the capital, the total investment covers it."""
    code = str(data.get("industry_code", ""))
    if not _INDUSTRY.match(code):
        raise InvalidInput("investment_report_field_invalid", field="industry_code")
    investors = []
    for position, raw in enumerate(data.get("investors") or []):
        pid = str(raw.get("participant_id", ""))
        if pid not in shareholders:
            raise InvalidInput("investment_report_investor_unknown", position=position)
        investors.append(InvestorShare(participant_id=pid, region=shareholders[pid],
                                       subscribed=_amount(raw.get("subscribed"), f"investors.{position}.subscribed"),
                                       contribution_form=_choice(raw.get("contribution_form", "currency"), CONTRIBUTION_FORMS,
                                                                 f"investors.{position}.contribution_form")))
    if sorted(i.participant_id for i in investors) != sorted(shareholders):
        raise InvalidInput("investment_report_investors_incomplete", expected=len(shareholders), given=len(investors))
    subscribed = sum((i.subscribed for i in investors), Decimal(0))
    if subscribed != capital.amount:
        raise InvalidInput("investment_report_shares_mismatch", subscribed=str(subscribed), capital=str(capital.amount),
                           currency=capital.currency)
    total = _amount(data.get("total_investment"), "total_investment")
    if total < capital.amount:
        raise InvalidInput("investment_report_total_below_capital", total=str(total), capital=str(capital.amount),
                           currency=capital.currency)
    controller = data.get("actual_controller") or {}
    controller_id = controller.get("participant_id")
    if controller_id is not None and str(controller_id) not in participants:
        raise InvalidInput("investment_report_investor_unknown", position="actual_controller")
    return InvestmentReport(
        industry_code=code, total_investment=total, investors=tuple(investors),
        controller_participant_id=str(controller_id) if controller_id else None,
        controller_kind=_choice(controller.get("kind", "natural_person"), CONTROLLER_KINDS, "actual_controller.kind"),
        controller_region=_choice(controller.get("region"), REGIONS, "actual_controller.region"),
        round_trip=bool(data.get("round_trip_investment", False)),
        cepa_service_supplier=bool(data.get("cepa_service_supplier", False)),
    )
