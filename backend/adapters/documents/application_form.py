"""公司登记（备案）申请书: the application for registering (and filing the particulars of) a new company.

Laid out after the market regulator's form: the company's particulars, business scope, directors, supervisors and
manager, each shareholder's contribution, the liaison, and the declaration under the Company Law and the
Regulations on the Registration of Market Entities, signed by the legal representative.
"""
from __future__ import annotations

from backend.adapters.documents.company import CompanyFacts
from backend.adapters.documents.formatting import yuan
from backend.adapters.documents.labels import entity_label, form_label, id_label, office_label, term
from backend.adapters.documents.writer import Localized, Writer

NOT_GIVEN = "—"


def write_application_form(facts: CompanyFacts, w: Writer) -> str:
    """Write the registration application into `w`; return the document title."""
    title = w.t("公司登记（备案）申请书", "Application for Company Registration (Filing)")
    w.title("{title}（{name}）", "{title} ({name})", title=title, name=facts.company_name)
    w.subtitle("申请事项：设立登记；申请编号：{id}；填表日期：{date}",
               "Matter: registration of formation; application {id}; prepared on {date}",
               id=facts.application_id, date=w.date(facts.prepared_on))
    rep = facts.legal_representative
    w.section("一、基本信息", "1. Particulars")
    w.fields([
        (("名称", "Name"), facts.company_name),
        (("住所", "Domicile"), facts.address),
        (("公司类型", "Type"), w.t("{t}", "{t}", t=entity_label(facts))),
        (("注册资本", "Registered capital"), w.t("{c}", "{c}", c=w.money(facts.registered_capital_cny, capitals=True))),
        (("营业期限", "Term of operation"), w.t("{t}", "{t}", t=term(facts))),
        (("法定代表人", "Legal representative"),
         w.t("{name}（由{office}担任）", "{name} (as {office})", name=rep.name,
             office=office_label(facts.legal_representative_office))),
    ])
    w.section("二、经营范围", "2. Business scope")
    w.items(list(facts.business_scope))
    w.note("经营范围以公司登记机关登记的为准；依法须经批准的项目，经相关部门批准后方可开展经营活动。",
           "The business scope is as registered; activities that need approval start only once approved.")

    w.section("三、董事、监事、经理信息", "3. Directors, supervisors and manager")
    organ = Localized("股东会选举", "elected by the shareholders") if not facts.sole_shareholder \
        else Localized("股东委派", "appointed by the shareholder")
    rows = []
    for person in facts.directors:
        office = Localized("董事长", "chair") if person.name == facts.chair else (
            Localized("董事", "director") if facts.board == "board" else Localized("执行董事", "sole director"))
        rows.append([w.t("{o}", "{o}", o=office), person.name, w.t("{o}", "{o}", o=organ)])
    if facts.manager:
        rows.append([w.t("经理", "manager"), facts.manager.name,
                     w.t("董事会聘任", "appointed by the board") if facts.board == "board"
                     else w.t("董事聘任", "appointed by the director")])
    for person in facts.supervisors:
        rows.append([w.t("监事", "supervisor"), person.name, w.t("{o}", "{o}", o=organ)])
    if not facts.supervisors:
        rows.append([w.t("监事", "supervisor"), w.t("不设监事（全体股东同意或设审计委员会）",
                                                  "none (all shareholders agree, or an audit committee)"), NOT_GIVEN])
    w.grid([("职务", "Office"), ("姓名", "Name"), ("产生方式", "How appointed")], rows, [0.2, 0.5, 0.3])

    w.section("四、股东出资信息", "4. Shareholders and contributions")
    w.grid([("股东名称或者姓名", "Shareholder"), ("证件类型及号码", "Document"), ("认缴出资额（元）", "Subscribed (CNY)"),
            ("比例", "Share"), ("方式", "Form"), ("出资日期", "Due by")],
           [[holder.name, w.t("{t}：{n}", "{t}: {n}", t=id_label(holder.document_type), n=holder.document_number),
             yuan(holder.amount_cny), f"{facts.share(holder)}%",
             w.t("{f}", "{f}", f=form_label(holder.form)), w.t("{d}", "{d}", d=w.date(holder.deadline))]
            for holder in facts.shareholders],
           [0.17, 0.29, 0.17, 0.11, 0.11, 0.15])
    w.note("认缴出资额自公司成立之日起五年内缴足。", "Subscribed capital is paid in full within five years of formation.")

    w.section("五、联络员信息", "5. Liaison")
    w.fields([(("姓名", "Name"), facts.liaison.name), (("联系电话", "Telephone"), facts.liaison_phone or NOT_GIVEN)])

    w.section("六、申请人声明", "6. Declaration")
    w.body("本公司依照《中华人民共和国公司法》《中华人民共和国市场主体登记管理条例》申请办理设立登记（备案），郑重承诺："
           "所提交的申请材料和填报的信息真实、合法、有效，复印件与原件一致，电子材料与纸质材料一致，并对其真实性承担责任；"
           "如有虚假，愿意依法承担相应的法律责任。联络员负责与公司登记机关的联系，已知悉其职责。",
           "The company applies for registration of its formation under the Company Law and the Regulations on the "
           "Registration of Market Entities of the PRC and solemnly declares that the materials and information given "
           "are true, lawful and valid, copies match their originals and electronic materials match paper ones, and "
           "accepts legal liability for any falsehood. The liaison, who deals with the registration authority, knows "
           "their duties.")
    w.signatures([w.t("法定代表人签字：______________（{name}）", "Legal representative: ______________ ({name})",
                      name=rep.name),
                  w.t("日期：{date}", "Date: {date}", date=w.date(facts.prepared_on))])
    return title
