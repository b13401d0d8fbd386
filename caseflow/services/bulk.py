"""A bulk action's preview: what would happen to each chosen case and what its company would receive, from the very
change, run and rolled back. (Here, not in casework: rendering the mail needs the outbox, which needs casework.)"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..extensions import db
from ..models import User
from . import casework, dispatch, outbox
from .errors import Conflict, InvalidInput


@dataclass
class BulkItem:
    """One case of a bulk action's preview: whether the action is possible on it, and the mail its company
    would receive (to, subject, text), if any."""

    case_id: int
    reference: str
    subject: str
    company_name: str
    possible: bool
    mail: dict | None = None
    kept_outcome: str | None = None  # a decided case's own outcome, which a bulk close keeps


def preview(user: User, case_ids: list[int], action: str, now: datetime,
            outcome: str | None = None) -> list[BulkItem]:
    """What ``bulk`` would do, without doing it: each chosen case of the user's office with whether the action
    is possible on it and the mail its company would receive, rendered from the very change (run in a
    savepoint, then rolled back: nothing is kept, nothing is sent)."""
    casework.check_bulk(user, action, outcome)
    cases = casework.bulk_cases(user, case_ids)
    staged_before = dispatch.staged()
    items = []
    savepoint = db.session.begin_nested()
    try:
        for case in cases:
            ref, subject, company = case.reference, case.subject, case.company_name
            kept = casework.bulk_outcome(case, outcome) if action == "close" else None
            kept = kept if kept != outcome else None
            mark = len(dispatch.staged())
            try:
                casework.bulk_step(user, case, action, now, outcome)
            except (Conflict, InvalidInput):
                items.append(BulkItem(case.id, ref, subject, company, False))
                continue
            db.session.flush()
            staged = dispatch.staged()[mark:]
            mails = [m for m in (outbox.preview_case_mail(r, now) for r in staged if not isinstance(r, int)) if m]
            items.append(BulkItem(case.id, ref, subject, company, True, mails[0] if mails else None, kept))
    finally:
        savepoint.rollback()
        dispatch.restore_staged(staged_before)
    return items


