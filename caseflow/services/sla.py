"""SLA engine, the stateful half: clocks on cases, driven by casework, swept by a periodic job.

The arithmetic is in ``domain.sla`` / ``domain.calendar`` (pure). Here: which clocks a case gets (policies),
how case events move them (start, pause, resume, stop), the denormalised due instants on the case that the
queue sorts and filters by, and the sweep that records warnings and breaches exactly once.

Functions here stage changes in the session; the calling use case commits (``unit.commit``).
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta
from fractions import Fraction

import sqlalchemy as sa

from ..domain import sla as rules
from ..domain import workflow
from ..domain.calendar import BusinessCalendar
from ..extensions import db
from ..models import Case, CaseEvent, Category, SlaClock, SlaPolicy, User
from ..models.sla import CalendarSettings
from . import snapshot
from .dispatch import add_outbox
from .events import record

FIRST_RESPONSE, ACKNOWLEDGEMENT, RESOLUTION, PBL, FL12 = (
    "first_response", "acknowledgement", "resolution", "pbl", "fl12")
# Clocks stopped by the first public message from staff (they never pause).
RESPONSE_CLOCKS = (FIRST_RESPONSE, ACKNOWLEDGEMENT)
PBL_WEEKS = {"pbl_bygglov": 10, "pbl_anmalan": 4}
HOUR = timedelta(hours=1)

# docs/domain.md defaults ("Service promises"): (clock, kind, category code, priority, unit, target, pauses, label)
DEFAULT_POLICIES = [
    (FIRST_RESPONSE, None, None, None, rules.WORKING_DAYS, 2, False, "Första svar inom 2 arbetsdagar"),
    (FIRST_RESPONSE, None, None, "high", rules.WORKING_HOURS, 4, False, "Brådskande: första svar inom 4 arbetstimmar"),
    (ACKNOWLEDGEMENT, "complaint", None, None, rules.WORKING_DAYS, 2, False, "Klagomål bekräftat inom 2 arbetsdagar"),
    (RESOLUTION, "complaint", None, None, rules.WORKING_DAYS, 10, True, "Klagomål besvarat inom 10 arbetsdagar"),
    (RESOLUTION, "question", None, None, rules.WORKING_DAYS, 5, True, "Fråga besvarad inom 5 arbetsdagar"),
    (RESOLUTION, "feedback", None, None, rules.WORKING_DAYS, 10, True, "Synpunkt besvarad inom 10 arbetsdagar"),
    (RESOLUTION, "errand", "markupplatelse", None, rules.WORKING_DAYS, 15, True,
     "Beslut om markupplåtelse inom 15 arbetsdagar"),
    (RESOLUTION, "errand", "livsmedel", None, rules.CALENDAR_WEEKS, 2, True,
     "Beslut om livsmedelsregistrering inom 2 veckor"),
    (RESOLUTION, "errand", "servering", None, rules.CALENDAR_WEEKS, 8, True,
     "Beslut om serveringstillstånd inom 8 veckor"),
]


# -- configuration ---------------------------------------------------------------------------------------------
# perf: 100 working-time durations take 1.09 ms on a kept calendar, 2.42 ms on a new one (bench/README.md)
_calendars = threading.local()


def calendar() -> BusinessCalendar:
    """The configured business calendar (defaults when nothing is configured).

    Kept per thread and per configuration: its working-time tables are built once, not on every request (a
    calendar's lazily grown tables are not safe to share between threads; a change of settings is a new key)."""
    key = snapshot.current().calendar_settings
    cache = getattr(_calendars, "by_settings", None)
    if cache is None:
        cache = _calendars.by_settings = {}
    cal = cache.get(key)
    if cal is None:
        if len(cache) > 8:
            cache.clear()
        cal = cache[key] = BusinessCalendar() if key is None else BusinessCalendar.from_settings(*key)
    return cal


def seed_policies() -> None:
    """Default service promises and calendar of docs/domain.md (staged; the caller commits)."""
    if db.session.get(CalendarSettings, 1) is None:
        db.session.add(CalendarSettings(id=1))
    cats = {c.code: c.id for c in db.session.scalars(sa.select(Category))}
    for clock, kind, cat, prio, unit, target, pauses, label in DEFAULT_POLICIES:
        if cat is not None and cat not in cats:
            continue
        db.session.add(SlaPolicy(clock=clock, kind=kind, category_id=cats.get(cat) if cat else None, priority=prio,
                                 unit=unit, target=target, pauses=pauses, label=label))


def _policy_for(clock: str, case: Case, policies) -> snapshot.PolicyInfo | None:
    """Most specific active policy for this clock; a set condition that differs disqualifies a row."""
    best, best_score = None, -1
    for p in policies:
        if p.clock != clock:
            continue
        if (p.kind and p.kind != case.kind) or (p.category_id and p.category_id != case.category_id) or \
                (p.priority and p.priority != case.priority):
            continue
        score = (4 if p.category_id else 0) + (2 if p.kind else 0) + (1 if p.priority else 0)
        if score > best_score:
            best, best_score = p, score
    return best


# -- lifecycle -------------------------------------------------------------------------------------------------
def spec_of(clock: SlaClock) -> rules.ClockSpec:
    """A clock's rule; a PBL extension lengthens the period (1930:173 then applies once, to the result)."""
    warn = clock.warn_percent if clock.warn_percent is not None else 80  # column default applies at flush
    return rules.ClockSpec(clock.unit, clock.target + (clock.extension_weeks or 0), Fraction(warn, 100))


def pauses_of(clock: SlaClock) -> list[rules.Pause]:
    out = [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in clock.pauses or []]
    if clock.paused_since is not None:
        out.append((clock.paused_since, None))
    return out


def recompute(clock: SlaClock, cal: BusinessCalendar) -> None:
    """Due and warning instants from start and pauses (None while paused or waiting for a completion)."""
    if clock.started_at is None:
        clock.due_at = clock.warn_at = clock.breach_at = None
        return
    spec = spec_of(clock)
    state = rules.clock_state(cal, spec, clock.started_at, pauses_of(clock))
    clock.due_at, clock.warn_at = state.due, state.warn_at
    if clock.name == PBL:  # the statutory rule itself: (10 + extension) weeks, 1930:173 applied once
        clock.due_at = rules.pbl_due(cal, clock.started_at, clock.target, clock.extension_weeks or 0)
    clock.breach_at = rules.breach_instant(cal, spec, clock.due_at) if clock.due_at is not None else None


def start_clocks(case: Case, now: datetime, add: bool = True) -> list[SlaClock]:
    """Clocks of a new case, by the policies in force and the category's statutory rule; added to the session
    unless ``add`` is false (the submission writes them itself, with ``rows.insert_rows``)."""
    cal = calendar()
    snap = snapshot.current()
    policies = snap.policies
    clocks = []
    for name in (FIRST_RESPONSE, ACKNOWLEDGEMENT, RESOLUTION):
        p = _policy_for(name, case, policies)
        if p is None:
            continue
        clocks.append(SlaClock(case=case, name=name, unit=p.unit, target=p.target, warn_percent=p.warn_percent,
                               pausable=p.pauses, policy_id=p.id, started_at=now, pauses=[]))
    category = snap.category(case.category_id) if case.category_id else None
    if category is not None and category.statutory in PBL_WEEKS and case.kind == "errand":
        clocks.append(SlaClock(case=case, name=PBL, unit=rules.CALENDAR_WEEKS, target=PBL_WEEKS[category.statutory],
                               pausable=False, started_at=now, pauses=[]))
    for c in clocks:
        recompute(c, cal)
        if add:
            db.session.add(c)
    return clocks


# perf: built once, as the case page's statements in casework (bench/README.md, issue 22: 38.04 M, 41.02 M)
_CLOCKS = sa.select(SlaClock).where(SlaClock.case_id == sa.bindparam("case_id")).order_by(SlaClock.id)


def clocks_of(case: Case) -> list[SlaClock]:
    return list(db.session.scalars(_CLOCKS, {"case_id": case.id}))


def refresh_case(case: Case, clocks: list[SlaClock] | None = None) -> None:
    """Denormalise the nearest due instant (and its warning and breach instants and its clock's unit) of running
    clocks onto the case. The breach instant grows with the due instant, so the nearest due has the nearest breach.
    Of clocks due at the same instant the first (by id) is the nearest, as the migration that added
    ``next_due_unit`` reads it back."""
    clocks = clocks_of(case) if clocks is None else clocks
    running = [c for c in clocks if c.stopped_at is None and c.due_at is not None]
    nearest = min(running, key=lambda c: c.due_at, default=None)
    case.next_due_at = nearest.due_at if nearest else None
    case.next_warn_at = nearest.warn_at if nearest else None
    case.next_breach_at = nearest.breach_at if nearest else None
    case.next_due_unit = nearest.unit if nearest else None
    fr = next((c for c in clocks if c.name == FIRST_RESPONSE), None)
    case.first_response_due_at = fr.due_at if fr else None


def response_hours(case: Case, at: datetime) -> float:
    """First-response time (docs/domain.md "Report definitions"): working hours from receipt to ``at``, no pauses."""
    return calendar().working_time_between(case.created_at, at) / HOUR


_STATUS_CHANGES = (sa.select(CaseEvent.at, CaseEvent.data["status_after"].as_string())
                   .where(CaseEvent.case_id == sa.bindparam("case_id"),
                          CaseEvent.data["status_after"].as_string().is_not(None))
                   .order_by(CaseEvent.at, CaseEvent.id))


def waiting_intervals(case: Case) -> list[rules.Pause]:
    """When the case waited on the company (status ``awaiting_customer``), from its recorded status changes."""
    return workflow.waiting_intervals(db.session.execute(_STATUS_CHANGES, {"case_id": case.id}).all())


def resolution_hours(case: Case, at: datetime) -> float:
    """Resolution time if it stops at ``at`` (docs/domain.md "Report definitions"): working hours from receipt minus the
    working time the case waited on the company in between (a wait still open runs to ``at``). Subtracted on
    every kind of case, PBL cases too, and whether or not a clock's due had passed: it measures how long the
    municipality held the case, whatever the clocks do."""
    return calendar().working_time_outside(case.created_at, at, waiting_intervals(case)) / HOUR


def _stop(case: Case, clock: SlaClock, now: datetime, reason: str, actor, cal: BusinessCalendar) -> None:
    if clock.paused_since is not None:  # a stop while paused closes the pause first
        clock.pauses = list(clock.pauses or []) + [[clock.paused_since.isoformat(), now.isoformat()]]
        clock.paused_since = None
        recompute(clock, cal)
    clock.stopped_at, clock.stop_reason = now, reason
    if clock.due_at is not None and clock.started_at is not None:
        share = rules.elapsed_share(cal, spec_of(clock), clock.started_at, pauses_of(clock), clock.due_at, now)
        clock.in_time = rules.is_in_time(share)
    record(case, "clock_stopped", now, actor=actor, clock=clock.name, reason=reason, in_time=clock.in_time,
           due_at=_iso(clock.due_at))
    if clock.in_time is False and clock.breached_at is None:
        clock.breached_at = now
        record(case, "sla_breach", now, clock=clock.name, due_at=_iso(clock.due_at), at_stop=True)


# Clocks that a decision stops: closing without a decision stops them too, and reopening sets them running again.
DECISION_CLOCKS = (RESOLUTION, PBL, FL12)


def on_reopened(case: Case, now: datetime, actor: User) -> None:
    """Reopening a case closed without a decision sets its answered/decision clocks running again "as if it had
    never stopped": same start, same due (the closed interval counts as running time); the verdict is taken at
    the next stop. A clock already breached stays breached."""
    cal = calendar()
    clocks = clocks_of(case)
    for c in clocks:
        if c.name in DECISION_CLOCKS and c.stopped_at is not None and c.stop_reason == "closed":
            c.stopped_at = c.stop_reason = c.in_time = None
            recompute(c, cal)
            record(case, "clock_restarted", now, actor=actor, clock=c.name, due_at=_iso(c.due_at))
    refresh_case(case, clocks)


def on_public_staff_message(case: Case, now: datetime, actor: User) -> None:
    """The first public message from staff stops the first-response and acknowledgement clocks."""
    cal = calendar()
    clocks = clocks_of(case)
    for c in clocks:
        if c.name in RESPONSE_CLOCKS and c.stopped_at is None:
            _stop(case, c, now, "responded", actor, cal)
    refresh_case(case, clocks)


def on_awaiting_customer(case: Case, now: datetime, actor: User) -> None:
    """Completion requested: pausable clocks pause; a PBL clock restarts at the completion if requested in time."""
    cal = calendar()
    clocks = clocks_of(case)
    for c in clocks:
        if c.stopped_at is not None:
            continue
        if c.name == PBL:
            if c.completion_requested_at is None and rules.completion_request_moves_start(cal, case.created_at, now):
                c.completion_requested_at = now
                c.started_at = None  # the statutory clock starts when the completion arrives
                recompute(c, cal)
                record(case, "clock_waiting_for_completion", now, actor=actor, clock=c.name)
            continue
        if c.pausable and c.paused_since is None and c.due_at is not None and now < c.due_at:
            c.paused_since = now
            recompute(c, cal)
            record(case, "clock_paused", now, actor=actor, clock=c.name)
    refresh_case(case, clocks)


def on_customer_answered(case: Case, now: datetime) -> None:
    """The company answered: paused clocks resume; a PBL clock waiting for the completion starts now."""
    cal = calendar()
    clocks = clocks_of(case)
    for c in clocks:
        if c.stopped_at is not None:
            continue
        if c.paused_since is not None:
            c.pauses = list(c.pauses or []) + [[c.paused_since.isoformat(), now.isoformat()]]
            c.paused_since = None
            recompute(c, cal)
            record(case, "clock_resumed", now, actor_kind="company", clock=c.name, due_at=_iso(c.due_at))
        elif c.name == PBL and c.started_at is None:
            c.started_at = now
            recompute(c, cal)
            record(case, "clock_started", now, actor_kind="company", clock=c.name, due_at=_iso(c.due_at),
                   reason="completion_received")
    refresh_case(case, clocks)


def on_decided(case: Case, now: datetime, actor: User) -> None:
    """A decision stops the resolution and statutory clocks; a late PBL decision reduces the fee."""
    cal = calendar()
    clocks = clocks_of(case)
    for c in clocks:
        if c.name in (RESOLUTION, PBL, FL12) and c.stopped_at is None:
            _stop(case, c, now, "decided", actor, cal)
            if c.name == PBL and c.due_at is not None:
                weeks, share = rules.pbl_fee_reduction(cal, c.due_at, now)
                case.fee_reduction = float(share)
                if weeks:
                    record(case, "pbl_fee_reduction", now, actor=actor, weeks_late=weeks,
                           reduction=f"{share.numerator}/{share.denominator}")
    refresh_case(case, clocks)


def on_closed(case: Case, now: datetime, actor: User) -> None:
    """Closing stops every clock still running (a resolution without a decision stops at closure)."""
    cal = calendar()
    clocks = clocks_of(case)
    for c in clocks:
        if c.stopped_at is None:
            _stop(case, c, now, "closed", actor, cal)
    refresh_case(case, clocks)


def extend_pbl(case: Case, weeks: int, reason: str, now: datetime, actor: User) -> SlaClock:
    """PBL 9:27: extend the statutory period once, by at most the original period, by a recorded decision."""
    from .errors import Conflict, InvalidInput

    clock = next((c for c in clocks_of(case) if c.name == PBL), None)
    if clock is None or clock.stopped_at is not None:
        raise Conflict("no_statutory_clock")
    if clock.extension_weeks:
        raise Conflict("already_extended")
    if weeks < 1:
        raise InvalidInput({"weeks": "invalid_choice"})
    try:
        rules.pbl_due(calendar(), clock.started_at or clock.case.created_at, clock.target, weeks)
    except ValueError:  # longer than the original period
        raise InvalidInput({"weeks": "invalid_choice"}) from None
    if not reason.strip():
        raise InvalidInput({"reason": "required"})
    before = clock.due_at
    clock.extension_weeks = weeks
    recompute(clock, calendar())
    record(case, "pbl_extended", now, actor=actor, weeks=weeks, reason=reason.strip(), due_before=_iso(before),
           due_after=_iso(clock.due_at))
    refresh_case(case)
    return clock


# -- the sweep -----------------------------------------------------------------------------------------------
def sweep(now: datetime, batch: int = 1000) -> dict[str, int]:
    """Record each clock's warning and breach exactly once, and notify: the assignee (or the office) when a
    clock turns at risk, the office's leads when it is breached. Safe to run twice or concurrently: each
    clock is claimed by an UPDATE … WHERE warned_at IS NULL, which only one sweeper can win.

    Index-driven (partial indexes on pending warn/due instants), so it touches only clocks that changed state.
    Returns counts; commits.
    """
    from .unit import commit

    counts = {"warnings": 0, "breaches": 0}
    # A warning from its instant on; a breach only once the breach instant has passed (docs/domain.md "Exact
    # definitions": never at ``now > due`` — a day clock due Wednesday 17:00 is breached from Thursday 08:00).
    for kind, stamp, instant, crossed in (
            ("warnings", SlaClock.warned_at, SlaClock.warn_at, SlaClock.warn_at <= now),
            ("breaches", SlaClock.breached_at, SlaClock.breach_at, SlaClock.breach_at < now)):
        while True:
            ids = db.session.scalars(
                sa.select(SlaClock.id).where(SlaClock.stopped_at.is_(None), stamp.is_(None), crossed,
                                             SlaClock.paused_since.is_(None))
                .order_by(instant).limit(batch)
            ).all()
            if not ids:
                break
            claimed = db.session.execute(
                sa.update(SlaClock).where(SlaClock.id.in_(ids), stamp.is_(None), SlaClock.stopped_at.is_(None))
                .values({stamp: now}).returning(SlaClock.id, SlaClock.case_id, SlaClock.name, SlaClock.due_at)
            ).all()
            cases = {c.id: c for c in db.session.scalars(sa.select(Case).where(
                Case.id.in_({row.case_id for row in claimed})))}
            for row in claimed:
                case = cases[row.case_id]
                event = "sla_warning" if kind == "warnings" else "sla_breach"
                record(case, event, now, clock=row.name, due_at=_iso(row.due_at))
                add_outbox("mail", {"template": event, "case_id": case.id, "clock": row.name,
                                    "audience": "assignee" if kind == "warnings" else "leads"}, case=case, at=now)
            counts[kind] += len(claimed)
            commit()
            if len(ids) < batch:
                break
    return counts


CLOCK_EVENTS = ("clock_stopped", "clock_paused", "clock_resumed", "clock_started", "sla_warning", "sla_breach",
                "pbl_extended", "clock_waiting_for_completion", "clock_restarted")


def clock_history(events) -> dict[str, list]:
    """The clock events among a case's events (in time order; anything with ``kind`` and ``data``), per clock
    name, for the case page."""
    out: dict = {}
    for e in events:
        if e.kind in CLOCK_EVENTS:
            out.setdefault((e.data or {}).get("clock"), []).append(e)
    return out


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None
