"""The satisfaction survey: sent when a case closes (once per case), answered once through a private link: the
three NKI questions, and each service factor rated or "vet ej / ej aktuellt" (domain/survey.py)."""
from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..domain import survey as rules
from ..extensions import db
from ..models import Case, ReportSettings, Survey
from . import tracking
from .errors import Conflict, InvalidInput, NotFound
from .unit import commit

QUESTIONS = rules.QUESTIONS
FACTORS = rules.FACTORS


def settings() -> ReportSettings:
    return db.session.get(ReportSettings, 1) or ReportSettings(id=1, survey_scale=6, nki_weights=[1, 1, 1],
                                                               min_answers=7, min_answers_compare=10, recipients="")


def token_for(salt: str) -> str:
    return tracking.token_for(salt, "survey")


def survey_url(survey: Survey) -> str:
    return f"{current_app.config['BASE_URL']}/survey/{token_for(survey.salt)}"


def create_for(case: Case, now: datetime) -> Survey | None:
    """Staged, at closure: one survey per case (a case closed again after a reopening gets no second one)."""
    if db.session.scalar(sa.select(Survey.id).where(Survey.case_id == case.id)):
        return None
    salt = secrets.token_hex(16)
    survey = Survey(case_id=case.id, salt=salt, token_hash=tracking.token_hash(token_for(salt)),
                    office_id=case.office_id, category_id=case.category_id, kind=case.kind,
                    scale=settings().survey_scale, sent_at=now)
    db.session.add(survey)
    return survey


def by_token(token: str) -> Survey:
    if not tracking.TOKEN_SHAPE.match(token or ""):
        raise NotFound("survey")
    survey = db.session.scalar(sa.select(Survey).where(Survey.token_hash == tracking.token_hash(token)))
    if survey is None or not tracking.token_matches(survey.salt, token, "survey"):
        raise NotFound("survey")
    return survey


def answer(token: str, answers: dict[str, int | None], comment: str, now: datetime) -> Survey:
    """Record the answer: the three NKI questions on 1..k, each factor on 1..k or None ("vet ej / ej aktuellt",
    stored as no answer); or nothing is saved. One answer per case."""
    survey = by_token(token)
    if survey.answered_at is not None:
        raise Conflict("already_answered")
    errors = rules.answer_errors(answers, survey.scale)
    if len(comment or "") > 5000:
        errors["comment"] = "too_long"
    if errors:
        raise InvalidInput(errors)
    for q in QUESTIONS:
        setattr(survey, q, answers.get(q))
    survey.comment = (comment or "").strip() or None
    survey.answered_at = now
    commit()
    return survey
