"""HTML of the officers' console: a page frame, tables and forms, every value escaped, texts in zh-CN, zh-HK, en."""
from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from backend.i18n import messages

STYLE = """body{font-family:sans-serif;max-width:960px;margin:16px auto;padding:0 12px;color:#222}
nav a,nav button{margin-right:12px}table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}th{color:#555}
.error{color:#b00020;font-weight:bold}form.inline{display:inline}textarea{width:100%}fieldset{margin:12px 0}"""
LANGS = ("zh-CN", "zh-HK", "en")


class Page:
    """Texts and escaping for one console page in one language."""

    def __init__(self, *, lang: str, csrf: str = "") -> None:
        self.lang, self.csrf = lang, csrf

    def t(self, key: str, **params: Any) -> str:
        """The console text `key` (page.console.<key>), escaped."""
        return html.escape(messages(f"page.console.{key}", params)[self.lang])

    def message(self, code: str, params: Mapping[str, Any] | None = None) -> str:
        """An error's message in this page's language, escaped."""
        return html.escape(messages(code, params or {})[self.lang])

    def hidden_csrf(self) -> str:
        """The form field carrying the CSRF token."""
        return f'<input type="hidden" name="csrf" value="{html.escape(self.csrf)}">'

    def frame(self, *, title: str, body: str, officer: Any = None) -> str:
        """The whole document: the navigation (when logged in), language links and `body`."""
        nav = ""
        if officer is not None:
            links = []
            if "reviewer" in officer.roles:
                links.append(f'<a href="/console/queue">{self.t("queue")}</a>')
            if "admin" in officer.roles:
                links.append(f'<a href="/console/audit">{self.t("audit")}</a>')
                links.append(f'<a href="/console/deliveries">{self.t("deliveries")}</a>')
            links.append(f'<form class="inline" method="post" action="/console/logout">{self.hidden_csrf()}'
                         f'<button type="submit">{self.t("logout")}</button></form>')
            nav = f"<nav>{''.join(links)} <small>{html.escape(officer.display_name)}</small></nav>"
        langs = " | ".join(f'<a href="?lang={code}">{code}</a>' for code in LANGS)
        return (f'<!doctype html><html lang="{self.lang}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} - '
                f'{self.t("title")}</title><style>{STYLE}</style></head><body><header><strong>{self.t("title")}'
                f'</strong> <small>{langs}</small></header>{nav}<h1>{title}</h1>{body}</body></html>')


def cell(value: Any) -> str:
    """One escaped table cell."""
    return f"<td>{html.escape('' if value is None else str(value))}</td>"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table; `headers` are escaped already, each row is a sequence of ready <td> cells."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    return f"<table><tr>{head}</tr>{''.join('<tr>' + ''.join(r) + '</tr>' for r in rows)}</table>"


def login_form(page: Page, *, error: str = "") -> str:
    """The log-in form: username, password and the TOTP code."""
    problem = f'<p class="error">{error}</p>' if error else ""
    return (f'{problem}<form method="post" action="/console/login">{page.hidden_csrf()}'
            f'<p><label>{page.t("username")} <input name="username" autocomplete="username" required></label></p>'
            f'<p><label>{page.t("password")} <input name="password" type="password" autocomplete="current-password"'
            f' required></label></p><p><label>{page.t("totp")} <input name="totp" inputmode="numeric" '
            f'autocomplete="one-time-code" pattern="[0-9]{{6}}" required></label></p>'
            f'<p><button type="submit">{page.t("login")}</button></p></form>')


def decision_forms(page: Page, *, application_id: str) -> str:
    """Approve, reject with reasons, or ask for more information."""
    action = f"/console/applications/{html.escape(application_id)}/decision"
    buttons = "".join(f'<button type="submit" name="decision" value="{d}">{page.t(d)}</button> '
                      for d in ("approve", "reject", "request_info"))
    return (f'<fieldset><legend>{page.t("decision")}</legend><form method="post" action="{action}">'
            f'{page.hidden_csrf()}<p><label>{page.t("reasons.hint")}<textarea name="reasons" rows="3">'
            f'</textarea></label></p><p>{buttons}</p></form></fieldset>')


def licence_form(page: Page, *, uscc: str) -> str:
    """Revoke or deregister a licence with a reason."""
    action = f"/console/licences/{html.escape(uscc)}/status"
    buttons = "".join(f'<button type="submit" name="status" value="{s}">{page.t(label)}</button> '
                      for s, label in (("revoked", "revoke"), ("deregistered", "deregister")))
    return (f'<fieldset><legend>{page.t("licence.change")}</legend><form method="post" action="{action}">'
            f'{page.hidden_csrf()}<p><label>{page.t("reason")} <input name="reason" required minlength="2" '
            f'maxlength="500"></label></p><p>{buttons}</p></form></fieldset>')


def retry_form(page: Page, *, delivery_id: int) -> str:
    """Send a delivery that failed for good again."""
    return (f'<form class="inline" method="post" action="/console/deliveries/{int(delivery_id)}/retry">'
            f'{page.hidden_csrf()}<button type="submit">{page.t("retry")}</button></form>')
