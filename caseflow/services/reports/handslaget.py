"""The Handslaget follow-up: each measure's KPI (a report figure), its target and status, month by month."""
from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa

from ...domain import figures as registry
from ...domain import metrics, numbers
from ...extensions import db
from ...models import HandslagetMeasure
from .exports import BOM, _cell, _word, csv_dialect
from .snapshots import trend

# (handslag, code, action point in Swedish, in English, KPI, target, higher is better)
DEFAULT_MEASURES = [
    (1, "1.1", "Servicegaranti: andel svar och beslut inom utlovad tid",
     "Service guarantee: share of answers and decisions within the promised time", "within_target", 0.9, True),
    (1, "1.2", "Tydlig klagomålsprocess: klagomål per 100 ärenden",
     "Clear complaints process: complaints per 100 cases", "complaints_per_100", 5.0, False),
    (1, "1.3", "Digital kundresa: svarsfrekvens i uppföljningen",
     "Digital customer journey: response rate of the follow-up survey", "response_rate", 0.4, True),
    (1, "1.4", "Nöjd kund (NKI) i företagsärenden", "Customer satisfaction (NKI) in business cases", "nki", 75.0,
     True),
    (1, "1.5", "Snabb handläggning: median första svar (arbetstimmar)",
     "Fast handling: median first response (working hours)", "first_response_median_h", 9.0, False),
    (2, "2.1", "En väg in: andel ärenden rätt styrda från början (1 − felstyrning)",
     "One way in: share of cases routed right the first time (1 − misrouting)", "routing_right_rate", 0.95,
     True),
]


def seed_measures() -> None:
    for handslag, code, title, title_en, kpi, target, higher in DEFAULT_MEASURES:
        db.session.add(HandslagetMeasure(handslag=handslag, code=code, title=title, title_en=title_en, kpi=kpi,
                                         target=target, higher_is_better=higher))


def kpi_unit(kpi: str) -> str:
    """The unit of a measure's KPI (so its value and target are written as the figure is): a report figure's
    own, a share for the share routed right; an unknown KPI is an index (a bare number)."""
    if kpi == "routing_right_rate":
        return registry.SHARE
    return registry.figure(kpi).unit if kpi in registry.BY_KEY else registry.INDEX


# The one measure that is not a report figure itself, with its labels.
_DERIVED = {"routing_right_rate": ("Andel rätt styrda från början", "Share routed right the first time")}


def kpi_label(kpi: str, language: str) -> str:
    """The measure's KPI in words (a report figure's label); an unknown KPI as it is stored."""
    if kpi in _DERIVED:
        return _DERIVED[kpi][1 if language == "en" else 0]
    return registry.figure(kpi).label(language) if kpi in registry.BY_KEY else kpi


def title_of(measure: dict, language: str) -> str:
    """A measure's action point in ``language``: its English title where one is set, else the Swedish."""
    return measure.get("title_en") or measure["title"] if language == "en" else measure["title"]


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
        out.append({"code": m.code, "handslag": m.handslag, "title": m.title, "title_en": m.title_en,
                    "kpi": m.kpi, "unit": kpi_unit(m.kpi),
                    "target": m.target,
                    "higher_is_better": m.higher_is_better, "months": points})
    return {"generated_for": last_month.strftime("%Y-%m"), "definitions_version": metrics.DEFINITIONS_VERSION,
            "measures": out}


def handslaget_csv(data: dict, language: str = "sv", status_words: dict | None = None) -> str:
    """The follow-up as CSV, like the month's (``exports``): byte order mark, the page's language, ``;`` and
    decimal comma in Swedish, each value and target rounded and written as the page writes its figure (a share
    as its percent number), the status in words."""
    buf = io.StringIO()
    buf.write(BOM)
    w = csv.writer(buf, **csv_dialect(language))
    w.writerow([_word(k, language) for k in ("code", "handslag", "title", "kpi", "target", "month", "value",
                                             "status")])
    words = status_words or {}
    for m in data["measures"]:
        unit = m.get("unit") or kpi_unit(m["kpi"])
        kpi = kpi_label(m["kpi"], language)
        if unit == registry.SHARE:
            kpi = f"{kpi} (%)"
        for p in m["months"]:
            w.writerow([_cell(m["code"]), m["handslag"], _cell(title_of(m, language)), _cell(kpi),
                        numbers.csv_value(unit, m["target"], language), p["month"],
                        numbers.csv_value(unit, p["value"], language), words.get(p["status"], p["status"])])
    return buf.getvalue()
