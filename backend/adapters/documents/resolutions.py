"""The shareholders' decisions at formation: the sole shareholder's decision (股东决定) or the shareholders'
resolution (股东会决议), and the appointment of directors, supervisors and manager (董事、监事、经理任职文件).

Company Law 2023 art. 59-60 (one shareholder decides in writing and signs), art. 65-66 (votes by share of capital),
art. 67-68/75 (board or single director), art. 74 (manager appointed by the board or director), art. 76/83 and 69
(supervision), art. 10 (legal representative).
"""
from __future__ import annotations

from backend.adapters.documents.company import CompanyFacts
from backend.adapters.documents.labels import id_label, office_label, shareholder_signature_lines
from backend.adapters.documents.writer import Writer


def write_shareholder_decision(facts: CompanyFacts, w: Writer) -> str:
    """The sole shareholder's decision, or the resolution of all shareholders, adopting the articles and appointing
    the officers; return the title."""
    sole = facts.sole_shareholder
    title = w.t("股东决定", "Decision of the Sole Shareholder") if sole else w.t("股东会决议", "Resolution of the "
                                                                                   "Shareholders' Meeting")
    w.title("{name}{title}", "{title} of {name}", name=facts.company_name, title=title)
    if sole:
        w.body("公司股东{name}依照《公司法》第六十条的规定，以书面形式作出如下决定：",
               "Under Art. 60 of the Company Law the sole shareholder {name} decides in writing:",
               name=facts.shareholders[0].name)
    else:
        w.body("公司全体股东于{date}召开首次股东会会议，代表全部表决权的股东出席，按照出资比例行使表决权，一致通过如下决议：",
               "All shareholders met on {date} for the first shareholders' meeting, holding every vote, voting in "
               "proportion to their contributions, and unanimously resolved:", date=w.date(facts.prepared_on))
    points = [w.t("通过《{name}章程》。", "To adopt the articles of association of {name}.", name=facts.company_name)]
    directors = "、".join(p.name for p in facts.directors)
    if facts.board == "board":
        points.append(w.t("选举{names}为公司董事，组成董事会，任期三年；董事会选举{chair}为董事长。",
                          "To elect {names} directors, forming the board, for three years; the board elects {chair} "
                          "as chair.", names=directors, chair=facts.chair or directors))
    else:
        points.append(w.t("公司不设董事会，委派{names}为公司董事，任期三年。",
                          "The company has no board; {names} is appointed sole director for three years.",
                          names=directors))
    if facts.supervisors:
        points.append(w.t("选举{names}为公司监事，任期三年。", "To elect {names} supervisor(s) for three years.",
                          names="、".join(p.name for p in facts.supervisors)))
    elif facts.supervision == "audit_committee":
        points.append(w.t("公司在董事会中设审计委员会，不设监事会或者监事。",
                          "The board has an audit committee; the company has no supervisory board or supervisor."))
    else:
        points.append(w.t("全体股东一致同意公司不设监事会，也不设监事。",
                          "All shareholders agree that the company has neither a supervisory board nor a supervisor."))
    points.append(w.t("公司法定代表人由{office}{name}担任。", "{name}, as {office}, is the legal representative.",
                      office=office_label(facts.legal_representative_office), name=facts.legal_representative.name))
    points.append(w.t("认缴出资按照公司章程的规定于公司成立之日起五年内缴足。",
                      "Subscribed contributions are paid in full within five years of formation, as the articles "
                      "state."))
    for number, text in enumerate(points, start=1):
        w.body("{n}. {text}", "{n}. {text}", n=number, text=text)
    w.signatures(shareholder_signature_lines(facts, w))
    return title


def write_appointments(facts: CompanyFacts, w: Writer) -> str:
    """The appointment of directors, supervisors and manager, with each person's document; return the title."""
    title = w.t("董事、监事、经理任职文件", "Appointment of Directors, Supervisors and Manager")
    w.title("{name}{title}", "{title}: {name}", name=facts.company_name, title=title)
    appointed_by = w.t("股东决定", "the shareholder's decision") if facts.sole_shareholder \
        else w.t("股东会决议", "the shareholders' resolution")
    w.body("根据《公司法》和公司章程，依照{by}，任命下列人员，任期三年：",
           "Under the Company Law, the articles and {by}, the following are appointed for three years:", by=appointed_by)
    rows = []
    for person in facts.directors:
        office = w.t("董事长", "chair") if person.name == facts.chair else w.t("董事", "director")
        rows.append([office, person.name, w.t("{t}", "{t}", t=id_label(person.document_type)), person.document_number])
    if facts.manager:
        rows.append([w.t("经理", "manager"), facts.manager.name, w.t("{t}", "{t}", t=id_label(facts.manager.document_type)),
                     facts.manager.document_number])
    for person in facts.supervisors:
        rows.append([w.t("监事", "supervisor"), person.name, w.t("{t}", "{t}", t=id_label(person.document_type)),
                     person.document_number])
    w.grid([("职务", "Office"), ("姓名", "Name"), ("证件类型", "Document"), ("证件号码", "Number")], rows,
           [0.15, 0.25, 0.3, 0.3])
    w.note("董事、高级管理人员不得兼任监事。经理由董事会或者董事决定聘任。",
           "No director or senior manager is a supervisor. The manager is appointed by the board or the director.")
    w.signatures(shareholder_signature_lines(facts, w))
    return title
