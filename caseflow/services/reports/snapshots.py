"""Published months: frozen, revisioned snapshots of the figures, never rewritten.

A correction of the past (a late event, a corrected definition) never changes what was published: the snapshots
page says which published months the live figures now differ from, and publishing again makes a new revision
that lists what changed.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import sqlalchemy as sa

from ...domain import figures as registry
from ...domain import metrics
from ...extensions import db
from ...models import MonthlyReport
from .. import sla, surveys
from ..authorization import require_report_publisher, require_report_reader
from ..dispatch import add_outbox
from ..errors import InvalidInput
from ..unit import commit
from .computation import compute, previous_month


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _latest(key: str) -> MonthlyReport | None:
    return db.session.scalar(sa.select(MonthlyReport).where(MonthlyReport.month == key)
                             .order_by(MonthlyReport.revision.desc()).limit(1))


def changes(before: dict, after: dict) -> list[dict]:
    """The figures that differ between two reports of a month, per office (by name) and in total."""
    out = []
    names = dict(after.get("office_names", {}))
    for oid, name in before.get("office_names", {}).items():
        names.setdefault(oid, name)
    scopes = [("total", None, before.get("total", {}), after.get("total", {}))] + [
        ("office", names[oid], before.get("offices", {}).get(oid, {}), after.get("offices", {}).get(oid, {}))
        for oid in names]
    for scope, name, old, new in scopes:
        for f in registry.FIGURES:
            a, b = _lookup(old, f.key), _lookup(new, f.key)
            if a != b:
                out.append({"scope": scope, "office": name, "figure": f.key, "before": a, "after": b})
    return out


def _lookup(figures: dict, key: str):
    try:
        return registry.path(figures, key)
    except registry.UnknownFigure:  # a snapshot published before the figure was defined
        return None


def freeze(month: date, now: datetime, label: str = "") -> tuple[MonthlyReport, bool]:
    """Store the month's report as an immutable snapshot. Running it again with the same figures returns the
    existing snapshot (no new row); changed figures (a late correction) become a new, labelled revision that
    lists what changed. Returns (snapshot, created). The recipients get a mail when a snapshot is created."""
    data = compute(month)
    digest = _digest(data)
    latest = _latest(month.strftime("%Y-%m"))
    if latest is not None and latest.digest == digest:
        return latest, False
    revision = 1 if latest is None else latest.revision + 1
    if latest is not None:
        data = dict(data, changes={"from_revision": latest.revision, "figures": changes(latest.data, data)})
    snap = MonthlyReport(month=data["month"], revision=revision, created_at=now,
                         definitions_version=metrics.DEFINITIONS_VERSION,
                         label=label, data=data, digest=digest)  # no default: the revision says which one
    db.session.add(snap)
    db.session.flush()
    for to in [r.strip() for r in (surveys.settings().recipients or "").split(",") if r.strip()]:
        add_outbox("mail", {"template": "monthly_report", "to": to, "lang": "sv", "report_id": snap.id}, at=now)
    commit()
    return snap, True


def publish(user, month: date, now: datetime, label: str = "") -> tuple[MonthlyReport, bool]:
    """``freeze`` on a person's behalf: analysts and administrators publish a month (Forbidden for others), once
    it is over — a month still running (or to come) would be frozen with figures that keep changing
    (InvalidInput ``month_not_over``)."""
    require_report_publisher(user)
    today = now.astimezone(sla.calendar().tz).date()
    if (month.year, month.month) >= (today.year, today.month):
        raise InvalidInput({"month": "month_not_over"})
    return freeze(month, now, label)


def has_snapshot(month: date) -> bool:
    return db.session.scalar(sa.select(MonthlyReport.id).where(
        MonthlyReport.month == month.strftime("%Y-%m")).limit(1)) is not None


def snapshots(user, month: str | None = None) -> list[MonthlyReport]:
    require_report_reader(user)
    q = sa.select(MonthlyReport).order_by(MonthlyReport.month.desc(), MonthlyReport.revision.desc())
    if month:
        q = q.where(MonthlyReport.month == month)
    return list(db.session.scalars(q.limit(200)))


STALE_CHECK_MONTHS = 12  # each month checked is one month's computation (about 0.25 s at a million cases)


def stale_months(user, snaps: list[MonthlyReport]) -> dict[str, list[dict]]:
    """Of the ``STALE_CHECK_MONTHS`` most recent published months, those whose latest revision differs from the
    figures computed now: month -> the changes that publishing again would record."""
    require_report_reader(user)
    out, seen = {}, set()
    for snap in snaps:  # newest month first, newest revision of a month first
        if snap.month in seen:
            continue
        if len(seen) == STALE_CHECK_MONTHS:
            break
        seen.add(snap.month)
        live = compute(date.fromisoformat(snap.month + "-01"))
        if _digest(live) != snap.digest:
            out[snap.month] = changes(snap.data, live)
    return out


def month_view(user, month: date, category_id: int | None = None, kind: str | None = None) -> dict:
    """The month's figures: the frozen snapshot when one exists (and no filter is set), else computed live."""
    require_report_reader(user)
    if not category_id and not kind:
        snap = _latest(month.strftime("%Y-%m"))
        if snap is not None:
            return dict(snap.data, frozen={"revision": snap.revision, "created_at": snap.created_at.isoformat(),
                                           "label": snap.label})
    return dict(compute(month, category_id, kind), frozen=None)


def trend(user, last_month: date, months: int = 12, category_id=None, kind=None) -> list[dict]:
    """The reports of the last ``months`` months (published where published), oldest first."""
    require_report_reader(user)
    out, m = [], last_month
    for _ in range(months):
        out.append(month_view(user, m, category_id, kind))
        m = previous_month(m)
    return list(reversed(out))
