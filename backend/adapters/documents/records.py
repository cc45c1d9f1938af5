"""The finance officer and liaison record (财务负责人、联络员信息) and the address statement (住所（经营场所）
信息申报承诺书): who keeps the accounts, who the registration authority calls, and where the company is."""
from __future__ import annotations

from backend.adapters.documents.company import CompanyFacts
from backend.adapters.documents.labels import id_label
from backend.adapters.documents.writer import Writer

NOT_GIVEN = "—"


def write_finance_and_liaison(facts: CompanyFacts, w: Writer) -> str:
    """The finance officer and the registration liaison, with their documents; return the title."""
    title = w.t("财务负责人、联络员信息", "Finance Officer and Liaison")
    w.title("{name}{title}", "{title}: {name}", name=facts.company_name, title=title)
    w.section("一、财务负责人", "1. Finance officer")
    officer = facts.finance_officer
    if officer is None:
        w.body("公司暂未聘任财务负责人，聘任后依法办理备案。",
               "No finance officer is appointed yet; one will be filed once appointed.")
    else:
        w.fields([(("姓名", "Name"), officer.name),
                  (("证件类型", "Document"), w.t("{t}", "{t}", t=id_label(officer.document_type))),
                  (("证件号码", "Number"), officer.document_number)])
        w.note("财务负责人为高级管理人员，不得兼任监事。", "The finance officer is a senior manager and may not be a "
               "supervisor.")
    w.section("二、登记联络员", "2. Registration liaison")
    liaison = facts.liaison
    w.fields([(("姓名", "Name"), liaison.name),
              (("证件类型", "Document"), w.t("{t}", "{t}", t=id_label(liaison.document_type))),
              (("证件号码", "Number"), liaison.document_number),
              (("联系电话", "Telephone"), facts.liaison_phone or NOT_GIVEN)])
    w.body("联络员负责公司与登记机关的联系，报送年度报告，接收登记机关的通知。",
           "The liaison deals with the registration authority, files the annual reports and receives its notices.")
    w.signatures([w.t("法定代表人签字：______________（{name}）", "Legal representative: ______________ ({name})",
                      name=facts.legal_representative.name),
                  w.t("日期：{date}", "Date: {date}", date=w.date(facts.prepared_on))])
    return title


def write_address_statement(facts: CompanyFacts, w: Writer) -> str:
    """The company's statement of its domicile in Huangpu district; return the title."""
    title = w.t("住所（经营场所）信息申报承诺书", "Statement of Domicile (Place of Business)")
    w.title("{name}{title}", "{title}: {name}", name=facts.company_name, title=title)
    w.fields([(("公司名称", "Company"), facts.company_name), (("住所", "Domicile"), facts.address),
              (("所在街道（镇）", "Subdistrict"), facts.address_subdivision)])
    w.body("本公司申报的住所（经营场所）位于广州市黄埔区，真实、合法、可以正常使用，符合安全、消防等要求；本公司同意登记机关"
           "通过该住所与公司联系，并对申报信息的真实性负责。住所变更的，依法办理变更登记。",
           "The company's declared domicile is in Huangpu district, Guangzhou; it is real, lawful, usable and meets "
           "safety and fire requirements. The company agrees to be contacted there by the registration authority, is "
           "responsible for the truth of what it declares, and registers any change of domicile.")
    w.signatures([w.t("法定代表人签字：______________（{name}）", "Legal representative: ______________ ({name})",
                      name=facts.legal_representative.name),
                  w.t("日期：{date}", "Date: {date}", date=w.date(facts.prepared_on))])
    return title
