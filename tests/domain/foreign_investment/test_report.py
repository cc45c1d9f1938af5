"""The foreign-investment information report: every shareholder subscribes, the shares add up to the capital, the
total investment covers it; investors are named by participant id only; where each investor is from."""
from __future__ import annotations

import datetime as dt

import pytest

from backend.domain.foreign_investment import investor_origin, parse_capital, parse_report
from backend.errors import InvalidInput

TODAY = dt.date(2026, 12, 4)
CAPITAL = parse_capital(amount="1000000", currency="HKD", rate="0.92", rate_date=TODAY, today=TODAY)
SHAREHOLDERS = {"p-hk": "HK", "p-cn": "mainland"}
REPORT = {
    "industry_code": "I6513", "total_investment": "1200000",
    "investors": [{"participant_id": "p-hk", "subscribed": "700000"},
                  {"participant_id": "p-cn", "subscribed": "300000", "contribution_form": "intellectual_property"}],
    "actual_controller": {"participant_id": "p-hk", "kind": "natural_person", "region": "HK"},
    "cepa_service_supplier": True,
}


def _parse(**changes):
    return parse_report({**REPORT, **changes}, capital=CAPITAL, shareholders=SHAREHOLDERS, participants=["p-hk", "p-cn", "p-x"])


def test_a_complete_report_gives_shares_cny_equivalents_and_the_foreign_share() -> None:
    out = _parse().to_json(CAPITAL, special_measures=[15])
    assert out["foreign_share_percent"] == "70.00" and out["total_investment_cny"] == "1104000.00"
    assert [(i["region"], i["share_percent"], i["subscribed_cny"]) for i in out["investors"]] == [
        ("HK", "70.00", "644000.00"), ("mainland", "30.00", "276000.00")]
    assert out["actual_controller"] == {"participant_id": "p-hk", "kind": "natural_person", "region": "HK"}
    assert out["cepa_service_supplier"] and not out["round_trip_investment"] and out["special_measures"] == [15]


@pytest.mark.parametrize("changes, code", [
    ({"industry_code": "6513"}, "investment_report_field_invalid"),
    ({"total_investment": "900000"}, "investment_report_total_below_capital"),
    ({"investors": [{"participant_id": "p-hk", "subscribed": "1000000"}]}, "investment_report_investors_incomplete"),
    ({"investors": [{"participant_id": "p-hk", "subscribed": "700000"}, {"participant_id": "p-cn", "subscribed": "200000"}]},
     "investment_report_shares_mismatch"),
    ({"investors": [{"participant_id": "p-x", "subscribed": "1000000"}]}, "investment_report_investor_unknown"),
    ({"actual_controller": {"participant_id": "nobody", "region": "HK"}}, "investment_report_investor_unknown"),
    ({"actual_controller": {"kind": "natural_person", "region": "Atlantis"}}, "investment_report_field_invalid"),
    ({"investors": [{"participant_id": "p-hk", "subscribed": "700000", "contribution_form": "labour"},
                    {"participant_id": "p-cn", "subscribed": "300000"}]}, "investment_report_field_invalid"),
])
def test_each_fault_has_its_code(changes, code) -> None:
    with pytest.raises(InvalidInput) as refused:
        _parse(**changes)
    assert refused.value.code == code


@pytest.mark.parametrize("document_type, number, origin", [
    ("cn_resident_id", "440112199001010011", "mainland"), ("hk_id", "G123456A", "HK"), ("mo_id", "1234567(8)", "MO"),
    ("hk_mo_travel_permit", "H12345678", "HK"), ("hk_mo_travel_permit", "M12345678", "MO"),
    ("cn_residence_permit", "810000199001010012", "HK"), ("cn_residence_permit", "820000199001010012", "MO"),
    ("tw_travel_permit", "12345678", "TW"), ("hk_company", "12345678", "HK"), ("cn_uscc", "91440101MA5CXXXX0X", "mainland"),
    ("passport_mrz", "P<GBRSMITH<<JOHN\nA12345678" + "0GBR" + "9001011M3001012" + "<" * 14 + "00", "foreign"),
])
def test_where_an_investor_is_from(document_type, number, origin) -> None:
    assert investor_origin(document_type, number) == origin
