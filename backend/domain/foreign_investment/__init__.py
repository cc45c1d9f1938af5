"""Hong Kong, Macau and foreign investors: where a shareholder is from, capital in CNY, HKD or MOP, the
foreign-investment information report and the negative list. Pure: data files are read by the services."""
from backend.domain.foreign_investment.capital import CURRENCIES, Capital, parse_capital
from backend.domain.foreign_investment.negative_list import NegativeList, NegativeListItem, check_scope
from backend.domain.foreign_investment.origin import FOREIGN_ORIGINS, investor_origin
from backend.domain.foreign_investment.report import InvestorShare, InvestmentReport, parse_report

__all__ = [
    "CURRENCIES", "Capital", "FOREIGN_ORIGINS", "InvestmentReport", "InvestorShare", "NegativeList",
    "NegativeListItem", "check_scope", "investor_origin", "parse_capital", "parse_report",
]
