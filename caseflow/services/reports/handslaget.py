"""The Handslaget follow-up: each measure's KPI (a report figure), its target and status, month by month."""
from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa

from ...domain import metrics
from ...extensions import db
from ...models import HandslagetMeasure
from .exports import _cell
from .snapshots import trend

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
