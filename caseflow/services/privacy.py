"""Personal data: gallring (anonymising contact data when its retention ends) and a data subject's export.

Public records law keeps the registered record (number, dates, subject, description, decisions, events) and
the statistics; only the contact details (and free-text survey comments) are removed.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..domain import workflow
from ..extensions import db
from ..models import AuditLog, Case, Message, Survey
from .authorization import require_administrator
from .events import record
from .unit import commit

ANONYMISED = "(anonymiserad)"


def _years_before(now: datetime, years: int) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def gallring(now: datetime, batch: int = 500) -> int:
    """Anonymise the contact data of closed cases whose kind's retention (RETENTION_YEARS) has passed.
    Idempotent; returns how many cases were anonymised."""
    done = 0
    for kind, years in current_app.config["RETENTION_YEARS"].items():
        cutoff = _years_before(now, years)
        while True:
            cases = db.session.scalars(sa.select(Case).where(
                Case.kind == kind, Case.status == workflow.CLOSED, Case.closed_at < cutoff,
                Case.anonymised_at.is_(None)).limit(batch)).all()
            if not cases:
                break
            for case in cases:
                case.contact_name, case.contact_phone = ANONYMISED, ""
                case.contact_email = f"anonymiserad-{case.id}@invalid"
                case.anonymised_at = now
                record(case, "anonymised", now, retention_years=years)
            db.session.execute(sa.update(Survey).where(Survey.case_id.in_([c.id for c in cases]))
                               .values(comment=None))
            done += len(cases)
            commit()
    return done


def export_for_email(user, email: str, now: datetime) -> dict:
    """Everything held about a contact e-mail (GDPR art. 15), for an administrator; the export is audited."""
    require_administrator(user)
    email = (email or "").strip().lower()
    cases = db.session.scalars(sa.select(Case).where(Case.contact_email == email).order_by(Case.created_at)).all()
    out = {"email": email, "exported_at": now.isoformat(), "cases": []}
    for c in cases:
        messages = db.session.scalars(sa.select(Message).where(Message.case_id == c.id, Message.internal.is_(False))
                                      .order_by(Message.at)).all()
        survey = db.session.scalar(sa.select(Survey).where(Survey.case_id == c.id))
        out["cases"].append({
            "reference": c.reference, "received": c.created_at.isoformat(), "status": c.status,
            "company_name": c.company_name, "contact_name": c.contact_name, "contact_email": c.contact_email,
            "contact_phone": c.contact_phone, "subject": c.subject, "description": c.description,
            "messages": [{"at": m.at.isoformat(), "from": m.author_kind, "text": m.body} for m in messages],
            "survey_comment": survey.comment if survey else None,
        })
    from ..models import CompanyAccount

    account = db.session.scalar(sa.select(CompanyAccount).where(CompanyAccount.email == email))
    if account is not None:
        out["account"] = {"name": account.name, "created": account.created_at.isoformat(),
                          "verified": account.verified_at.isoformat() if account.verified_at else None}
    db.session.add(AuditLog(at=now, actor_user_id=user.id, entity="personal_data_export", entity_id=None,
                            action="export", changes={"cases": [len(cases), len(cases)]}))
    commit()
    return out
