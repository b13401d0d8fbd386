"""A case's decision as the company is shown it (tracking page, decision mail): the latest decision, its reasons,
and its appeal notice from the category's configuration (domain.decisions)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..domain import decisions
from ..extensions import db
from ..models import Case, CaseEvent
from . import sla, snapshot


@dataclass(frozen=True)
class DecisionView:
    outcome: str
    at: datetime  # when the decision shown was made (the latest one, after a reopening)
    reasons: str  # the decision's text to the company: what was decided and why (förvaltningslagen 32 §)
    message_id: int | None  # the message that carried it (the conversation points to the decision instead)
    notice: decisions.AppealNotice


def latest(case: Case) -> DecisionView | None:
    """The case's latest decision, or None if it has none. Whoever calls this has already been allowed to see the
    case (its tracking token, or the mail to its contact)."""
    events = db.session.execute(
        sa.select(CaseEvent.at, CaseEvent.data).where(CaseEvent.case_id == case.id, CaseEvent.kind == "decided")
        .order_by(CaseEvent.at, CaseEvent.id)).all()
    if not events:
        return None
    at, data = events[-1]
    category = snapshot.current().category(case.category_id) if case.category_id else None
    notice = decisions.appeal_notice(
        sla.calendar(), case_kind=case.kind, outcome=data.get("outcome"), decided_at=at,
        appealable=category.appealable if category else None,
        body=category.appeal_body if category else "", weeks=category.appeal_weeks if category else None)
    return DecisionView(data.get("outcome") or case.outcome or "", at, case.decision_text or "",
                        data.get("message_id"), notice)
