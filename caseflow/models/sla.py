"""SLA configuration (policies, calendar) and the clocks running on cases."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime


class CalendarSettings(db.Model):
    """The municipality's business calendar (one row). Swedish public holidays always apply."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # [[weekday 0=Monday, "08:00", "17:00"], ...]
    hours: Mapped[list] = mapped_column(sa.JSON, default=lambda: [[d, "08:00", "17:00"] for d in range(5)])
    include_de_facto: Mapped[bool] = mapped_column(default=True)  # julafton, midsommarafton, nyårsafton closed
    extra_closed: Mapped[list] = mapped_column(sa.JSON, default=list)  # ["2026-05-15", ...] (klämdagar etc.)


class SlaPolicy(db.Model):
    """A service promise: which clock, in which unit, how long. The most specific matching row wins
    (category + kind + priority beats category + kind beats kind beats the default)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    clock: Mapped[str] = mapped_column(sa.String(30))  # first_response, acknowledgement, resolution
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id"))
    kind: Mapped[str | None] = mapped_column(sa.String(20))
    priority: Mapped[str | None] = mapped_column(sa.String(10))
    unit: Mapped[str] = mapped_column(sa.String(20))  # domain.sla.UNITS
    target: Mapped[int] = mapped_column()
    warn_percent: Mapped[int] = mapped_column(default=80)
    pauses: Mapped[bool] = mapped_column(default=True)  # pauses while awaiting the customer
    active: Mapped[bool] = mapped_column(default=True)
    label: Mapped[str] = mapped_column(sa.String(120), default="")


class SlaClock(db.Model):
    """One clock on one case. Due and warning instants are recomputed by services.sla on every change."""

    __table_args__ = (
        # The sweep finds clocks that crossed a threshold through these (running clocks only).
        sa.Index("ix_sla_clock_warn_pending", "warn_at",
                 postgresql_where=sa.text("stopped_at IS NULL AND warned_at IS NULL"),
                 sqlite_where=sa.text("stopped_at IS NULL AND warned_at IS NULL")),
        sa.Index("ix_sla_clock_breach_pending", "breach_at",
                 postgresql_where=sa.text("stopped_at IS NULL AND breached_at IS NULL"),
                 sqlite_where=sa.text("stopped_at IS NULL AND breached_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(30))  # first_response, acknowledgement, resolution, pbl, fl12
    unit: Mapped[str] = mapped_column(sa.String(20))
    target: Mapped[int] = mapped_column()
    warn_percent: Mapped[int] = mapped_column(default=80)
    pausable: Mapped[bool] = mapped_column(default=False)
    policy_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sla_policy.id"))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: waiting for a PBL completion
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None while paused or waiting
    warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The breach instant (domain.sla.breach_instant): breached when now is past it. For working-time clocks the
    # first moment of working time at or after the due, so a clock due at 17:00 is not breached overnight.
    breach_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pauses: Mapped[list] = mapped_column(sa.JSON, default=list)  # closed pauses [[start iso, end iso], ...]
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stop_reason: Mapped[str | None] = mapped_column(sa.String(30))
    in_time: Mapped[bool | None] = mapped_column()
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    extension_weeks: Mapped[int] = mapped_column(default=0)  # PBL: one recorded extension
    completion_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case = relationship("Case")

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    @property
    def paused(self) -> bool:
        return self.paused_since is not None or (self.started_at is None and self.stopped_at is None)
