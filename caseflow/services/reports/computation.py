"""The month's figures: what is counted, exactly (docs/domain.md "Report definitions"). Each figure is defined
once in ``domain.figures``; this computes them, per office and in total.

- A case belongs to a month by the local (Europe/Stockholm) date of the event counted, and to the office that
  held it at that event (``CaseEvent.office_id``): received by its receipt, closed by its closure, a first
  response by the response, a resolution by its stop, a survey answer by the day it was given.
- **received**: "received" events. **closed**: distinct cases with a "closed" event (closed twice: once).
- **reopen rate**: distinct cases reopened / distinct cases closed, in the month.
- **backlog**: cases received before the month's end and not closed at its end (their last closed/reopened
  event before the end is not "closed"), at the office holding them then; with their median age in days.
- **first-response time**: working hours from receipt to the first public staff message (no pauses).
- **resolution time**: working hours from receipt to the first decision, or with no decision the (last)
  closure, minus the working time the case waited on the company (every wait, on every kind of case); in the
  month of that stop, only if the case is not reopened and open again at the month's end. A closure after a
  decision is no stop.
- Both durations are computed when they happen and kept on the event that ends them (``CaseEvent.hours``,
  services.sla.response_hours / resolution_hours): the report sums facts, it does not recompute them.
- **median / p90**: linear interpolation (domain.metrics.percentile); None for an empty set.
- **share within target**: of the clocks that stopped in the month, those in time; per clock and over all. A
  clock stopped twice in the month (closed, reopened, closed) counts once, with its last verdict; one restarted
  and running at the month's end did not stop in it. Published with its counts (clocks_in_time / clocks_stopped).
- **routing misses**: reroutes away from an office in the month / cases it received in the month.
- **complaints**: complaints received (per 100 received cases, and by ground: the Insikt factor each ground maps
  to, domain.complaints) at the receiving office.
- **received by channel**: the received cases by how they came in (``Case.channel``: web form, e-mail, API,
  Open311), at the receiving office; the channels add up to **received**.
- **delay notices**, **PBL fee reductions**, **breaches**: their events in the month (a breach withdrawn by a
  correction is not counted).
- **survey**: response rate = answered / sent, by month of sending; NKI and factor indices from answers given
  in the month (every answer has its three NKI questions: a respondent), shown only with >= ``min_answers``
  respondents, else "too few", with the three question indices; a service factor's index over those who rated
  it ("vet ej" is no rating), shown from ``min_answers`` ratings (the arithmetic: domain.survey.figures).
  An office's figures sit beside the other offices' (a comparison), so there the threshold is
  ``min_answers_compare`` (never below ``min_answers``); the total's is ``min_answers``.
"""
from __future__ import annotations

import functools
import gc
import operator
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from ...domain import figures as registry
from ...domain import metrics
from ...domain import survey as survey_rules
from ...domain.calendar import BusinessCalendar
from ...domain.complaints import factor_of
from ...domain.survey import FACTORS, NKI_QUESTIONS, QUESTIONS
from ...extensions import db
from ...models import Case, CaseEvent, Office, Survey
from .. import sla, surveys
from ..authorization import require_report_reader
from ..errors import InvalidInput
from ..rows import core


def parse_month(text: str) -> date:
    try:
        y, m = (int(p) for p in (text or "").split("-"))
        return date(y, m, 1)
    except ValueError:
        raise InvalidInput({"month": "invalid_choice"}) from None


def bounds(month: date, cal: BusinessCalendar) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar month as UTC instants."""
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return (datetime.combine(month, time(0), tzinfo=cal.tz).astimezone(UTC),
            datetime.combine(nxt, time(0), tzinfo=cal.tz).astimezone(UTC))


def _blank() -> dict:
    return defaultdict(int)


COUNTED = {"received": "received", "sla_breach": "breaches", "rerouted": "reroutes", "delay_notice": "delay_notices",
           "pbl_fee_reduction": "fee_reductions"}


def _rows(stmt: sa.Select) -> list[sa.Row]:
    """Plain rows of a column query on the session's connection: no ORM result processing, which for the month's
    tens of thousands of rows cost as much as the SQL itself; all fetched at once (iterating the result fetched
    them one call per row, a third of a month's computation at a million cases)."""
    return core().execute(stmt).all()


def _collector_paused(func):  # perf: a month at a million, median 327–352 -> 227–244 ms (bench/README.md)
    """Run ``func`` with the cyclic garbage collector paused. A month's figures fetch tens of thousands of rows
    (each a tracked container) that set off collections which walk the whole heap; the rows form no cycles and
    are freed by reference counting alone. At a million cases this took 0.33 s to 0.23 s per month (bench/README.md)."""
    @functools.wraps(func)
    def paused(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()
    return paused


@_collector_paused
def compute(month: date, category_id: int | None = None, kind: str | None = None) -> dict:
    """All figures of a month, per office and in total. Counting happens in SQL; durations are the working
    hours kept on the events when they happened (``CaseEvent.hours``), so nothing is recomputed per case."""
    cal = sla.calendar()
    start, end = bounds(month, cal)
    if db.session.get_bind().dialect.name == "postgresql":
        # These scans are a few tens of milliseconds each; PostgreSQL's JIT would spend as long compiling them.
        # And each is planned for its month's bounds: once the driver has prepared a statement (after five runs
        # in a process), PostgreSQL may switch to one generic plan for any bounds, which for the backlog
        # candidates read 190,000 cases instead of 8,000 (250 ms instead of 7 ms in a 12-month trend).
        db.session.execute(sa.text("SELECT set_config('jit', 'off', true), "  # true: for this transaction only
                                   "set_config('plan_cache_mode', 'force_custom_plan', true)"))
    case_filter = []
    if category_id:
        case_filter.append(Case.category_id == category_id)
    if kind:
        case_filter.append(Case.kind == kind)

    def events(*columns, where=()):
        """The month's events, joined to their case only when a filter needs it."""
        q = sa.select(*columns).where(CaseEvent.at >= start, CaseEvent.at < end, *where)
        return q.join(Case, Case.id == CaseEvent.case_id).where(*case_filter) if case_filter else q

    counters: dict = defaultdict(_blank)
    cases_by: dict = defaultdict(lambda: defaultdict(set))
    durations: dict = defaultdict(lambda: defaultdict(list))
    clocks: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))  # office -> clock -> [in time, stopped]
    grounds: dict = defaultdict(lambda: defaultdict(int))
    channels: dict = defaultdict(lambda: defaultdict(int))

    for ev_kind, office, n in _rows(events(
            CaseEvent.kind, CaseEvent.office_id, sa.func.count(),
            where=[CaseEvent.kind.in_(COUNTED), _not_withdrawn()])
            .group_by(CaseEvent.kind, CaseEvent.office_id)):
        counters[str(office)][COUNTED[ev_kind]] += n
    # A case's "received" event is at its created_at (intake writes both from one instant): the month's
    # complaints are found by the case row (few), each with its receipt event for the office that received it,
    # probed by (case, instant) in ix_case_event_case_at instead of reading every event of the case.
    complaints = (sa.select(CaseEvent.office_id, Case.complaint_ground, sa.func.count())
                  .join(CaseEvent, sa.and_(CaseEvent.case_id == Case.id, CaseEvent.at == Case.created_at,
                                           CaseEvent.kind == "received"))
                  .where(Case.created_at >= start, Case.created_at < end, Case.kind == "complaint", *case_filter)
                  .group_by(CaseEvent.office_id, Case.complaint_ground))
    for office, ground, n in _rows(complaints):
        counters[str(office)]["complaints"] += n
        grounds[str(office)][factor_of(ground)] += n  # by the Insikt factor the ground maps to
    # The month's received cases by how they came in, at the office that received them (the same receipt event).
    by_channel = (sa.select(CaseEvent.office_id, Case.channel, sa.func.count())
                  .join(CaseEvent, sa.and_(CaseEvent.case_id == Case.id, CaseEvent.at == Case.created_at,
                                           CaseEvent.kind == "received"))
                  .where(Case.created_at >= start, Case.created_at < end, *case_filter)
                  .group_by(CaseEvent.office_id, Case.channel))
    for office, channel, n in _rows(by_channel):
        channels[str(office)][channel] += n
    for office, name, ok, n in _clock_verdicts(events, end):
        c = clocks[str(office)][name]
        c[0] += n if ok else 0
        c[1] += n
    for office, hours in _rows(events(
            CaseEvent.office_id, CaseEvent.hours,
            where=[CaseEvent.kind == "first_response", CaseEvent.hours.is_not(None)])):
        durations[str(office)]["first_response"].append(hours)
    stops: dict[int, tuple] = {}  # case -> (office, kind, hours) of the month's resolution stop
    for ev_kind, office, case_id, hours in _rows(events(
            CaseEvent.kind, CaseEvent.office_id, CaseEvent.case_id, CaseEvent.hours,
            where=[CaseEvent.kind.in_(("closed", "reopened", "decided"))]).order_by(CaseEvent.at, CaseEvent.id)):
        o = str(office)
        if ev_kind != "decided":
            cases_by[o][ev_kind].add(case_id)
        # The resolution stop: the first decision, else the month's last closure (rows come in time order).
        if hours is not None and ev_kind != "reopened" and stops.get(case_id, ("", ""))[1] != "decided":
            stops[case_id] = (o, ev_kind, hours)
    candidates = _backlog_candidates(end, case_filter)
    changed = _changed_cases(list(candidates))
    for case_id in _reopened_and_open(stops, candidates, changed, end):
        del stops[case_id]  # reopened and open at the month's end: no resolution time this month
    for o, _kind, hours in stops.values():
        durations[o]["resolution"].append(hours)
    backlog = _backlog(end, candidates, changed)
    survey = _survey_figures(start, end, category_id, kind)

    offices = {str(o.id): o.name for o in db.session.scalars(sa.select(Office).order_by(Office.name))}
    per_office = {}
    for oid in offices:
        per_office[oid] = _figures(counters[oid], cases_by[oid], durations[oid], clocks[oid], grounds[oid],
                                   backlog.get(oid, []), survey.get(oid), channels[oid])
    total = _figures(
        _sum(counters.values()), _union(cases_by.values()), _concat(durations.values()), _merge_clocks(clocks),
        _sum(grounds.values()), [a for ages in backlog.values() for a in ages], survey.get("total"),
        _sum(channels.values()))
    return {"month": month.strftime("%Y-%m"), "definitions_version": metrics.DEFINITIONS_VERSION,
            "filters": {"category_id": category_id, "kind": kind}, "offices": per_office, "office_names": offices,
            "total": total}


def _not_withdrawn():
    """Events a correction withdrew (a breach the sweep recorded before the breach instant) count for nothing."""
    return CaseEvent.data["withdrawn"].as_boolean().is_not(True)


def _clock_verdicts(events, end: datetime) -> list[tuple]:
    """(office, clock, in time, count) of the clocks that stopped in the month, each counted once with the verdict
    of its last stop in the month; a clock restarted by a reopening and still running at the month's end did not
    stop in it. Only cases with a restart in the month need their events read one by one."""
    clock_name, in_time = CaseEvent.data["clock"].as_string(), CaseEvent.data["in_time"].as_boolean()
    restarted = sorted({cid for (cid,) in _rows(events(CaseEvent.case_id, where=[
        CaseEvent.kind == "clock_restarted"]))})
    plain = [CaseEvent.kind == "clock_stopped", in_time.is_not(None)]
    if restarted:
        plain.append(CaseEvent.case_id.not_in(restarted))
    out = [tuple(r) for r in _rows(events(CaseEvent.office_id, clock_name, in_time, sa.func.count(), where=plain)
                                   .group_by(CaseEvent.office_id, clock_name, in_time))]
    if restarted:
        last: dict = {}  # (case, clock) -> (office, in time) of its last stop, or None after a restart
        for kind, office, case_id, name, ok in _rows(events(
                CaseEvent.kind, CaseEvent.office_id, CaseEvent.case_id, clock_name, in_time,
                where=[CaseEvent.case_id.in_(restarted), CaseEvent.kind.in_(("clock_stopped", "clock_restarted"))])
                .order_by(CaseEvent.at, CaseEvent.id)):
            last[(case_id, name)] = (office, ok) if kind == "clock_stopped" and ok is not None else None
        for (_case_id, name), stop in last.items():
            if stop is not None:
                office, ok = stop
                out.append((office, name, ok, 1))
    return out


def _backlog_candidates(end: datetime, case_filter: list) -> dict[int, tuple[int, datetime]]:
    """Cases received before ``end`` whose row says they were not closed at ``end``: case -> (office, received).

    ``closed_at`` is a case's latest closure and a reopening clears it, so a case with ``closed_at`` before the
    end was closed at the end; the others are open at the end unless their history says otherwise."""
    return {cid: (office, created) for cid, office, created in _rows(
        sa.select(Case.id, Case.office_id, Case.created_at).where(
            Case.created_at < end, sa.or_(Case.closed_at.is_(None), Case.closed_at >= end), *case_filter))}


def _changed_cases(case_ids: list[int]) -> dict[str, set[int]]:
    """Of these cases, those whose history is not told by their row alone: {"reopened": ..., "rerouted": ...}
    (closed more than once; held by more than one office). Probed per case through ix_case_event_case_at."""
    found: dict[str, set[int]] = {"reopened": set(), "rerouted": set()}
    if case_ids:
        for case_id, kind in _rows(sa.select(CaseEvent.case_id, CaseEvent.kind).where(
                _ids_condition(case_ids), CaseEvent.kind.in_(tuple(found))).distinct()):
            found[kind].add(case_id)
    return found


def _reopened_and_open(stops: dict, candidates: dict, changed: dict, end: datetime) -> set[int]:
    """Cases whose month's resolution stop is a closure but which were reopened and open at ``end``. Such a
    case is a backlog candidate (closed after ``end`` or not at all) that was ever reopened."""
    ids = sorted(cid for cid in changed["reopened"] if cid in stops and stops[cid][1] == "closed"
                 and cid in candidates)
    if not ids:
        return set()
    return {cid for cid, kind in _last_event(ids, end, ("closed", "reopened")) if kind == "reopened"}


def _ids_condition(case_ids: list[int]):
    """An event of one of these cases: on PostgreSQL one array parameter (= ANY), so the planner probes
    ix_case_event_case_at instead of hashing the whole table."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return CaseEvent.case_id == sa.any_(sa.cast(sa.literal(case_ids, ARRAY(sa.Integer)), ARRAY(sa.Integer)))
    return CaseEvent.case_id.in_(case_ids)


def _last_event(case_ids, end: datetime, kinds=None, column=CaseEvent.kind):
    """(case_id, column) of each case's last event before ``end`` (optionally of some kinds), in SQL."""
    conds = [_ids_condition(case_ids), CaseEvent.at < end]
    if kinds:
        conds.append(CaseEvent.kind.in_(kinds))
    ranked = sa.select(CaseEvent.case_id, column.label("value"), sa.func.row_number().over(
        partition_by=CaseEvent.case_id, order_by=(CaseEvent.at.desc(), CaseEvent.id.desc())).label("rn")) \
        .where(*conds).subquery()
    return _rows(sa.select(ranked.c.case_id, ranked.c.value).where(ranked.c.rn == 1))


def _backlog(end: datetime, candidates: dict, changed: dict) -> dict[str, list[float]]:
    """Open at the month's end, per office holding the case then, as ages in days.

    For nearly all candidates the row is the answer, at their own office; only candidates that were ever
    reopened or rerouted are checked in the event log (last closed/reopened event, office holding the case after
    its last event)."""
    out: dict[str, list[float]] = defaultdict(list)
    to_check = changed["reopened"] | changed["rerouted"]
    for cid, (office, created) in candidates.items():
        if cid not in to_check:
            out[str(office)].append((end - created) / timedelta(days=1))
    if to_check:
        ids = sorted(to_check)
        closed_at_end = {cid for cid, kind in _last_event(ids, end, ("closed", "reopened")) if kind == "closed"}
        # The office holding the case after its last event: a reroute is recorded on the office that sent the
        # case on (its routing miss), but from then on the receiving office holds it.
        holder = sa.case((CaseEvent.kind == "rerouted", CaseEvent.data["to_office_id"].as_integer()),
                         else_=CaseEvent.office_id)
        for cid, office in _last_event(ids, end, column=holder):
            if cid not in closed_at_end:
                out[str(office)].append((end - candidates[cid][1]) / timedelta(days=1))
    return out


def _survey_figures(start: datetime, end: datetime, category_id, kind) -> dict:
    filters = []
    if category_id:
        filters.append(Survey.category_id == category_id)
    if kind:
        filters.append(Survey.kind == kind)
    settings = surveys.settings()
    out: dict = {}
    sent = _rows(sa.select(Survey.office_id, Survey.answered_at).where(
        Survey.sent_at >= start, Survey.sent_at < end, *filters))
    answered = db.session.scalars(sa.select(Survey).where(
        Survey.answered_at >= start, Survey.answered_at < end, *filters)).all()
    groups: dict = defaultdict(lambda: {"sent": 0, "answered_of_sent": 0, "answers": []})
    for office, answered_at in sent:
        for key in (str(office), "total"):
            groups[key]["sent"] += 1
            groups[key]["answered_of_sent"] += answered_at is not None
    for s in answered:
        for key in (str(s.office_id), "total"):
            groups[key]["answers"].append(s)
    # An office's figures stand beside the other offices' (a comparison): they need min_answers_compare, never
    # fewer than a figure shown alone; the total needs min_answers.
    per_office = max(settings.min_answers, settings.min_answers_compare)
    for key, g in groups.items():
        answers = [{q: getattr(s, q) for q in QUESTIONS} for s in g["answers"]]
        least = settings.min_answers if key == "total" else per_office
        fig = survey_rules.figures(answers, s_scale(g), settings.nki_weights, least)
        out[key] = {
            "surveys_sent": g["sent"], "surveys_answered": g["answered_of_sent"],
            "response_rate": metrics.share(g["answered_of_sent"], g["sent"]),
            "respondents": fig.respondents, "too_few_answers": fig.too_few_answers,
            "nki": fig.nki, "nki_grade": metrics.grade(fig.nki),
            "nki_question_indices": fig.question_indices,
            "factor_ratings": fig.factor_ratings, "factor_indices": fig.factor_indices,
        }
    return out


def s_scale(group) -> int:
    """The answers' scale (surveys keep the k they were sent with; a month mixes none in practice)."""
    return group["answers"][0].scale if group["answers"] else 6


def _figures(counts, case_sets, durs, clock_counts, grounds, backlog_ages, survey, channels) -> dict:
    closed, reopened = len(case_sets.get("closed", ())), len(case_sets.get("reopened", ()))
    per_clock = {name: clock_counts.get(name, (0, 0)) for name in (*registry.CLOCKS, *clock_counts)}
    within = {name: metrics.share(ok, n) for name, (ok, n) in per_clock.items()}
    ok_all = sum(ok for ok, _n in clock_counts.values())
    n_all = sum(n for _ok, n in clock_counts.values())
    fr, res = durs.get("first_response", []), durs.get("resolution", [])
    figures = {
        "received": counts.get("received", 0), "closed": closed, "reopened": reopened,
        "reopen_rate": metrics.share(reopened, closed),
        "backlog": len(backlog_ages), "backlog_median_age_days": _round(metrics.median(backlog_ages)),
        "first_response_n": len(fr), "first_response_median_h": _round(metrics.median(fr)),
        "first_response_p90_h": _round(metrics.percentile(fr, 0.9)),
        "resolution_n": len(res), "resolution_median_h": _round(metrics.median(res)),
        "resolution_p90_h": _round(metrics.percentile(res, 0.9)),
        "clocks_in_time": ok_all, "clocks_stopped": n_all, "within_target": metrics.share(ok_all, n_all),
        "within_target_by_clock": within,
        "clock_counts": {name: {"in_time": ok, "stopped": n} for name, (ok, n) in per_clock.items()},
        "breaches": counts.get("breaches", 0), "reroutes": counts.get("reroutes", 0),
        "routing_miss_rate": metrics.share(counts.get("reroutes", 0), counts.get("received", 0)),
        "complaints": counts.get("complaints", 0),
        "complaints_per_100": (100 * counts.get("complaints", 0) / counts["received"])
        if counts.get("received") else None,
        "complaints_by_ground": dict(grounds),
        "received_by_channel": {c: channels.get(c, 0) for c in registry.CHANNELS},
        "delay_notices": counts.get("delay_notices", 0), "fee_reductions": counts.get("fee_reductions", 0),
    }
    figures.update(survey or {"surveys_sent": 0, "surveys_answered": 0, "response_rate": None, "respondents": 0,
                              "too_few_answers": True, "nki": None, "nki_grade": None,
                              "nki_question_indices": {q: None for q in NKI_QUESTIONS},
                              "factor_ratings": {f: 0 for f in FACTORS}, "factor_indices": {f: None for f in FACTORS}})
    return figures


def _round(v):
    return None if v is None else round(v, 2)


def _merge(dicts, factory, add):
    """Merge per-office dicts into one: values under the same key are combined with ``add``."""
    out = defaultdict(factory)
    for d in dicts:
        for k, v in d.items():
            out[k] = add(out[k], v)
    return out


def _sum(dicts):
    return _merge(dicts, int, operator.add)


def _union(dicts):
    return _merge(dicts, set, operator.or_)


def _concat(dicts):
    return _merge(dicts, list, operator.add)


def _merge_clocks(per_office):
    return _merge(per_office.values(), lambda: [0, 0], lambda a, b: [a[0] + b[0], a[1] + b[1]])




def previous_month(today: date) -> date:
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def drilldown(user, month: date, metric: str, office_id: int | None) -> list[Case]:
    """The cases behind a count: those with the figure's event in the month (at that office)."""
    require_report_reader(user)
    kind = registry.DRILL.get(metric)
    if kind is None:
        raise InvalidInput({"metric": "invalid_choice"})
    start, end = bounds(month, sla.calendar())
    q = sa.select(Case).join(CaseEvent, CaseEvent.case_id == Case.id).where(
        CaseEvent.kind == kind, CaseEvent.at >= start, CaseEvent.at < end, _not_withdrawn())
    if office_id:
        q = q.where(CaseEvent.office_id == office_id)
    if metric == "complaints":
        q = q.where(Case.kind == "complaint")
    return list(db.session.scalars(q.order_by(Case.created_at).distinct().limit(1000)))
