"""The words of a decision's appeal notice and of the complaint link, in the language of the page or the mail.

The tracking page and the decision mail (HTML and text) render the same sentences from here, so the company reads
one notice wherever it sees the decision; what the notice says is decided by ``domain.decisions``.
"""
from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask import url_for

from ..domain import decisions
from .i18n import gettext as _
from .i18n import lang
from .urls import external_url


def long_date(d: date) -> str:
    """A date as a sentence says it: "måndag 21 december 2026", "Monday 21 December 2026"."""
    return format_date(d, "EEEE d MMMM y", locale=lang())


def appeal_paragraphs(notice: decisions.AppealNotice, reference: str, office_name: str,
                      office_email: str | None) -> list[str]:
    """The notice förvaltningslagen 33 § asks for, one paragraph a string (empty unless it is ``APPEAL``)."""
    if notice.kind != decisions.APPEAL:
        return []
    body = notice.body
    if notice.weeks == 1:
        within = _("Your appeal must reach us within one week from the day you received the decision.")
    else:
        within = _("Your appeal must reach us within %(weeks)s weeks from the day you received the decision.",
                   weeks=notice.weeks)
    send = (_("Send it to us in writing, for example by e-mail to %(email)s.", email=office_email) if office_email
            else _("Send it to us in writing."))
    return [
        _("If you think the decision is wrong, you can appeal it. %(body)s tries the appeal.", body=body),
        _("Write to us, %(office)s, not to %(body)s. Say which decision you are appealing (case %(ref)s) and what "
          "change you want.", office=office_name, body=body, ref=reference),
        f"{within} " + _("If you received it on %(received)s, it must reach us by %(last)s at the latest.",
                         received=long_date(notice.received), last=long_date(notice.last_day)),
        f"{send} " + _("We check that it came in on time and send it on to %(body)s.", body=body),
    ]


def appeal_summary(notice: decisions.AppealNotice) -> str:
    """The one sentence for a decision that cannot be appealed, or whose appeal is not configured; "" else."""
    if notice.kind == decisions.FINAL:
        return _("This decision cannot be appealed.")
    if notice.kind == decisions.ASK:
        return _("Ask us if you want to know whether and how this decision can be appealed.")
    return ""


def complaint_url(reference: str, external: bool = False) -> str:
    """The complaint form, prefilled with the case's reference (the only thing of the case the link carries:
    whoever opens it sees nothing of the case, and the complaint is linked to it only for the same company)."""
    values = {"kind": "complaint", "related_reference": reference}
    return external_url("public.submit", **values) if external else url_for("public.submit", **values)


def register(env_globals: dict) -> None:
    env_globals.update(appeal_paragraphs=appeal_paragraphs, appeal_summary=appeal_summary,
                       complaint_url=complaint_url, long_date=long_date)
