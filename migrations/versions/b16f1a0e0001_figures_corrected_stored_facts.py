"""Figures as the definitions say: breach instants on clocks and cases; corrected stored clock verdicts and
event hours of existing data

Schema: ``sla_clock.breach_at`` and ``case.next_breach_at`` (a clock is breached past its breach instant, not
its due), and the sweep's pending-breach index on ``breach_at``. Data: see ``correct_stored_facts``.

Revision ID: b16f1a0e0001
Revises: 6a1f0c2d9b31
"""
import json
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from caseflow.domain import sla as rules
from caseflow.domain import workflow
from caseflow.domain.calendar import BusinessCalendar
from caseflow.models.types import UTCDateTime

revision = 'b16f1a0e0001'
down_revision = '6a1f0c2d9b31'
branch_labels = None
depends_on = None

_PENDING = "stopped_at IS NULL AND breached_at IS NULL"
BATCH = 500  # cases per round of reads and writes
HOUR = timedelta(hours=1)
PBL = "pbl"
DECISION_CLOCKS = ("resolution", PBL, "fl12")  # stopped by a decision; a reopening restarts them after a closure


def upgrade():
    with op.batch_alter_table('sla_clock', schema=None) as batch_op:
        batch_op.add_column(sa.Column('breach_at', UTCDateTime(), nullable=True))
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_breach_at', UTCDateTime(), nullable=True))
    op.drop_index('ix_sla_clock_breach_pending', table_name='sla_clock',
                  postgresql_where=sa.text(_PENDING), sqlite_where=sa.text(_PENDING))
    op.create_index('ix_sla_clock_breach_pending', 'sla_clock', ['breach_at'], unique=False,
                    postgresql_where=sa.text(_PENDING), sqlite_where=sa.text(_PENDING))
    correct_stored_facts(op.get_bind())


def correct_stored_facts(conn, now: datetime | None = None) -> None:
    """Make the stored facts of existing cases what the corrected engine would have stored (docs/domain.md "Exact
    definitions" and "Report definitions"), case by case, in batches, on the migration's own connection:

    a. ``sla_clock.breach_at`` of every clock with a due instant, and ``case.next_breach_at`` (with the other
       denormalised instants) of the nearest running clock;
    b. calendar-week clocks with pauses: due and warning instants with the days paused on the local wall
       clock; a stopped one's verdict (and its ``clock_stopped`` event) at its stop;
    c. the resolution time (``hours``) on a case's first ``decided`` event and on its ``closed`` events before
       any decision: working time from receipt minus every wait on the company;
    d. ``pbl_fee_reduction`` events and ``case.fee_reduction`` with the weeks late on the local wall clock
       (an event that was not late at all is withdrawn, not deleted);
    e. breaches recorded before the breach instant on clocks that stopped in time or still run: cleared, and
       their ``sla_breach`` events withdrawn (the sweep records the real breach when it comes);
    f. decision clocks of cases closed without a decision and reopened: restarted at each reopening and
       stopped at the next decision or closure (verdict, breach and fee reduction there), as the engine does.

    Every case with a corrected fact gets one ``facts_corrected`` event listing what changed. Filling the new
    breach instants is not a correction and is not listed. Running it again changes nothing.
    ``now``: the instant of the ``facts_corrected`` events (default: the current time).
    """
    now = now or datetime.now(UTC)
    t = _Tables()
    cal = _calendar(conn)
    last = 0
    while True:
        cases = conn.execute(
            sa.select(*t.case.c).where(t.case.c.id > last).order_by(t.case.c.id).limit(BATCH)).mappings().all()
        if not cases:
            break
        last = cases[-1]["id"]
        ids = [c["id"] for c in cases]
        clocks: dict[int, list[dict]] = {}
        for row in conn.execute(sa.select(*t.clock.c).where(t.clock.c.case_id.in_(ids))
                                .order_by(t.clock.c.id)).mappings():
            clocks.setdefault(row["case_id"], []).append(dict(row))
        events: dict[int, list[dict]] = {}
        ev = t.event
        for row in conn.execute(
                sa.select(*ev.c).where(ev.c.case_id.in_(ids),
                                       sa.or_(ev.c.kind.in_(_EVENT_KINDS),
                                              ev.c.data["status_after"].as_string().is_not(None)))
                .order_by(ev.c.case_id, ev.c.at, ev.c.id)).mappings():
            row = dict(row)
            row["data"] = dict(_decoded(row["data"]) or {})
            events.setdefault(row["case_id"], []).append(row)
        out = _Writes()
        for case in cases:
            if case["id"] in clocks or case["id"] in events:
                _CaseFacts(cal, dict(case), clocks.get(case["id"], []), events.get(case["id"], []), out).correct(now)
        out.flush(conn, t)
        if len(cases) < BATCH:
            break


# -- the tables as this revision has them ----------------------------------------------------------------------
class _Tables:
    """Core views of the columns this revision reads and writes (not the models, which move on)."""

    def __init__(self):
        meta = sa.MetaData()
        self.case = sa.Table(
            "case", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("created_at", UTCDateTime),
            sa.Column("office_id", sa.Integer), sa.Column("next_due_at", UTCDateTime),
            sa.Column("next_warn_at", UTCDateTime), sa.Column("next_breach_at", UTCDateTime),
            sa.Column("first_response_due_at", UTCDateTime), sa.Column("fee_reduction", sa.Float))
        self.clock = sa.Table(
            "sla_clock", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("case_id", sa.Integer),
            sa.Column("name", sa.String), sa.Column("unit", sa.String), sa.Column("target", sa.Integer),
            sa.Column("warn_percent", sa.Integer), sa.Column("extension_weeks", sa.Integer),
            sa.Column("pausable", sa.Boolean),
            *(sa.Column(name, UTCDateTime) for name in _CLOCK_INSTANTS),
            sa.Column("pauses", sa.JSON), sa.Column("stop_reason", sa.String), sa.Column("in_time", sa.Boolean))
        self.event = sa.Table(
            "case_event", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("case_id", sa.Integer),
            sa.Column("at", UTCDateTime), sa.Column("kind", sa.String), sa.Column("actor_kind", sa.String),
            sa.Column("actor_user_id", sa.Integer), sa.Column("office_id", sa.Integer),
            sa.Column("data", sa.JSON().with_variant(JSONB(), "postgresql")), sa.Column("hours", sa.Float))


_CLOCK_INSTANTS = ("started_at", "due_at", "warn_at", "breach_at", "paused_since", "stopped_at", "breached_at",
                   "completion_requested_at")
# What a correction may change on a clock row and on a case row.
_CLOCK_FACTS = _CLOCK_INSTANTS + ("pauses", "stop_reason", "in_time")
_CASE_FACTS = ("next_due_at", "next_warn_at", "next_breach_at", "first_response_due_at", "fee_reduction")
# The events read besides every status change (``data.status_after``).
_EVENT_KINDS = ("decided", "closed", "reopened", "completion_requested", "company_message", "clock_stopped",
                "sla_breach", "pbl_fee_reduction")


def _calendar(conn) -> BusinessCalendar:
    settings = conn.execute(sa.text("SELECT hours, include_de_facto, extra_closed FROM calendar_settings "
                                    "WHERE id = 1")).first()
    if settings is None:
        return BusinessCalendar()
    hours, de_facto, extra = (_decoded(v) for v in settings)  # JSON reads as text on SQLite
    return BusinessCalendar.from_settings(hours, bool(de_facto), extra)


def _decoded(value):
    return json.loads(value) if isinstance(value, str) else value


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# -- the engine's rules on plain rows (services.sla, without the session) ---------------------------------------
def _spec(clock: dict) -> rules.ClockSpec:
    warn = clock["warn_percent"] if clock["warn_percent"] is not None else 80
    return rules.ClockSpec(clock["unit"], clock["target"] + (clock["extension_weeks"] or 0), Fraction(warn, 100))


def _pauses(clock: dict) -> list[rules.Pause]:
    out = [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in _decoded(clock["pauses"]) or []]
    if clock["paused_since"] is not None:
        out.append((clock["paused_since"], None))
    return out


def _recompute(cal: BusinessCalendar, clock: dict) -> None:
    """services.sla.recompute: due, warning and breach instants from start and pauses."""
    if clock["started_at"] is None:
        clock["due_at"] = clock["warn_at"] = clock["breach_at"] = None
        return
    state = rules.clock_state(cal, _spec(clock), clock["started_at"], _pauses(clock))
    clock["due_at"], clock["warn_at"] = state.due, state.warn_at
    if clock["name"] == PBL:
        clock["due_at"] = rules.pbl_due(cal, clock["started_at"], clock["target"], clock["extension_weeks"] or 0)
    _set_breach_instant(cal, clock)


def _set_breach_instant(cal: BusinessCalendar, clock: dict) -> None:
    due = clock["due_at"]
    clock["breach_at"] = rules.breach_instant(cal, _spec(clock), due) if due is not None else None


def _verdict(cal: BusinessCalendar, clock: dict, at: datetime) -> bool | None:
    if clock["due_at"] is None or clock["started_at"] is None:
        return None
    share = rules.elapsed_share(cal, _spec(clock), clock["started_at"], _pauses(clock), clock["due_at"], at)
    return rules.is_in_time(share)


def _order(event: dict) -> tuple:
    return event["at"], event["id"]


class _Writes:
    """The batch's changes, written with one statement per kind of change."""

    def __init__(self):
        self.clocks, self.cases, self.event_data, self.event_hours, self.new_events = [], [], [], [], []

    def flush(self, conn, t: _Tables) -> None:
        if self.clocks:
            conn.execute(t.clock.update().where(t.clock.c.id == sa.bindparam("k_id"))
                         .values({name: sa.bindparam("k_" + name) for name in _CLOCK_FACTS}),
                         [{"k_" + k: v for k, v in row.items()} for row in self.clocks])
        if self.cases:
            conn.execute(t.case.update().where(t.case.c.id == sa.bindparam("c_id"))
                         .values({name: sa.bindparam("c_" + name) for name in _CASE_FACTS}),
                         [{"c_" + k: v for k, v in row.items()} for row in self.cases])
        if self.event_data:
            conn.execute(t.event.update().where(t.event.c.id == sa.bindparam("e_id"))
                         .values(data=sa.bindparam("e_data")), self.event_data)
        if self.event_hours:
            conn.execute(t.event.update().where(t.event.c.id == sa.bindparam("e_id"))
                         .values(hours=sa.bindparam("e_hours")), self.event_hours)
        if self.new_events:
            conn.execute(t.event.insert(), self.new_events)


class _CaseFacts:
    """One case's clocks and events, corrected in memory, then staged on ``_Writes``."""

    def __init__(self, cal: BusinessCalendar, case: dict, clocks: list[dict], events: list[dict], out: _Writes):
        self.cal, self.case, self.clocks, self.events, self.out = cal, case, clocks, events, out
        self.case_before = dict(case)
        self.clocks_before = [dict(k) for k in clocks]
        self.data_before = {e["id"]: json.dumps(e["data"], sort_keys=True, default=str) for e in events}
        self.changes: list[dict] = []
        self.new_events: list[dict] = []

    def correct(self, now: datetime) -> None:
        for clock in self.clocks:
            self._week_clock_pauses(clock)
            _set_breach_instant(self.cal, clock)
        for clock in self.clocks:
            self._reopenings(clock)
        for clock in self.clocks:
            self._early_breach(clock)
        self._resolution_hours()
        self._fee_reductions()
        self._refresh_case()
        self._stage(now)

    # b. days paused on the local wall clock
    def _week_clock_pauses(self, clock: dict) -> None:
        if clock["unit"] != rules.CALENDAR_WEEKS or clock["name"] == PBL or not _decoded(clock["pauses"]) \
                or clock["started_at"] is None or clock["paused_since"] is not None:
            return
        due_before = clock["due_at"]
        _recompute(self.cal, clock)
        if clock["due_at"] != due_before:
            self.changes.append({"fact": "due_at", "clock": clock["name"], "before": _iso(due_before),
                                 "after": _iso(clock["due_at"])})
        if clock["stopped_at"] is None:
            return
        in_time = _verdict(self.cal, clock, clock["stopped_at"])
        if in_time != clock["in_time"]:
            self.changes.append({"fact": "in_time", "clock": clock["name"], "at": _iso(clock["stopped_at"]),
                                 "before": clock["in_time"], "after": in_time})
            clock["in_time"] = in_time
        stop = next((e for e in reversed(self.events) if e["kind"] == "clock_stopped"
                     and e["data"].get("clock") == clock["name"] and e["at"] == clock["stopped_at"]), None)
        if stop is not None and (stop["data"].get("in_time") != in_time
                                 or _instant(stop["data"].get("due_at")) != clock["due_at"]):
            stop["data"].update(in_time=in_time, due_at=_iso(clock["due_at"]), corrected_by=revision)
        if in_time is False and clock["breached_at"] is None:
            self._breach_at_stop(clock, clock["stopped_at"], stop["office_id"] if stop else self.case["office_id"])

    # f. reopening sets the decision clocks of a case closed without a decision running again
    def _reopenings(self, clock: dict) -> None:
        if clock["name"] not in DECISION_CLOCKS or clock["stopped_at"] is None or clock["stop_reason"] != "closed":
            return
        closure = next((i for i, e in enumerate(self.events)
                        if e["kind"] == "closed" and e["at"] == clock["stopped_at"]), None)
        if closure is None:
            return
        for e in self.events[closure + 1:]:
            if e["kind"] == "reopened":
                if clock["stopped_at"] is not None and clock["stop_reason"] == "closed":
                    self._restart(clock, e)
            elif clock["stopped_at"] is not None:
                continue
            elif e["kind"] in ("decided", "closed"):
                self._stop(clock, e, "decided" if e["kind"] == "decided" else "closed")
            elif e["kind"] == "completion_requested":
                self._awaiting_customer(clock, e)
            elif e["kind"] == "company_message" and e["data"].get("status_before") == workflow.AWAITING_CUSTOMER:
                self._customer_answered(clock, e)

    def _restart(self, clock: dict, reopened: dict) -> None:
        """services.sla.on_reopened: same start, same due; the verdict is taken at the next stop."""
        clock["stopped_at"] = clock["stop_reason"] = clock["in_time"] = None
        self._add(reopened["at"], "clock_restarted", reopened["office_id"], clock=clock["name"],
                  due_at=_iso(clock["due_at"]))
        self.changes.append({"fact": "clock_restarted", "clock": clock["name"], "at": _iso(reopened["at"])})

    def _stop(self, clock: dict, event: dict, reason: str) -> None:
        """services.sla._stop (and on_decided's fee reduction) at a decision or closure after a reopening."""
        at = event["at"]
        if clock["paused_since"] is not None:
            clock["pauses"] = list(_decoded(clock["pauses"]) or []) + [[clock["paused_since"].isoformat(),
                                                                         at.isoformat()]]
            clock["paused_since"] = None
            _recompute(self.cal, clock)
        clock["stopped_at"], clock["stop_reason"] = at, reason
        clock["in_time"] = _verdict(self.cal, clock, at)
        self._add(at, "clock_stopped", event["office_id"], clock=clock["name"], reason=reason,
                  in_time=clock["in_time"], due_at=_iso(clock["due_at"]))
        self.changes.append({"fact": "clock_stopped", "clock": clock["name"], "at": _iso(at), "reason": reason,
                             "in_time": clock["in_time"]})
        if clock["in_time"] is False and clock["breached_at"] is None:
            self._breach_at_stop(clock, at, event["office_id"])
        if clock["name"] == PBL and reason == "decided" and clock["due_at"] is not None:
            weeks, share = rules.pbl_fee_reduction(self.cal, clock["due_at"], at)
            self.case["fee_reduction"] = float(share)
            if weeks:
                self._add(at, "pbl_fee_reduction", event["office_id"], weeks_late=weeks,
                          reduction=f"{share.numerator}/{share.denominator}")
                self.changes.append({"fact": "fee_reduction", "at": _iso(at), "weeks_late": weeks})

    def _awaiting_customer(self, clock: dict, event: dict) -> None:
        """services.sla.on_awaiting_customer for a restarted clock."""
        at = event["at"]
        if clock["name"] == PBL:
            if clock["completion_requested_at"] is None and rules.completion_request_moves_start(
                    self.cal, self.case["created_at"], at):
                clock["completion_requested_at"], clock["started_at"] = at, None
                _recompute(self.cal, clock)
                self._add(at, "clock_waiting_for_completion", event["office_id"], clock=clock["name"])
            return
        if clock["pausable"] and clock["paused_since"] is None and clock["due_at"] is not None \
                and at < clock["due_at"]:
            clock["paused_since"] = at
            _recompute(self.cal, clock)
            self._add(at, "clock_paused", event["office_id"], clock=clock["name"])

    def _customer_answered(self, clock: dict, event: dict) -> None:
        """services.sla.on_customer_answered for a restarted clock."""
        at = event["at"]
        if clock["paused_since"] is not None:
            clock["pauses"] = list(_decoded(clock["pauses"]) or []) + [[clock["paused_since"].isoformat(),
                                                                         at.isoformat()]]
            clock["paused_since"] = None
            _recompute(self.cal, clock)
            self._add(at, "clock_resumed", event["office_id"], actor_kind="company", clock=clock["name"],
                      due_at=_iso(clock["due_at"]))
        elif clock["name"] == PBL and clock["started_at"] is None:
            clock["started_at"] = at
            _recompute(self.cal, clock)
            self._add(at, "clock_started", event["office_id"], actor_kind="company", clock=clock["name"],
                      due_at=_iso(clock["due_at"]), reason="completion_received")

    def _breach_at_stop(self, clock: dict, at: datetime, office_id) -> None:
        clock["breached_at"] = at
        self._add(at, "sla_breach", office_id, clock=clock["name"], due_at=_iso(clock["due_at"]), at_stop=True)
        self.changes.append({"fact": "breached_at", "clock": clock["name"], "after": _iso(at)})

    # e. a breach is recorded only past the breach instant
    def _early_breach(self, clock: dict) -> None:
        breached, breach_at = clock["breached_at"], clock["breach_at"]
        if breached is None or breach_at is None or breached > breach_at:
            return
        if not (clock["stopped_at"] is None or clock["in_time"] is True):
            return
        withdrawn = []
        for e in self.events:
            if e["kind"] == "sla_breach" and e["data"].get("clock") == clock["name"] and e["at"] <= breach_at \
                    and e["data"].get("withdrawn") is not True:
                e["data"].update(withdrawn=True, withdrawn_reason="before_breach_instant", corrected_by=revision)
                withdrawn.append(e["id"])
        clock["breached_at"] = None
        self.changes.append({"fact": "breach_withdrawn", "clock": clock["name"], "breached_at": _iso(breached),
                             "breach_at": _iso(breach_at), "events": withdrawn})

    # c. resolution time minus every wait on the company
    def _resolution_hours(self) -> None:
        first_decision = next((e for e in self.events if e["kind"] == "decided"), None)
        for e in self.events:
            if e["hours"] is None:
                continue
            if not (e is first_decision or (e["kind"] == "closed" and (
                    first_decision is None or _order(e) < _order(first_decision)))):
                continue
            transitions = [(x["at"], x["data"]["status_after"]) for x in self.events
                           if x["data"].get("status_after") is not None and _order(x) <= _order(e)]
            waits = workflow.waiting_intervals(transitions)
            hours = self.cal.working_time_outside(self.case["created_at"], e["at"], waits) / HOUR
            if abs(hours - e["hours"]) > 1e-6:
                self.changes.append({"fact": "hours", "event": e["kind"], "event_id": e["id"],
                                     "before": round(e["hours"], 4), "after": round(hours, 4)})
                e["hours"] = hours
                self.out.event_hours.append({"e_id": e["id"], "e_hours": hours})

    # d. weeks late on the local wall clock
    def _fee_reductions(self) -> None:
        pbl = next((k for k in self.clocks if k["name"] == PBL), None)
        if pbl is None or pbl["due_at"] is None:
            return
        for e in self.events:
            if e["kind"] != "pbl_fee_reduction" or e["data"].get("withdrawn") is True:
                continue
            weeks, share = rules.pbl_fee_reduction(self.cal, pbl["due_at"], e["at"])
            reduction = f"{share.numerator}/{share.denominator}"
            if weeks == 0:
                e["data"].update(withdrawn=True, withdrawn_reason="not_late_on_local_wall_clock",
                                 corrected_by=revision)
                self.changes.append({"fact": "fee_reduction_withdrawn", "event_id": e["id"],
                                     "weeks_late_before": e["data"].get("weeks_late")})
            elif e["data"].get("weeks_late") != weeks or e["data"].get("reduction") != reduction:
                self.changes.append({"fact": "weeks_late", "event_id": e["id"],
                                     "before": e["data"].get("weeks_late"), "after": weeks})
                e["data"].update(weeks_late=weeks, reduction=reduction, corrected_by=revision)
            self.case["fee_reduction"] = float(share)

    def _refresh_case(self) -> None:
        """services.sla.refresh_case: the nearest running clock's instants on the case."""
        if not self.clocks:
            return
        running = [k for k in self.clocks if k["stopped_at"] is None and k["due_at"] is not None]
        nearest = min(running, key=lambda k: k["due_at"], default=None)
        for name, field in (("next_due_at", "due_at"), ("next_warn_at", "warn_at"), ("next_breach_at", "breach_at")):
            self.case[name] = nearest[field] if nearest else None
        first = next((k for k in self.clocks if k["name"] == "first_response"), None)
        if first is not None:
            self.case["first_response_due_at"] = first["due_at"]
        before = self.case_before["fee_reduction"]
        if self.case["fee_reduction"] != before:
            self.changes.append({"fact": "case_fee_reduction", "before": before, "after": self.case["fee_reduction"]})

    def _add(self, at: datetime, kind: str, office_id, actor_kind: str = "system", **data) -> None:
        """An event the engine would have recorded, marked as written by this revision."""
        self.new_events.append(self._event(at, kind, office_id, actor_kind, dict(data, corrected_by=revision)))

    def _event(self, at: datetime, kind: str, office_id, actor_kind: str, data: dict) -> dict:
        return {"case_id": self.case["id"], "at": at, "kind": kind, "actor_kind": actor_kind,
                "actor_user_id": None, "office_id": office_id, "data": data, "hours": None}

    def _stage(self, now: datetime) -> None:
        out = self.out
        for clock, before in zip(self.clocks, self.clocks_before, strict=True):
            if any(clock[name] != before[name] for name in _CLOCK_FACTS):
                out.clocks.append({"id": clock["id"], **{name: clock[name] for name in _CLOCK_FACTS}})
        if any(self.case[name] != self.case_before[name] for name in _CASE_FACTS):
            out.cases.append({"id": self.case["id"], **{name: self.case[name] for name in _CASE_FACTS}})
        for e in self.events:
            if json.dumps(e["data"], sort_keys=True, default=str) != self.data_before[e["id"]]:
                out.event_data.append({"e_id": e["id"], "e_data": e["data"]})
        out.new_events.extend(self.new_events)
        if self.changes:  # the audit trail says what this revision changed on the case
            out.new_events.append(self._event(now, "facts_corrected", self.case["office_id"], "system",
                                              {"revision": revision, "changes": self.changes}))


def downgrade():
    op.drop_index('ix_sla_clock_breach_pending', table_name='sla_clock',
                  postgresql_where=sa.text(_PENDING), sqlite_where=sa.text(_PENDING))
    op.create_index('ix_sla_clock_breach_pending', 'sla_clock', ['due_at'], unique=False,
                    postgresql_where=sa.text(_PENDING), sqlite_where=sa.text(_PENDING))
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('next_breach_at')
    with op.batch_alter_table('sla_clock', schema=None) as batch_op:
        batch_op.drop_column('breach_at')
