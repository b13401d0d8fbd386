"""Monthly SLA report and Handslaget follow-up: what is counted, exactly (DOMAIN.md "Report definitions").

- A case belongs to a month by the local (Europe/Stockholm) date of the event counted, and to the office that
  held it at that event (``CaseEvent.office_id``): received by its receipt, closed by its closure, a first
  response by the response, a resolution by its stop, a survey answer by the day it was given.
- **received**: "received" events. **closed**: distinct cases with a "closed" event (closed twice: once).
- **reopen rate**: distinct cases reopened / distinct cases closed, in the month.
- **backlog**: cases received before the month's end and not closed at its end (their last closed/reopened
  event before the end is not "closed"), at the office holding them then; with their median age in days.
- **first-response time**: working hours from receipt to the first public staff message (no pauses).
- **resolution time**: working hours from receipt to the first decision, or with no decision the (last)
  closure, minus the resolution clock's paused working time; in the month of that stop, only if the case is not
  reopened and open again at the month's end. A closure after a decision is no stop.
- Both durations are computed when they happen and kept on the event that ends them (``CaseEvent.hours``,
  services.sla.response_hours / resolution_hours): the report sums facts, it does not recompute them.
- **median / p90**: linear interpolation (domain.metrics.percentile); None for an empty set.
- **share within target**: of the clocks that stopped in the month, those in time; per clock and over all.
- **routing misses**: reroutes away from an office in the month / cases it received in the month.
- **complaints**: complaints received (per 100 received cases, and by ground) at the receiving office.
- **delay notices**, **PBL fee reductions**, **breaches**: their events in the month.
- **survey**: response rate = answered / sent, by month of sending; NKI and factor indices from answers given
  in the month (whole answers only), shown only with >= ``min_answers`` respondents, else "too few".
"""
from __future__ import annotations

import csv
import functools
import gc
import hashlib
import io
import json
import operator
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from ..domain import metrics
from ..domain.calendar import BusinessCalendar
from ..extensions import db
from ..models import Case, CaseEvent, HandslagetMeasure, MonthlyReport, Office, Survey
from ..models.survey import FACTORS, NKI_QUESTIONS
from . import sla, surveys
from .errors import Forbidden, InvalidInput
from .unit import add_outbox, commit, core


def require_reader(user) -> None:
    if user is None or not getattr(user, "is_authenticated", False) or \
            getattr(user, "role", None) not in ("analyst", "lead", "admin"):
        raise Forbidden("reports")


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


def _collector_paused(func):
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

    for ev_kind, office, n in _rows(events(
            CaseEvent.kind, CaseEvent.office_id, sa.func.count(), where=[CaseEvent.kind.in_(COUNTED)])
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
        grounds[str(office)][ground or "other"] += n
    clock_name, in_time = CaseEvent.data["clock"].as_string(), CaseEvent.data["in_time"].as_boolean()
    for office, name, ok, n in _rows(events(
            CaseEvent.office_id, clock_name, in_time, sa.func.count(),
            where=[CaseEvent.kind == "clock_stopped", in_time.is_not(None)])
            .group_by(CaseEvent.office_id, clock_name, in_time)):
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
                                   backlog.get(oid, []), survey.get(oid))
    total = _figures(
        _sum(counters.values()), _union(cases_by.values()), _concat(durations.values()), _merge_clocks(clocks),
        _sum(grounds.values()), [a for ages in backlog.values() for a in ages], survey.get("total"))
    return {"month": month.strftime("%Y-%m"), "definitions_version": metrics.DEFINITIONS_VERSION,
            "filters": {"category_id": category_id, "kind": kind}, "offices": per_office, "office_names": offices,
            "total": total}


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
    reopened or rerouted are checked in the event log (last closed/reopened event, office of the last event)."""
    out: dict[str, list[float]] = defaultdict(list)
    to_check = changed["reopened"] | changed["rerouted"]
    for cid, (office, created) in candidates.items():
        if cid not in to_check:
            out[str(office)].append((end - created) / timedelta(days=1))
    if to_check:
        ids = sorted(to_check)
        closed_at_end = {cid for cid, kind in _last_event(ids, end, ("closed", "reopened")) if kind == "closed"}
        for cid, office in _last_event(ids, end, column=CaseEvent.office_id):
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
    for key, g in groups.items():
        n = len(g["answers"])
        enough = n >= settings.min_answers
        q_idx = [metrics.question_index([getattr(s, q) for s in g["answers"]], s_scale(g)) for q in NKI_QUESTIONS]
        value = metrics.nki(q_idx, settings.nki_weights) if enough else None
        out[key] = {
            "surveys_sent": g["sent"], "surveys_answered": g["answered_of_sent"],
            "response_rate": metrics.share(g["answered_of_sent"], g["sent"]),
            "respondents": n, "too_few_answers": not enough,
            "nki": value, "nki_grade": metrics.grade(value),
            "factor_indices": {f: (metrics.question_index([getattr(s, f"f_{f}") for s in g["answers"]], s_scale(g))
                                   if enough else None) for f in FACTORS},
        }
    return out


def s_scale(group) -> int:
    """The answers' scale (surveys keep the k they were sent with; a month mixes none in practice)."""
    return group["answers"][0].scale if group["answers"] else 6


def _figures(counts, case_sets, durs, clock_counts, grounds, backlog_ages, survey) -> dict:
    closed, reopened = len(case_sets.get("closed", ())), len(case_sets.get("reopened", ()))
    within = {name: metrics.share(ok, n) for name, (ok, n) in clock_counts.items()}
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
        "clocks_stopped": n_all, "within_target": metrics.share(ok_all, n_all), "within_target_by_clock": within,
        "breaches": counts.get("breaches", 0), "reroutes": counts.get("reroutes", 0),
        "routing_miss_rate": metrics.share(counts.get("reroutes", 0), counts.get("received", 0)),
        "complaints": counts.get("complaints", 0),
        "complaints_per_100": (100 * counts.get("complaints", 0) / counts["received"])
        if counts.get("received") else None,
        "complaints_by_ground": dict(grounds),
        "delay_notices": counts.get("delay_notices", 0), "fee_reductions": counts.get("fee_reductions", 0),
    }
    figures.update(survey or {"surveys_sent": 0, "surveys_answered": 0, "response_rate": None, "respondents": 0,
                              "too_few_answers": True, "nki": None, "nki_grade": None,
                              "factor_indices": {f: None for f in FACTORS}})
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


# -- frozen snapshots ------------------------------------------------------------------------------------------
def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def freeze(month: date, now: datetime, label: str = "") -> tuple[MonthlyReport, bool]:
    """Store the month's report as an immutable snapshot. Running it again with the same figures returns the
    existing snapshot (no new row); changed figures (a late correction) become a new, labelled revision.
    Returns (snapshot, created). The recipients get a mail when a snapshot is created."""
    data = compute(month)
    digest = _digest(data)
    key = month.strftime("%Y-%m")
    latest = db.session.scalar(sa.select(MonthlyReport).where(MonthlyReport.month == key)
                               .order_by(MonthlyReport.revision.desc()).limit(1))
    if latest is not None and latest.digest == digest:
        return latest, False
    revision = 1 if latest is None else latest.revision + 1
    snap = MonthlyReport(month=key, revision=revision, created_at=now, definitions_version=metrics.DEFINITIONS_VERSION,
                         label=label or ("" if revision == 1 else f"Revision {revision}"), data=data, digest=digest)
    db.session.add(snap)
    db.session.flush()
    for to in [r.strip() for r in (surveys.settings().recipients or "").split(",") if r.strip()]:
        add_outbox("mail", {"template": "monthly_report", "to": to, "lang": "sv", "report_id": snap.id}, at=now)
    commit()
    return snap, True


def has_snapshot(month: date) -> bool:
    return db.session.scalar(sa.select(MonthlyReport.id).where(
        MonthlyReport.month == month.strftime("%Y-%m")).limit(1)) is not None


def snapshots(user, month: str | None = None) -> list[MonthlyReport]:
    require_reader(user)
    q = sa.select(MonthlyReport).order_by(MonthlyReport.month.desc(), MonthlyReport.revision.desc())
    if month:
        q = q.where(MonthlyReport.month == month)
    return list(db.session.scalars(q.limit(200)))


def previous_month(today: date) -> date:
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


# -- reading --------------------------------------------------------------------------------------------------
def month_view(user, month: date, category_id: int | None = None, kind: str | None = None) -> dict:
    """The month's figures: the frozen snapshot when one exists (and no filter is set), else computed live."""
    require_reader(user)
    if not category_id and not kind:
        snap = db.session.scalar(sa.select(MonthlyReport).where(MonthlyReport.month == month.strftime("%Y-%m"))
                                 .order_by(MonthlyReport.revision.desc()).limit(1))
        if snap is not None:
            return dict(snap.data, frozen={"revision": snap.revision, "created_at": snap.created_at.isoformat(),
                                           "label": snap.label})
    return dict(compute(month, category_id, kind), frozen=None)


def trend(user, last_month: date, months: int = 12, category_id=None, kind=None) -> list[dict]:
    """The totals of the last ``months`` months, oldest first."""
    require_reader(user)
    out, m = [], last_month
    for _ in range(months):
        out.append(month_view(user, m, category_id, kind))
        m = previous_month(m)
    return list(reversed(out))


DRILL = ("received", "closed", "breaches", "complaints", "reroutes", "delay_notices")


def drilldown(user, month: date, metric: str, office_id: int | None) -> list[Case]:
    """The cases behind a count: those with the metric's event in the month (at that office)."""
    require_reader(user)
    if metric not in DRILL:
        raise InvalidInput({"metric": "invalid_choice"})
    start, end = bounds(month, sla.calendar())
    kind = {"received": "received", "closed": "closed", "breaches": "sla_breach", "complaints": "received",
            "reroutes": "rerouted", "delay_notices": "delay_notice"}[metric]
    q = sa.select(Case).join(CaseEvent, CaseEvent.case_id == Case.id).where(
        CaseEvent.kind == kind, CaseEvent.at >= start, CaseEvent.at < end)
    if office_id:
        q = q.where(CaseEvent.office_id == office_id)
    if metric == "complaints":
        q = q.where(Case.kind == "complaint")
    return list(db.session.scalars(q.order_by(Case.created_at).distinct().limit(1000)))


# -- exports --------------------------------------------------------------------------------------------------
COLUMNS = ["received", "closed", "backlog", "backlog_median_age_days", "first_response_median_h",
           "first_response_p90_h", "resolution_median_h", "resolution_p90_h", "within_target", "breaches",
           "reroutes", "routing_miss_rate", "reopen_rate", "complaints", "complaints_per_100", "delay_notices",
           "fee_reductions", "surveys_sent", "response_rate", "respondents", "nki"]


def table_rows(report: dict) -> list[list]:
    rows = []
    for oid, name in report["office_names"].items():
        f = report["offices"][oid]
        rows.append([name] + [f.get(c) for c in COLUMNS])
    rows.append(["Totalt"] + [report["total"].get(c) for c in COLUMNS])
    return rows


def _cell(v):
    """Spreadsheet-safe: text that a spreadsheet would run as a formula is prefixed with a quote."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def to_csv(report: dict) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";")
    w.writerow(["office"] + COLUMNS)
    for row in table_rows(report):
        w.writerow([_cell(v) if v is not None else "" for v in row])
    return buf.getvalue()


def to_xlsx(report: dict) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = report["month"]
    ws.append(["office"] + COLUMNS)
    for row in table_rows(report):
        ws.append([_cell(v) for v in row])
    grounds = wb.create_sheet("complaints_by_ground")
    grounds.append(["office", "ground", "complaints"])
    for oid, name in report["office_names"].items():
        for ground, n in sorted(report["offices"][oid]["complaints_by_ground"].items()):
            grounds.append([_cell(name), ground, n])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- Handslaget ------------------------------------------------------------------------------------------------
DEFAULT_MEASURES = [
    (1, "1.1", "Servicegaranti: andel svar och beslut inom utlovad tid", "within_target", 0.9, True),
    (1, "1.2", "Tydlig klagomålsprocess: klagomål per 100 ärenden", "complaints_per_100", 5.0, False),
    (1, "1.3", "Digital kundresa: svarsfrekvens i uppföljningen", "response_rate", 0.4, True),
    (1, "1.4", "Nöjd kund (NKI) i företagsärenden", "nki", 75.0, True),
    (1, "1.5", "Snabb handläggning: median första svar (arbetstimmar)", "first_response_median_h", 9.0, False),
    (2, "2.1", "En väg in: andel ärenden rätt styrda från början (1 − felstyrning)", "routing_right_rate", 0.95,
     True),
]


def seed_measures() -> None:
    for handslag, code, title, kpi, target, higher in DEFAULT_MEASURES:
        db.session.add(HandslagetMeasure(handslag=handslag, code=code, title=title, kpi=kpi, target=target,
                                         higher_is_better=higher))


def kpi_value(totals: dict, kpi: str):
    if kpi == "routing_right_rate":
        miss = totals.get("routing_miss_rate")
        return None if miss is None else 1 - miss
    return totals.get(kpi)


def status_of(value, target: float, higher: bool, margin: float) -> str:
    """on_track, at_risk (within the margin of the target on the wrong side) or off_track; no_data."""
    if value is None:
        return "no_data"
    if (value >= target) if higher else (value <= target):
        return "on_track"
    near = target * (1 - margin) if higher else target * (1 + margin)
    return "at_risk" if ((value >= near) if higher else (value <= near)) else "off_track"


def handslaget(user, last_month: date, months: int = 12) -> dict:
    """Each measure's KPI, target and status per month, for the dashboard and the exports."""
    series = trend(user, last_month, months)
    measures = db.session.scalars(sa.select(HandslagetMeasure).where(HandslagetMeasure.active.is_(True))
                                  .order_by(HandslagetMeasure.code)).all()
    out = []
    for m in measures:
        points = []
        for rep in series:
            v = kpi_value(rep["total"], m.kpi)
            points.append({"month": rep["month"], "value": v,
                           "status": status_of(v, m.target, m.higher_is_better, m.at_risk_margin)})
        out.append({"code": m.code, "handslag": m.handslag, "title": m.title, "kpi": m.kpi, "target": m.target,
                    "higher_is_better": m.higher_is_better, "months": points})
    return {"generated_for": last_month.strftime("%Y-%m"), "definitions_version": metrics.DEFINITIONS_VERSION,
            "measures": out}


def handslaget_csv(data: dict) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";")
    w.writerow(["code", "handslag", "title", "kpi", "target", "month", "value", "status"])
    for m in data["measures"]:
        for p in m["months"]:
            w.writerow([_cell(m["code"]), m["handslag"], _cell(m["title"]), _cell(m["kpi"]), m["target"], p["month"],
                        "" if p["value"] is None else p["value"], p["status"]])
    return buf.getvalue()
