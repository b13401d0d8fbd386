"""Satisfaction survey (Insikt-style), report settings, frozen monthly reports and the Handslaget measures."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.survey import FACTORS, NKI_QUESTIONS  # noqa: F401 - the questions' columns, named where they are
from ..extensions import db
from .types import UTCDateTime, utcnow


class Survey(db.Model):
    """One survey per closed case, sent with the closure mail; answered once, with the three NKI questions; a
    service factor answered "vet ej / ej aktuellt" is None (domain/survey.py)."""

    __table_args__ = (sa.Index("ix_survey_sent", "sent_at"), sa.Index("ix_survey_answered", "answered_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    salt: Mapped[str] = mapped_column(sa.String(32))
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("office.id"))  # the office that closed the case
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    scale: Mapped[int] = mapped_column(default=6)  # k at sending: answers are 1..k
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    q_overall: Mapped[int | None] = mapped_column()
    q_expectations: Mapped[int | None] = mapped_column()
    q_ideal: Mapped[int | None] = mapped_column()
    f_information: Mapped[int | None] = mapped_column()
    f_tillganglighet: Mapped[int | None] = mapped_column()
    f_bemotande: Mapped[int | None] = mapped_column()
    f_kompetens: Mapped[int | None] = mapped_column()
    f_rattssakerhet: Mapped[int | None] = mapped_column()
    f_effektivitet: Mapped[int | None] = mapped_column()
    comment: Mapped[str | None] = mapped_column(sa.Text)

    case = relationship("Case")


class ReportSettings(db.Model):
    """Policy numbers of the reports (one row): survey scale, NKI weights, reporting thresholds."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_scale: Mapped[int] = mapped_column(default=6)
    nki_weights: Mapped[list] = mapped_column(sa.JSON, default=lambda: [1, 1, 1])
    min_answers: Mapped[int] = mapped_column(default=7)
    min_answers_compare: Mapped[int] = mapped_column(default=10)
    recipients: Mapped[str] = mapped_column(sa.Text, default="")  # comma-separated, for the monthly report


class MonthlyReport(db.Model):
    """A frozen monthly report. Never overwritten: a correction is a new revision with a label."""

    __table_args__ = (sa.UniqueConstraint("month", "revision", name="uq_monthly_report_month_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7))  # YYYY-MM
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    definitions_version: Mapped[str] = mapped_column(sa.String(20))
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    data: Mapped[dict] = mapped_column(sa.JSON)
    digest: Mapped[str] = mapped_column(sa.String(64))  # sha256 of the data: same figures, same digest


class HandslagetMeasure(db.Model):
    """An action point of Handslaget followed by a KPI drawn from the monthly metrics."""

    id: Mapped[int] = mapped_column(primary_key=True)
    handslag: Mapped[int] = mapped_column()  # 1 Bemötande, 2 Relationer, 3 Attraktionskraft
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")  # the English page's
    kpi: Mapped[str] = mapped_column(sa.String(60))  # a key of the month report's totals
    target: Mapped[float] = mapped_column()
    higher_is_better: Mapped[bool] = mapped_column(default=True)
    at_risk_margin: Mapped[float] = mapped_column(default=0.1)  # within 10 % of the target: at risk
    active: Mapped[bool] = mapped_column(default=True)

    def display_title(self, language: str = "sv") -> str:
        """The action point in the page's language: the English title where one is set, else the Swedish."""
        return self.title_en if language == "en" and self.title_en else self.title
