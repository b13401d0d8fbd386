"""The report's figures, each defined once: key, Swedish and English label, unit, and for a share or rate the
figures it is the quotient of. Pure.

The month page, its total row, the PDF, the CSV/XLSX columns, the JSON export and the drill-down are all derived
from ``FIGURES``; a key that is not here is an error (``figure`` raises), never a silent "–". Keys with a dot
reach into a group of the computed figures (``within_target_by_clock.resolution``).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

COUNT, SHARE, HOURS, DAYS, INDEX, PER_100 = "count", "share", "hours", "days", "index", "per_100"

# The clocks, NKI questions and service factors that the grouped figures are built for, with their labels.
CLOCKS = {
    "first_response": ("Första svar", "First response"),
    "acknowledgement": ("Klagomål bekräftat", "Complaint acknowledged"),
    "resolution": ("Besvarat/beslutat", "Answered/decided"),
    "pbl": ("Lagstadgad tid (PBL)", "Statutory time (PBL)"),
    "fl12": ("Begäran om avgörande (FL 12 §)", "Request for a decision (FL 12 §)"),
}
NKI_QUESTIONS = {
    "q_overall": ("NKI-fråga 1: helhetsintryck", "NKI question 1: overall satisfaction"),
    "q_expectations": ("NKI-fråga 2: motsvarade förväntningarna", "NKI question 2: met expectations"),
    "q_ideal": ("NKI-fråga 3: nära en idealisk service", "NKI question 3: close to ideal"),
}
CHANNELS = {  # how cases came in (domain.workflow.CHANNELS)
    "web": ("Webbformulär", "Web form"),
    "email": ("E-post", "E-mail"),
    "api": ("API", "API"),
    "open311": ("Open311", "Open311"),
}
FACTORS = {
    "information": ("Information", "Information"),
    "tillganglighet": ("Tillgänglighet", "Accessibility"),
    "bemotande": ("Bemötande", "Treatment"),
    "kompetens": ("Kompetens", "Competence"),
    "rattssakerhet": ("Rättssäkerhet", "Legal certainty"),
    "effektivitet": ("Effektivitet", "Efficiency"),
}


class UnknownFigure(KeyError):
    """A figure key that the registry does not define: a programming error, never shown as "–"."""


@dataclass(frozen=True)
class Figure:
    key: str
    sv: str
    en: str
    unit: str
    numerator: str | None = None  # for a share or rate: the figures it divides, published beside it
    denominator: str | None = None
    drill: str | None = None  # the event kind behind a count, for the drill-down to its cases
    short: tuple[str, str] | None = None  # (sv, en) heading of a narrow table column

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.sv

    def heading(self, language: str) -> str:
        """The column heading: the short label where there is one."""
        if self.short is None:
            return self.label(language)
        return self.short[1] if language == "en" else self.short[0]


def _grouped(prefix: str, labels: Mapping, sv: str, en: str, unit: str, numerator: str | None = None,
             denominator: str | None = None) -> list[Figure]:
    return [Figure(f"{prefix}.{k}", f"{sv}: {lsv}", f"{en}: {len_}", unit,
                   numerator.format(k) if numerator else None, denominator.format(k) if denominator else None)
            for k, (lsv, len_) in labels.items()]


FIGURES: tuple[Figure, ...] = (
    Figure("received", "Mottagna ärenden", "Cases received", COUNT, drill="received", short=("Mottagna", "Received")),
    Figure("closed", "Avslutade ärenden", "Cases closed", COUNT, drill="closed", short=("Avslutade", "Closed")),
    *_grouped("received_by_channel", CHANNELS, "Mottagna", "Received", COUNT),
    Figure("reopened", "Återöppnade ärenden", "Cases reopened", COUNT, drill="reopened"),
    Figure("reopen_rate", "Andel återöppnade", "Reopen rate", SHARE, "reopened", "closed",
           short=("Återöppnade", "Reopened")),
    Figure("backlog", "Öppna vid månadens slut", "Open at month end", COUNT, short=("Öppna vid slutet", "Open at end")),
    Figure("backlog_median_age_days", "Öppna ärendens ålder, median (dagar)", "Age of open cases, median (days)",
           DAYS),
    Figure("first_response_n", "Första svar, antal", "First responses", COUNT),
    Figure("first_response_median_h", "Första svar, median (arbetstimmar)", "First response, median (working h)",
           HOURS, short=("Första svar, h", "First response, h")),
    Figure("first_response_p90_h", "Första svar, 90:e percentil (arbetstimmar)",
           "First response, 90th percentile (working h)", HOURS),
    Figure("resolution_n", "Avgjorda, antal", "Resolutions", COUNT),
    Figure("resolution_median_h", "Handläggningstid, median (arbetstimmar)", "Resolution time, median (working h)",
           HOURS, short=("Handläggning, h", "Resolution, h")),
    Figure("resolution_p90_h", "Handläggningstid, 90:e percentil (arbetstimmar)",
           "Resolution time, 90th percentile (working h)", HOURS),
    Figure("clocks_in_time", "Klockor inom utlovad tid", "Clocks in time", COUNT),
    Figure("clocks_stopped", "Klockor som stannade", "Clocks stopped", COUNT),
    Figure("within_target", "Andel inom utlovad tid", "Share within target", SHARE, "clocks_in_time",
           "clocks_stopped", short=("Inom tid", "Within target")),
    *_grouped("within_target_by_clock", CLOCKS, "Inom tid", "Within target", SHARE,
              "clock_counts.{}.in_time", "clock_counts.{}.stopped"),
    Figure("breaches", "Överskridna tider", "Breaches", COUNT, drill="sla_breach", short=("Överskridna", "Breaches")),
    Figure("reroutes", "Felstyrda (skickade vidare)", "Routing misses (sent on)", COUNT, drill="rerouted"),
    Figure("routing_miss_rate", "Andel felstyrda", "Routing miss rate", SHARE, "reroutes", "received",
           short=("Felstyrda", "Misrouted")),
    Figure("complaints", "Klagomål", "Complaints", COUNT, drill="received"),
    Figure("complaints_per_100", "Klagomål per 100 ärenden", "Complaints per 100 cases", PER_100, "complaints",
           "received"),
    Figure("delay_notices", "Förseningsbesked (FL 11 §)", "Delay notices (FL 11 §)", COUNT, drill="delay_notice"),
    Figure("fee_reductions", "Avgiftsreduktioner (PBL)", "Fee reductions (PBL)", COUNT),
    Figure("surveys_sent", "Enkäter skickade", "Surveys sent", COUNT),
    Figure("surveys_answered", "Enkäter besvarade", "Surveys answered", COUNT),
    Figure("response_rate", "Svarsfrekvens", "Response rate", SHARE, "surveys_answered", "surveys_sent"),
    Figure("respondents", "Svarande (NKI)", "Respondents (NKI)", COUNT),
    Figure("nki", "NKI", "NKI", INDEX),
    *_grouped("nki_question_indices", NKI_QUESTIONS, "Index", "Index", INDEX),
    *_grouped("factor_indices", FACTORS, "Serviceindex", "Service index", INDEX),
    *_grouped("factor_ratings", FACTORS, "Betyg", "Ratings", COUNT),
)
BY_KEY: dict[str, Figure] = {f.key: f for f in FIGURES}

# The month page's table per office (and its total row), in this order; the PDF and the exports carry them all.
TABLE: tuple[str, ...] = ("received", "closed", "backlog", "first_response_median_h", "resolution_median_h",
                          "within_target", "breaches", "routing_miss_rate", "reopen_rate", "complaints", "nki")
# figure -> the event kind behind its count, for the drill-down (complaints: received cases that are complaints)
DRILL: dict[str, str] = {f.key: f.drill for f in FIGURES if f.drill}


def figure(key: str) -> Figure:
    try:
        return BY_KEY[key]
    except KeyError:
        raise UnknownFigure(key) from None


def value(figures: Mapping, key: str):
    """The value of figure ``key`` in one office's (or the total's) computed figures. A key the registry does
    not define, or that the computed figures lack, raises; None means "no figure" (an empty set, too few)."""
    figure(key)
    return path(figures, key)


def path(figures: Mapping, dotted: str):
    node = figures
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise UnknownFigure(dotted)
        node = node[part]
    return node


def parts(figures: Mapping, key: str) -> tuple | None:
    """(numerator, denominator) of a share or rate, or None for a figure that is not a quotient."""
    f = figure(key)
    if f.numerator is None:
        return None
    return path(figures, f.numerator), path(figures, f.denominator)
