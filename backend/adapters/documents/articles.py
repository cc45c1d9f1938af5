"""公司章程: the articles of association of a limited liability company, one shareholder or several.

Follows the PRC Company Law as revised in 2023 (in force 1 July 2024). Art. 46 lists what the articles must state:
name and domicile, business scope, registered capital, each shareholder's name, the amount, form and date of their
contribution, the organs and how they are formed, their powers and rules, and how the legal representative is
appointed and changed; the shareholders sign them. The provisions used:

- art. 47-49: capital subscribed by all shareholders, paid in full within five years; forms of contribution;
- art. 54: contributions not yet due can be called early when the company cannot pay a debt that is due;
- art. 58-60, 65-66: the shareholders' meeting, voting by share of capital, two thirds for the gravest matters;
  one shareholder decides in writing instead (art. 60);
- art. 67-68, 75: a board of three or more with a chair, or a single director in a small company;
- art. 74: a manager appointed by the board;
- art. 10: the legal representative is the director or the manager who executes the company's affairs;
- art. 69, 76, 83: a supervisory board, one supervisor, an audit committee of the board, or (all shareholders
  agreeing) no supervisor; directors and senior managers may not be supervisors;
- art. 210: ten per cent of after-tax profit to the statutory reserve until it reaches half the capital;
- art. 229, 232: dissolution, publication within ten days, the directors as liquidation obligors.
"""
from __future__ import annotations

from backend.adapters.documents.company import CompanyFacts
from backend.adapters.documents.labels import (
    entity_label, form_label, id_label, office_label, scope_items, shareholder_signature_lines, term,
)
from backend.adapters.documents.writer import Localized, Writer


def write_articles(facts: CompanyFacts, w: Writer) -> str:
    """Write the articles into `w`; return the document title."""
    many = not facts.sole_shareholder
    organ = Localized("股东会", "the shareholders' meeting") if many else Localized("股东", "the shareholder")
    board = facts.board == "board"
    directors = Localized("董事会", "the board of directors") if board else Localized("董事", "the director")
    title = w.t("{name}章程", "Articles of Association of {name}", name=facts.company_name)
    w.title("{title}", "{title}", title=title)
    w.body("为规范公司的组织和行为，保护公司、股东、职工和债权人的合法权益，根据《中华人民共和国公司法》（以下简称"
           "《公司法》）和有关法律、行政法规的规定，由全体股东共同制定本章程。",
           "To regulate the organisation and conduct of the company and protect the lawful rights and interests of the "
           "company, its shareholders, employees and creditors, all shareholders adopt these articles under the Company "
           "Law of the People's Republic of China (the Company Law) and other laws and administrative regulations.")

    w.chapter("总则", "General provisions")
    w.article("公司名称：{name}。", "Name of the company: {name}.", name=facts.company_name)
    w.article("公司住所：{address}。", "Domicile of the company: {address}.", address=facts.address)
    w.article("公司类型：{kind}。公司是企业法人，有独立的法人财产，享有法人财产权，以其全部财产对公司的债务承担责任；"
              "股东以其认缴的出资额为限对公司承担责任。",
              "Type: {kind}. The company is an enterprise legal person with its own property, liable for its debts "
              "with all its property; each shareholder is liable up to the contribution they subscribed.",
              kind=entity_label(facts))
    if not many:
        w.article("股东不能证明公司财产独立于股东自己的财产的，应当对公司债务承担连带责任。",
                  "A shareholder who cannot prove that the company's property is separate from their own is jointly "
                  "liable for the company's debts.")
    w.article("公司的营业期限为{term}，自公司营业执照签发之日起计算。",
              "The company's term of operation is {term}, from the day its business licence is issued.",
              term=term(facts))

    w.chapter("经营范围", "Business scope")
    w.article("公司的经营范围：", "The business scope of the company:")
    w.items(scope_items(facts.business_scope))
    w.body("公司的经营范围以公司登记机关登记的为准。依法须经批准的项目，经相关部门批准后方可开展经营活动。",
           "The business scope is as registered by the registration authority; activities that need approval are "
           "carried on only once approved.")

    w.chapter("注册资本和股东的出资", "Registered capital and contributions")
    w.article("公司的注册资本为{capital}，为全体股东认缴的出资额。",
              "The registered capital is {capital}, the total subscribed by all shareholders.",
              capital=w.money(facts.registered_capital_cny, capitals=True))
    for holder in facts.shareholders:
        w.article("股东{name}（{id_type}：{number}）认缴出资{amount}，占注册资本的{share}%，出资方式为{form}，"
                  "于{deadline}前缴足。",
                  "Shareholder {name} ({id_type}: {number}) subscribes {amount}, {share}% of the registered capital, "
                  "in {form}, paid in full by {deadline}.",
                  name=holder.name, id_type=id_label(holder.document_type), number=holder.document_number,
                  amount=w.money(holder.amount_cny), share=facts.share(holder), form=form_label(holder.form),
                  deadline=w.date(holder.deadline))
    w.article("股东应当按期足额缴纳所认缴的出资额，并自公司成立之日起五年内缴足。以货币出资的，应当将货币出资足额存入"
              "公司在银行开设的账户；以非货币财产出资的，应当评估作价，并依法办理其财产权的转移手续。",
              "Each shareholder pays the subscribed contribution in full when due and within five years of formation. "
              "Money is paid into the company's bank account; property other than money is valued and transferred "
              "to the company as the law requires.")
    w.article("公司不能清偿到期债务的，公司或者已到期债权的债权人有权要求股东提前缴纳已认缴但尚未届出资期限的出资。",
              "If the company cannot pay a debt that is due, the company or the creditor may require shareholders to "
              "pay subscribed contributions before they fall due.")

    w.chapter("股东会" if many else "股东", "The shareholders' meeting" if many else "The shareholder")
    powers = [
        ("选举和更换董事、监事，决定有关董事、监事的报酬事项；", "to elect and replace directors and supervisors and decide "
         "their remuneration;"),
        ("审议批准董事会或者董事的报告；", "to approve the reports of the board or the director;"),
        ("审议批准公司的利润分配方案和弥补亏损方案；", "to approve profit distribution and the making up of losses;"),
        ("对公司增加或者减少注册资本作出决议；", "to decide on increasing or reducing the registered capital;"),
        ("对公司合并、分立、解散、清算或者变更公司形式作出决议；", "to decide on merger, division, dissolution, "
         "liquidation or change of form;"),
        ("修改公司章程；", "to amend these articles;"),
        ("本章程规定的其他职权。", "other powers these articles give."),
    ]
    if many:
        w.article("股东会由全体股东组成，是公司的权力机构，行使下列职权：",
                  "The shareholders' meeting, of all shareholders, is the company's highest organ and has these powers:",
                  items=powers)
        w.article("股东会会议由股东按照出资比例行使表决权。股东会作出修改公司章程、增加或者减少注册资本的决议，以及公司"
                  "合并、分立、解散或者变更公司形式的决议，应当经代表三分之二以上表决权的股东通过；其他决议应当经代表"
                  "过半数表决权的股东通过。对前条所列事项股东以书面形式一致表示同意的，可以不召开股东会会议。",
                  "Shareholders vote in proportion to their contributions. Amending the articles, changing the capital, "
                  "merger, division, dissolution or change of form need shareholders holding two thirds of the votes; "
                  "other resolutions need more than half. Where all shareholders agree in writing, no meeting is held.")
    else:
        w.article("公司只有一个股东，不设股东会。股东行使下列职权，并以书面形式作出决定，由股东签名或者盖章后置备于公司：",
                  "The company has one shareholder and no shareholders' meeting. The shareholder has these powers and "
                  "decides in writing, signed or sealed and kept by the company:", items=powers)

    w.chapter("董事会、经理和法定代表人" if board else "董事、经理和法定代表人",
              "Board of directors, manager and legal representative" if board else "Director, manager and legal "
              "representative")
    names = "、".join(p.name for p in facts.directors)
    if board:
        w.article("公司设董事会，由{count}名董事组成，董事由{organ}选举产生，任期三年，连选可以连任。董事会设董事长一人，"
                  "由董事会选举产生。首届董事会成员为{names}，董事长为{chair}。董事会会议作出决议，应当经全体董事的过半数通过。",
                  "The company has a board of {count} directors elected by {organ} for three years, re-eligible; the "
                  "board elects a chair. The first directors are {names}; the chair is {chair}. Board resolutions need "
                  "a majority of all directors.",
                  count=len(facts.directors), organ=organ, names=names, chair=facts.chair or names)
    else:
        w.article("公司规模较小，不设董事会，设董事一名，行使《公司法》规定的董事会的职权，由{organ}选举或者委派，任期三年，"
                  "连选可以连任。首任董事为{names}。",
                  "The company is small and has no board but a single director, who exercises the board's powers under "
                  "the Company Law, appointed by {organ} for three years, re-eligible. The first director is {names}.",
                  organ=organ, names=names)
    w.article("{directors}对{organ}负责，执行{organ}的决议，决定公司的经营计划和投资方案，决定公司内部管理机构的设置，"
              "决定聘任或者解聘公司经理及其报酬事项，并根据经理的提名决定聘任或者解聘公司副经理、财务负责人及其报酬事项，"
              "制定公司的基本管理制度。",
              "{directors} answers to {organ}, carries out its decisions, decides the business plan and investments and "
              "the internal organisation, appoints and dismisses the manager and, on the manager's proposal, the "
              "deputy managers and the finance officer, and sets the basic management rules.",
              directors=directors, organ=organ)
    if facts.manager is not None:
        w.article("公司设经理一名，由{directors}决定聘任或者解聘，首任经理为{name}。经理对{directors}负责，根据本章程的规定"
                  "或者{directors}的授权行使职权。",
                  "The company has a manager appointed and dismissed by {directors}; the first manager is {name}. The "
                  "manager answers to {directors} and acts as these articles or {directors} authorise.",
                  directors=directors, name=facts.manager.name)
    w.article("公司的法定代表人由{office}担任，首任法定代表人为{name}。担任法定代表人的董事或者经理"
              "辞任的，视为同时辞去法定代表人；公司应当在法定代表人辞任之日起三十日内确定新的法定代表人。",
              "The legal representative is the {office}; the first is {name}. A "
              "director or manager who resigns that office resigns as legal representative, and the company names a "
              "new one within thirty days.",
              office=office_label(facts.legal_representative_office), name=facts.legal_representative.name)
    w.article("董事、高级管理人员对公司负有忠实义务和勤勉义务，不得利用职权谋取不正当利益。",
              "Directors and senior managers owe the company duties of loyalty and diligence and may not use their "
              "office for improper gain.")

    _supervision(facts, w, organ)

    w.chapter("财务、会计", "Finance and accounts")
    w.article("公司依法建立财务、会计制度，在每一会计年度终了时编制财务会计报告，并送交各股东。公司分配当年税后利润时，"
              "应当提取利润的百分之十列入公司法定公积金；法定公积金累计额为注册资本的百分之五十以上的，可以不再提取。",
              "The company keeps accounts as the law requires and sends its annual financial report to every "
              "shareholder. Ten per cent of each year's after-tax profit goes to the statutory reserve until it "
              "reaches half of the registered capital.")

    w.chapter("解散和清算", "Dissolution and liquidation")
    w.article("公司因营业期限届满、{organ}决议解散、合并或者分立、依法被吊销营业执照或者被人民法院依法解散而解散。"
              "解散事由出现之日起十日内应当通过国家企业信用信息公示系统公示；董事为清算义务人，应当在十五日内组成清算组"
              "进行清算。",
              "The company dissolves when its term ends, when {organ} so decides, on merger or division, when its "
              "licence is revoked or when a court dissolves it. The cause is published within ten days in the National "
              "Enterprise Credit Information Publicity System; the directors form a liquidation group within fifteen "
              "days.", organ=organ)

    w.chapter("附则", "Final provisions")
    w.article("本章程与法律、行政法规的规定不一致的，以法律、行政法规的规定为准。本章程自全体股东签名或者盖章之日起生效。",
              "Where these articles conflict with laws or administrative regulations, those prevail. These articles take "
              "effect when all shareholders have signed or sealed them.")
    w.signatures(shareholder_signature_lines(facts, w))
    return title


def _supervision(facts: CompanyFacts, w: Writer, organ: Localized) -> None:
    names = "、".join(p.name for p in facts.supervisors)
    w.chapter("监督", "Supervision")
    if facts.supervision == "supervisory_board":
        w.article("公司设监事会，由{count}名监事组成，其中应当有适当比例的职工代表。首届监事为{names}。董事、高级管理人员"
                  "不得兼任监事。", "The company has a supervisory board of {count} supervisors, including employee "
                  "representatives. The first supervisors are {names}. No director or senior manager may be a "
                  "supervisor.", count=len(facts.supervisors), names=names)
    elif facts.supervision == "single_supervisor":
        w.article("公司规模较小，不设监事会，设监事一名，由{organ}选举或者委派，任期三年，连选可以连任。首任监事为{names}。"
                  "董事、高级管理人员（包括财务负责人）不得兼任监事。",
                  "The company is small and has a single supervisor instead of a supervisory board, appointed by "
                  "{organ} for three years, re-eligible. The first supervisor is {names}. No director or senior "
                  "manager, the finance officer included, may be the supervisor.", organ=organ, names=names)
    elif facts.supervision == "audit_committee":
        w.article("公司在董事会中设置由董事组成的审计委员会，行使《公司法》规定的监事会的职权，不设监事会或者监事。",
                  "The board has an audit committee of directors exercising the supervisory board's powers under the "
                  "Company Law; the company has no supervisory board or supervisor.")
    else:
        w.article("公司规模较小，经全体股东一致同意，不设监事会，也不设监事。",
                  "The company is small and, all shareholders agreeing, has neither a supervisory board nor a supervisor.")
    if facts.supervisors:
        w.article("监事检查公司财务，对董事、高级管理人员执行职务的行为进行监督，要求其纠正损害公司利益的行为，并可以向"
                  "{organ}提出提案。", "The supervisors examine the company's finances, oversee the directors and senior "
                  "managers, require them to correct conduct that harms the company, and may make proposals to "
                  "{organ}.", organ=organ)
