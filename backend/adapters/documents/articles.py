"""公司章程: the articles of association of a one-shareholder limited liability company (一人有限责任公司).

Follows the PRC Company Law as revised in 2023 (in force 1 July 2024). Art. 46 lists what the articles of a limited
liability company must state: name and domicile, business scope, registered capital, the shareholder's name, the
amount, method and date of the contribution, the company's organs and how they are formed, their powers and rules,
and how the legal representative is appointed and changed; the shareholder signs them. The provisions used:

- art. 47: the subscribed contribution is paid in full within five years of formation;
- art. 54: if the company cannot pay a debt that is due, contributions not yet due can be called early;
- art. 59-60: a company with one shareholder has no shareholders' meeting; the shareholder decides the matters of
  art. 59 in writing, signs the decision and files it with the company;
- art. 67, 74, 75: a small company may have a single director instead of a board, exercising the board's powers;
  the director may also be the manager;
- art. 10: the legal representative is the director or the manager who executes the company's affairs; one who
  resigns that office resigns as legal representative, and a new one is named within thirty days;
- art. 76, 78, 83: a small company may have a single supervisor instead of a board of supervisors, or, with the
  consent of all shareholders, no supervisor; directors and senior managers may not be supervisors;
- art. 23: the shareholder of a one-person company who cannot prove that the company's assets are separate from
  their own is jointly liable for the company's debts;
- art. 210: ten per cent of after-tax profit goes to the statutory reserve until it reaches half the capital;
- art. 229, 232: causes of dissolution, publication within ten days, the directors as liquidation obligors.

The statute is cited by name only in the document text; article numbers stay here, where a lawyer checks them.
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from backend.adapters.documents.facts import FormationFacts
from backend.adapters.documents.formatting import (
    chinese_date,
    chinese_ordinal,
    item_label,
    yuan,
    yuan_in_capitals,
)
from backend.adapters.documents.render import para, render_document, styles

COMPANY_LAW = "《中华人民共和国公司法》"


def articles_title(facts: FormationFacts) -> str:
    return f"{facts.company_name}章程"


def render_articles(facts: FormationFacts) -> bytes:
    """The articles of association as a PDF (simplified Chinese, deterministic bytes)."""
    return render_document(facts, title=articles_title(facts), story=_story)


class _Articles:
    """Numbers chapters and articles as they are written: 第一章, 第一条, 第二条, ..."""

    def __init__(self) -> None:
        self.flowables: list[Flowable] = []
        self._chapters = 0
        self._articles = 0

    def chapter(self, heading: str) -> None:
        self._chapters += 1
        s = styles()
        self.flowables.append(CondPageBreak(30 * mm))  # a chapter heading does not end a page alone
        self.flowables.append(para(f"第{chinese_ordinal(self._chapters)}章　{heading}", s.chapter))

    def article(self, text: str, items: list[str] | None = None, after: str | None = None) -> None:
        self._articles += 1
        s = styles()
        self.flowables.append(para(f"第{chinese_ordinal(self._articles)}条　{text}", s.body))
        for number, item in enumerate(items or [], start=1):
            self.flowables.append(para(f"{item_label(number)}{item}", s.item))
        if after:
            self.flowables.append(para(after, s.body))


def _story(facts: FormationFacts) -> list[Flowable]:
    s = styles()
    capital = f"人民币{yuan(facts.registered_capital_cny)}元（大写：人民币{yuan_in_capitals(facts.registered_capital_cny)}）"
    deadline = chinese_date(facts.contribution_deadline)
    if facts.legal_representative_office == "董事":
        legal_rep_role = "董事兼经理" if facts.director_is_manager else "董事"
    else:
        legal_rep_role = "经理"
    term = "长期" if facts.operating_term_years is None else f"{facts.operating_term_years}年"
    doc = _Articles()
    doc.flowables += [
        para(articles_title(facts), s.title),
        para(
            f"为规范公司的组织和行为，保护公司、股东、职工和债权人的合法权益，根据{COMPANY_LAW}"
            "（以下简称《公司法》）和有关法律、行政法规的规定，由股东制定本章程。",
            s.body,
        ),
    ]

    doc.chapter("总则")
    doc.article(f"公司名称：{facts.company_name}。")
    doc.article(f"公司住所：{facts.address}。")
    doc.article(
        f"公司类型：{facts.entity_type}。公司为只有一个股东的有限责任公司，是企业法人，有独立的法人财产，"
        "享有法人财产权，以其全部财产对公司的债务承担责任；股东以其认缴的出资额为限对公司承担责任。"
        "股东不能证明公司财产独立于股东自己的财产的，应当对公司债务承担连带责任。"
    )
    doc.article(f"公司的营业期限为{term}，自公司营业执照签发之日起计算。")
    doc.article("公司从事经营活动，应当遵守法律法规，遵守社会公德、商业道德，诚实守信，接受政府和社会公众的监督。")

    doc.chapter("经营范围")
    doc.article(
        "公司的经营范围：",
        items=_scope_items(tuple(facts.business_scope)),
        after="公司的经营范围以公司登记机关登记的为准。经营范围中属于依法须经批准的项目，经相关部门批准后方可开展经营活动。"
        "公司可以修改公司章程，变更经营范围。",
    )

    doc.chapter("注册资本和股东的出资")
    doc.article(f"公司的注册资本为{capital}，为股东认缴的出资额。")
    doc.article(
        f"股东的姓名或者名称：{facts.shareholder_name}；证件类型：{facts.shareholder_id_type}；"
        f"证件号码：{facts.shareholder_id_number}。"
        f"股东认缴出资额为{capital}，占注册资本的100%；出资方式：{facts.contribution_method}；"
        f"出资日期：{deadline}前缴足。"
    )
    doc.article(
        "股东应当按期足额缴纳所认缴的出资额，并自公司成立之日起五年内缴足。股东以货币出资的，应当将货币出资足额"
        "存入公司在银行开设的账户；以非货币财产出资的，应当评估作价，并依法办理其财产权的转移手续。"
        "股东未按期足额缴纳出资的，除应当向公司足额缴纳外，还应当对给公司造成的损失承担赔偿责任。"
    )
    doc.article("公司不能清偿到期债务的，公司或者已到期债权的债权人有权要求股东提前缴纳已认缴但尚未届出资期限的出资。")
    doc.article("公司成立后，应当向股东签发出资证明书，并置备股东名册。")

    doc.chapter("股东")
    shareholder_powers = [
        "选举和更换董事、监事，决定有关董事、监事的报酬事项；" if facts.has_supervisor
        else "选举和更换董事，决定有关董事的报酬事项；",
        "审议批准董事的报告；",
    ]
    if facts.has_supervisor:
        shareholder_powers.append("审议批准监事的报告；")
    shareholder_powers += [
        "审议批准公司的利润分配方案和弥补亏损方案；",
        "对公司增加或者减少注册资本作出决定；",
        "对发行公司债券作出决定；",
        "对公司合并、分立、解散、清算或者变更公司形式作出决定；",
        "修改公司章程；",
        "法律、行政法规和本章程规定的其他职权。",
    ]
    doc.article("公司只有一个股东，不设股东会。股东行使下列职权：", items=shareholder_powers)
    doc.article("股东作出前条所列事项的决定时，应当采用书面形式，并由股东签名或者盖章后置备于公司。")
    doc.article(
        "股东依法享有资产收益、参与重大决策和选择管理者等权利；有权查阅、复制公司章程、股东名册、股东决定和"
        "财务会计报告，并可以依法查阅公司的会计账簿、会计凭证。股东应当遵守法律、行政法规和本章程，"
        "不得滥用股东权利损害公司或者债权人的利益。"
    )

    doc.chapter("董事、经理和法定代表人")
    doc.article(
        "公司规模较小，不设董事会，设董事一名，行使《公司法》规定的董事会的职权。董事由股东委派或者更换，"
        f"每届任期三年，任期届满，连选可以连任。公司首任董事为{facts.director_name}。",
    )
    doc.article(
        "董事对股东负责，行使下列职权：",
        items=[
            "向股东报告工作；",
            "执行股东的决定；",
            "决定公司的经营计划和投资方案；",
            "制订公司的利润分配方案和弥补亏损方案；",
            "制订公司增加或者减少注册资本以及发行公司债券的方案；",
            "制订公司合并、分立、解散或者变更公司形式的方案；",
            "决定公司内部管理机构的设置；",
            "决定聘任或者解聘公司经理及其报酬事项，并根据经理的提名决定聘任或者解聘公司副经理、财务负责人及其报酬事项；",
            "制定公司的基本管理制度；",
            "本章程规定或者股东授予的其他职权。",
        ],
    )
    manager_clause = (
        f"公司设经理一名，由董事兼任，公司首任经理为{facts.manager_name}。"
        if facts.director_is_manager
        else f"公司设经理一名，由董事决定聘任或者解聘，公司首任经理为{facts.manager_name}。"
    )
    doc.article(manager_clause + "经理对董事负责，根据本章程的规定或者董事的授权行使职权。")
    doc.article(
        f"公司的法定代表人由代表公司执行公司事务的{facts.legal_representative_office}担任。"
        f"公司首任法定代表人为{facts.legal_representative_name}（{legal_rep_role}）。"
        "法定代表人的产生和变更由股东以书面形式决定。担任法定代表人的董事或者经理辞任的，视为同时辞去法定代表人；"
        "法定代表人辞任的，公司应当在法定代表人辞任之日起三十日内确定新的法定代表人。"
    )
    doc.article(
        "董事、高级管理人员对公司负有忠实义务和勤勉义务，应当采取措施避免自身利益与公司利益冲突，"
        "不得利用职权谋取不正当利益；执行职务时应当为公司的最大利益尽到管理者通常应有的合理注意。"
    )

    if facts.has_supervisor:
        doc.chapter("监事")
        doc.article(
            "公司不设监事会，设监事一名，由股东委派或者更换。监事每届任期三年，任期届满，连选可以连任。"
            f"董事、高级管理人员不得兼任监事。公司首任监事为{facts.supervisor_name}。"
        )
        doc.article(
            "监事行使下列职权：",
            items=[
                "检查公司财务；",
                "对董事、高级管理人员执行职务的行为进行监督，对违反法律、行政法规、本章程或者股东决定的董事、"
                "高级管理人员提出解任的建议；",
                "当董事、高级管理人员的行为损害公司的利益时，要求董事、高级管理人员予以纠正；",
                "向股东提出提案；",
                "依法对董事、高级管理人员提起诉讼；",
                "本章程规定的其他职权。",
            ],
        )
    else:
        doc.chapter("监督")
        doc.article(
            "公司规模较小，经股东决定，公司不设监事会，也不设监事。股东依法对董事、高级管理人员执行职务的行为进行监督，"
            "并可以检查公司财务。"
        )

    doc.chapter("财务、会计")
    doc.article(
        "公司依照法律、行政法规和国务院财政部门的规定建立本公司的财务、会计制度，在每一会计年度终了时编制财务"
        "会计报告，依法经会计师事务所审计，并送交股东。"
    )
    doc.article(
        "公司分配当年税后利润时，应当提取利润的百分之十列入公司法定公积金。公司法定公积金累计额为公司注册资本的"
        "百分之五十以上的，可以不再提取。公司弥补亏损和提取公积金后所余税后利润，由股东决定分配。"
    )

    doc.chapter("解散和清算")
    doc.article(
        "公司因下列原因解散：",
        items=[
            "本章程规定的营业期限届满或者本章程规定的其他解散事由出现；",
            "股东决定解散；",
            "因公司合并或者分立需要解散；",
            "依法被吊销营业执照、责令关闭或者被撤销；",
            "人民法院依照《公司法》的规定予以解散。",
        ],
        after="公司出现前款规定的解散事由，应当在十日内将解散事由通过国家企业信用信息公示系统予以公示。",
    )
    doc.article(
        "公司因前条第一款第（一）项、第（二）项、第（四）项、第（五）项规定而解散的，应当清算。董事为公司清算义务人，"
        "应当在解散事由出现之日起十五日内组成清算组进行清算。清算组由董事组成，但股东决定另选他人的除外。"
        "清算结束后，清算组应当制作清算报告，报股东确认，并报送公司登记机关，申请注销公司登记。"
    )

    doc.chapter("附则")
    doc.article("本章程与法律、行政法规的规定不一致的，以法律、行政法规的规定为准。")
    doc.article("本章程的修改，由股东以书面形式决定，并依法办理变更登记或者备案。")
    doc.article("本章程自股东签名或者盖章之日起生效。")

    doc.flowables += [
        Spacer(1, 8 * mm),
        KeepTogether(
            [
                para(f"股东：{facts.shareholder_name}", s.signature),
                para("签名或者盖章：______________________", s.signature),
                para(f"日期：{chinese_date(facts.prepared_on)}", s.signature),
            ]
        ),
    ]
    return doc.flowables


def _scope_items(scope: tuple[str, ...]) -> list[str]:
    """Business-scope items as an enumeration: each ends in ；, the last in 。 (a trailing mark already there is
    replaced, so an item is never doubly punctuated)."""
    stripped = [item.rstrip("；;。.，,、") or item for item in scope]
    return [item + ("。" if index == len(stripped) - 1 else "；") for index, item in enumerate(stripped)]
