"""公司登记（备案）申请书: the application for registering (and filing the particulars of) a new company.

Laid out after the market regulator's form: the company's particulars, its business scope, its director, manager
and supervisor, the shareholder's contribution, the liaison, and the applicant's declaration under the Company Law
and the Regulations on the Registration of Market Entities (《中华人民共和国市场主体登记管理条例》), signed by the
legal representative.
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from backend.adapters.documents.facts import FormationFacts
from backend.adapters.documents.formatting import chinese_date, yuan, yuan_in_capitals
from backend.adapters.documents.render import TEXT_WIDTH, field_table, grid_table, para, render_document, styles

TITLE = "公司登记（备案）申请书"
NOT_GIVEN = "—"


def render_application_form(facts: FormationFacts) -> bytes:
    """The registration application as a PDF (simplified Chinese, deterministic bytes)."""
    return render_document(facts, title=f"{TITLE}（{facts.company_name}）", story=_story)


def _story(facts: FormationFacts) -> list[Flowable]:
    s = styles()
    capital = facts.registered_capital_cny
    capital_text = f"人民币{yuan(capital)}元（大写：人民币{yuan_in_capitals(capital)}）"
    term = "长期" if facts.operating_term_years is None else f"{facts.operating_term_years}年"
    out: list[Flowable] = [
        para(TITLE, s.title),
        para(f"申请事项：设立登记；申请编号：{facts.application_id}；填表日期：{chinese_date(facts.prepared_on)}", s.subtitle),
    ]

    out.append(para("一、基本信息", s.section))
    out.append(
        field_table(
            [
                ("名称", facts.company_name),
                ("住所", facts.address),
                ("公司类型", facts.entity_type),
                ("注册资本", capital_text),
                ("营业期限", term),
                ("法定代表人", f"{facts.legal_representative_name}（由{facts.legal_representative_office}担任）"),
            ]
        )
    )

    out.append(CondPageBreak(25 * mm))
    out.append(para("二、经营范围", s.section))
    for number, item in enumerate(facts.business_scope, start=1):
        out.append(para(f"{number}. {item}", s.item))
    out.append(
        para("经营范围以公司登记机关登记的为准；依法须经批准的项目，经相关部门批准后方可开展经营活动。", s.note)
    )

    out.append(CondPageBreak(35 * mm))
    out.append(para("三、董事、监事、经理信息", s.section))
    director = facts.director_name + ("（执行公司事务的董事）" if facts.legal_representative_office == "董事" else "")
    manager = facts.manager_name + ("（由董事兼任）" if facts.director_is_manager else "")
    supervisor = facts.supervisor_name if facts.has_supervisor and facts.supervisor_name else "不设监事（经股东同意）"
    out.append(
        grid_table(
            ["职务", "姓名", "产生方式"],
            [
                ["董事", director, "股东委派"],
                ["经理", manager, "董事聘任" if not facts.director_is_manager else "董事兼任"],
                ["监事", supervisor, "股东委派" if facts.has_supervisor else NOT_GIVEN],
            ],
            [28 * mm, TEXT_WIDTH - 28 * mm - 40 * mm, 40 * mm],
        )
    )

    out.append(CondPageBreak(35 * mm))
    out.append(para("四、股东出资信息", s.section))
    out.append(
        field_table(
            [
                ("股东姓名或者名称", facts.shareholder_name),
                ("证件类型", facts.shareholder_id_type),
                ("证件号码", facts.shareholder_id_number),
                ("认缴出资额", capital_text),
                ("出资比例", "100%"),
                ("出资方式", facts.contribution_method),
                ("出资日期", f"{chinese_date(facts.contribution_deadline)}前缴足"),
            ]
        )
    )
    out.append(para("认缴出资额自公司成立之日起五年内缴足。", s.note))

    out.append(CondPageBreak(30 * mm))
    out.append(para("五、联络员信息", s.section))
    out.append(
        field_table(
            [
                ("姓名", facts.liaison_name),
                ("联系电话", facts.liaison_phone or NOT_GIVEN),
            ]
        )
    )

    out.append(
        KeepTogether(
            [
                para("六、申请人声明", s.section),
                para(
                    "本公司依照《中华人民共和国公司法》《中华人民共和国市场主体登记管理条例》申请办理设立登记（备案），"
                    "郑重承诺：所提交的申请材料和填报的信息真实、合法、有效，复印件与原件一致，电子材料与纸质材料一致，"
                    "并对其真实性承担责任；如有虚假，愿意依法承担相应的法律责任。联络员负责与公司登记机关的联系，"
                    "已知悉其职责。",
                    s.body,
                ),
                Spacer(1, 4 * mm),
                para(f"法定代表人签字：______________________（{facts.legal_representative_name}）", s.signature),
                para(f"股东签字（盖章）：____________________（{facts.shareholder_name}）", s.signature),
                para(f"日期：{chinese_date(facts.prepared_on)}", s.signature),
            ]
        )
    )
    return out
