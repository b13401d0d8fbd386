"""The case aggregate: Case, its append-only CaseEvent log, its Messages, and the reference sequence."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import workflow
from ..extensions import db
from .company import Company
from .org import Category, Office, RoutingRule, User
from .types import UTCDateTime, utcnow


class CaseSequence(db.Model):
    """Last case number used per year. Rows are locked while a case is created, so numbers are gap-free:
    a rolled-back submission also rolls back its number."""

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


_OPEN = "status IN ({})".format(", ".join(f"'{s}'" for s in workflow.OPEN_STATUSES))  # the queue's predicate
_UNASSIGNED_ANSWERED = f"{_OPEN} AND assignee_id IS NULL AND last_company_message_at IS NOT NULL"


class Case(db.Model):
    __table_args__ = (
        sa.UniqueConstraint("year", "number", name="uq_case_year_number"),
        # The queue: open cases of an office ordered by their nearest due instant.
        sa.Index("ix_case_queue", "office_id", "status", "next_due_at"),
        # ... and its first page read straight off an index in that order (no sort of the office's open cases).
        sa.Index("ix_case_open_due", "office_id", "next_due_at", "created_at", "id",
                 postgresql_where=sa.text(_OPEN), sqlite_where=sa.text(_OPEN)),
        # The queue's changed cases (services.finding): an officer's own open cases, and the unassigned ones a
        # company has written on, each in due order.
        sa.Index("ix_case_open_assignee", "assignee_id", "next_due_at", "created_at", "id",
                 postgresql_where=sa.text(_OPEN), sqlite_where=sa.text(_OPEN)),
        sa.Index("ix_case_open_unassigned_answered", "office_id", "next_due_at", "created_at", "id",
                 postgresql_where=sa.text(_UNASSIGNED_ANSWERED), sqlite_where=sa.text(_UNASSIGNED_ANSWERED)),
        # Search and keyset pagination: newest first within an office.
        sa.Index("ix_case_office_created", "office_id", "created_at", "id"),
        # A month's backlog candidates: not closed (or closed after the month) AND received before its end, both
        # conditions in the index (with closed_at alone, every case received after the month was read and dropped).
        sa.Index("ix_case_closed_created", "closed_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    year: Mapped[int] = mapped_column()
    number: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(sa.String(20))
    priority: Mapped[str] = mapped_column(sa.String(10), default="normal")
    status: Mapped[str] = mapped_column(sa.String(20), default=workflow.NEW)
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id"))
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("office.id"))
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    route_rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("routing_rule.id"))
    route_reason: Mapped[str] = mapped_column(sa.String(20), default="fallback")
    company_id: Mapped[int | None] = mapped_column(sa.ForeignKey("company.id"), index=True)
    company_name: Mapped[str] = mapped_column(sa.String(200), default="")  # as given at submission
    contact_name: Mapped[str] = mapped_column(sa.String(120))
    contact_email: Mapped[str] = mapped_column(sa.String(254), index=True)
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    subject: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text)
    complaint_ground: Mapped[str | None] = mapped_column(sa.String(20))
    language: Mapped[str] = mapped_column(sa.String(5), default="sv")
    # The private tracking link's token is HMAC(SECRET_KEY, salt): never stored; only its hash (for lookup)
    # and the salt (so mails can carry the link again later) are.
    tracking_salt: Mapped[str] = mapped_column(sa.String(32))
    tracking_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # backlog candidates: ix_case_closed_created
    outcome: Mapped[str | None] = mapped_column(sa.String(40))
    # Denormalised by the SLA engine on every state change: the nearest due instant of a running clock.
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the clock with the nearest due instant turns at risk (queue filter "at risk").
    next_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_breach_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # "overdue" from here on, not from due
    # The unit of the clock with the nearest due instant (domain.sla.UNITS): the queue states its time in it.
    next_due_unit: Mapped[str | None] = mapped_column(sa.String(20))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_text: Mapped[str | None] = mapped_column(sa.Text)
    # PBL 12:8a: share of the fee to reduce (0..1) when a statutory deadline was missed, set at decision.
    fee_reduction: Mapped[float | None] = mapped_column()
    fl12_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Gallring: contact data removed after the retention period; the registered record stays.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Submitted through the API by this token ("read-own": the integration may follow its own cases).
    api_token_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_token.id"), index=True)
    # How the case came in (domain.workflow.CHANNELS): web form, e-mail, REST API, Open311. Reports count per channel.
    channel: Mapped[str] = mapped_column(sa.String(10), default="web", server_default="web")
    # A bounce (DSN) said mail to the contact address fails: since when and what the mail server said.
    contact_failing_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contact_failure: Mapped[str | None] = mapped_column(sa.String(300))
    # What the queue marks as changed since an officer last opened the case (services.finding), kept by
    # services.events.record as the events are recorded: the last message and the last file from the company, the
    # last assignment and who made it (None: the system, at intake).
    last_company_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_company_file_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    category: Mapped[Category | None] = relationship()
    office: Mapped[Office] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    company: Mapped[Company | None] = relationship()
    route_rule: Mapped[RoutingRule | None] = relationship()

    @property
    def is_open(self) -> bool:
        return workflow.is_open(self.status)


class CaseEvent(db.Model):
    """Append-only record of everything that happened to a case (OSL 5 kap. registration, audit, reports)."""

    __table_args__ = (
        sa.Index("ix_case_event_case_at", "case_id", "at"),
        # Reports scan one month of one kind of event.
        sa.Index("ix_case_event_kind_at", "kind", "at"),
    )

    case: Mapped[Case] = relationship()

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(40))
    actor_kind: Mapped[str] = mapped_column(sa.String(10))  # staff, company, system
    actor_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # office holding the case when the event happened (reports count per office at the event)
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("office.id"))
    # JSONB on PostgreSQL: reports read fields of it (a clock's name and verdict) for a month of events.
    data: Mapped[dict] = mapped_column(sa.JSON().with_variant(JSONB(), "postgresql"), default=dict)
    # The working hours of the duration this event ends, kept as the fact it was when it happened (reports sum
    # them; a later change of the calendar does not rewrite history): receipt to first response on
    # "first_response"; the resolution time on the "decided" event of the first decision, or on a "closed"
    # event of a case never decided (docs/domain.md "Report definitions"). None on every other event.
    hours: Mapped[float | None] = mapped_column(sa.Float)

    actor: Mapped[User | None] = relationship()


class Message(db.Model):
    """A message on a case: public (the company sees it) or internal (staff only, never shown publicly)."""

    __table_args__ = (sa.Index("ix_message_case_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_kind: Mapped[str] = mapped_column(sa.String(10))  # staff, company, system
    author_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    author_name: Mapped[str] = mapped_column(sa.String(120), default="")
    internal: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(sa.Text)

    case: Mapped[Case] = relationship()
    author: Mapped[User | None] = relationship()
