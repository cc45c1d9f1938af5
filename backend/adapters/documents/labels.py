"""How the documents print codes: document types, contribution forms, offices, the operating term, scope items."""
from __future__ import annotations

from backend.adapters.documents.company import CompanyFacts
from backend.adapters.documents.writer import Localized, Writer
from backend.domain.participants.contributions import FORM_LABELS, ContributionForm

_ID_TYPES = {
    "cn_resident_id": ("中华人民共和国居民身份证", "PRC resident identity card"),
    "mainland_resident_id": ("中华人民共和国居民身份证", "PRC resident identity card"),
    "cn_residence_permit": ("港澳台居民居住证", "residence permit for Hong Kong, Macao and Taiwan residents"),
    "hk_id": ("香港永久性居民身份证", "Hong Kong identity card"),
    "mo_id": ("澳门永久性居民身份证", "Macao identity card"),
    "hk_mo_travel_permit": ("港澳居民来往内地通行证", "Mainland travel permit for Hong Kong and Macao residents"),
    "tw_travel_permit": ("台湾居民来往大陆通行证", "Mainland travel permit for Taiwan residents"),
    "foreign_permanent_resident_id": ("外国人永久居留身份证", "foreigner's permanent residence ID card"),
    "passport_mrz": ("护照", "passport"),
    "cn_uscc": ("统一社会信用代码", "unified social credit code"),
    "hk_company": ("香港公司注册证书编号", "Hong Kong company registration number"),
    "mo_company": ("澳门商业登记编号", "Macao commercial registration number"),
}
_OFFICES = {
    "chair": ("董事长", "chair of the board"),
    "executive_director": ("执行公司事务的董事", "director executing the company's affairs"),
    "director": ("董事", "director"),
    "manager": ("经理", "manager"),
}


_ENTITY_TYPES = {
    "有限责任公司（自然人独资）": "limited liability company (wholly owned by a natural person)",
    "有限责任公司（法人独资）": "limited liability company (wholly owned by a legal person)",
    "有限责任公司（自然人投资或控股）": "limited liability company (invested in or controlled by natural persons)",
    "其他有限责任公司": "other limited liability company",
}


def entity_label(facts: CompanyFacts) -> Localized:
    """The registered company type: 有限责任公司（自然人独资） / limited liability company (wholly owned ...)."""
    return Localized(facts.entity_type, _ENTITY_TYPES[facts.entity_type])


def id_label(document_type: str) -> Localized:
    """The name of a document type: 中华人民共和国居民身份证 / PRC resident identity card."""
    zh, en = _ID_TYPES.get(document_type, (document_type, document_type))
    return Localized(zh, en)


def form_label(form: str) -> Localized:
    """A contribution form: 货币 / currency."""
    labels = FORM_LABELS[ContributionForm(form)]
    return Localized(labels["zh-CN"], labels["en"])


def office_label(office: str) -> Localized:
    """The office of the legal representative: 董事长, 执行公司事务的董事, 经理."""
    return Localized(*_OFFICES[office])


def term(facts: CompanyFacts) -> Localized:
    """The operating term: 长期 / no fixed term, or a number of years."""
    if facts.operating_term_years is None:
        return Localized("长期", "without a fixed term")
    return Localized(f"{facts.operating_term_years}年", f"{facts.operating_term_years} years")


def scope_items(scope: tuple[str, ...]) -> list[str]:
    """Business-scope items, each ending in ；, the last in 。 (a trailing mark already there is replaced)."""
    stripped = [item.rstrip("；;。.，,、") or item for item in scope]
    return [item + ("。" if index == len(stripped) - 1 else "；") for index, item in enumerate(stripped)]


def shareholder_signature_lines(facts: CompanyFacts, w: Writer) -> list[str]:
    """A signature line for each shareholder (a company by its legal representative), then the date."""
    lines = []
    for holder in facts.shareholders:
        by = w.t("，由法定代表人{rep}代表", ", by its legal representative {rep}", rep=holder.representative) \
            if holder.representative else ""
        lines.append(w.t("股东签名或者盖章：______________（{name}{by}）", "Shareholder: ______________ ({name}{by})",
                         name=holder.name, by=by))
    lines.append(w.t("日期：{date}", "Date: {date}", date=w.date(facts.prepared_on)))
    return lines
