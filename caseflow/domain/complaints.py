"""Complaint grounds in the company's words, each mapped to the Insikt service factor the reports count it under.

The one source of the grounds: the complaint form (its options, their hints and its validation), the API's and
Open311's documents, the officer's case page and the report's "complaints by ground" are all built from
``GROUNDS``. Pure.

A company complaining about slow handling says "Det tog för lång tid"; the report counts that complaint under
the factor *Effektivitet* (docs/domain.md "Case kinds and complaint grounds", "Insikt and NKI").

Complaints filed before the grounds were worded for companies carry the factor's own name as their ground
(``information``, ``tillganglighet``, … , ``other``). Those stored values are kept as they are — the ground is
what the company chose, a registered fact — and ``LEGACY_GROUNDS`` maps each to its factor, so old and new
complaints count together in the reports.
"""
from __future__ import annotations

from dataclasses import dataclass

from .figures import FACTORS as _FACTOR_NAMES

# The six Insikt service factors (the survey's and the report's keys) and the complaint that fits none of them.
FACTORS = ("information", "tillganglighet", "bemotande", "kompetens", "rattssakerhet", "effektivitet")
OTHER = "other"
REPORT_KEYS = (*FACTORS, OTHER)
FACTOR_LABELS = {**_FACTOR_NAMES, OTHER: ("Annat", "Other")}


@dataclass(frozen=True)
class Ground:
    value: str  # stored on the case (at most 20 characters: case.complaint_ground)
    sv: str
    en: str
    hint_sv: str
    hint_en: str
    factor: str  # one of REPORT_KEYS

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.sv

    def hint(self, language: str) -> str:
        return self.hint_en if language == "en" else self.hint_sv


GROUNDS: tuple[Ground, ...] = (
    Ground("too_slow", "Det tog för lång tid", "It took too long",
           "Till exempel om ni väntade länge på svar eller beslut, eller om vi inte höll det vi lovat om tid.",
           "For example if you waited long for an answer or a decision, or we did not keep a promised date.",
           "effektivitet"),
    Ground("treated_badly", "Jag blev illa bemött", "I was treated badly",
           "Till exempel om någon var otrevlig, inte lyssnade eller inte tog ert ärende på allvar.",
           "For example if someone was rude, did not listen or did not take your case seriously.",
           "bemotande"),
    Ground("wrong_info", "Jag fick fel eller otydlig information", "I got wrong or unclear information",
           "Till exempel om beskeden var svåra att förstå, motsade varandra eller visade sig vara fel.",
           "For example if what we told you was hard to understand, contradictory or turned out to be wrong.",
           "information"),
    Ground("hard_to_reach", "Det var svårt att komma i kontakt med er", "It was hard to get in touch with you",
           "Till exempel om ingen svarade i telefon, om ni inte fick svar på e-post eller inte visste vem ni "
           "skulle vända er till.",
           "For example if nobody answered the phone, your e-mails went unanswered or you did not know whom to "
           "ask.",
           "tillganglighet"),
    Ground("unclear_needs", "Jag förstod inte vad som krävdes", "I did not understand what was required",
           "Till exempel vilka handlingar ni behövde lämna in, eller vad som gällde för ert företag.",
           "For example which documents you had to send in, or which rules applied to your company.",
           "information"),
    Ground("lacked_knowledge", "Handläggaren kunde inte svara på mina frågor",
           "The officer could not answer my questions",
           "Till exempel om ni fick olika svar av olika handläggare eller om den ni talade med inte kände till "
           "reglerna.",
           "For example if different officers gave different answers, or the one you spoke to did not know the "
           "rules.",
           "kompetens"),
    Ground("unfair", "Jag blev inte rättvist behandlad", "I was not treated fairly",
           "Till exempel om ni inte fick säga er mening innan beslutet, eller om andra fick ett annat besked i "
           "samma sak.",
           "For example if you could not give your view before the decision, or others got another answer in the "
           "same matter.",
           "rattssakerhet"),
    Ground(OTHER, "Annat", "Something else",
           "Beskriv vad det gäller i rutan nedan.", "Describe what it is about in the box below.",
           OTHER),
)
BY_VALUE = {g.value: g for g in GROUNDS}

# Grounds stored before the grounds were worded for companies: the factor's name, counted under that factor.
LEGACY_GROUNDS = {f: f for f in FACTORS}

# What a new complaint may carry (the form offers exactly these).
VALUES = tuple(g.value for g in GROUNDS)
# What the API accepts: the grounds, and the factor names integrations sent before (stored as they come).
ACCEPTED = VALUES + tuple(v for v in LEGACY_GROUNDS if v not in BY_VALUE)


def factor_of(ground: str | None) -> str:
    """The report key (an Insikt factor, or ``other``) a stored complaint ground is counted under. A complaint
    without a ground (filed before grounds were required) or with an unknown one counts as ``other``."""
    if ground in BY_VALUE:
        return BY_VALUE[ground].factor
    return LEGACY_GROUNDS.get(ground or "", OTHER)


def factor_label(key: str, language: str) -> str:
    """The name of a report key: the Insikt factor's (as the survey's figures name it), or "Annat"."""
    sv, en = FACTOR_LABELS.get(key, (key, key))
    return en if language == "en" else sv


def label(ground: str | None, language: str) -> str:
    """How a stored ground reads to staff: the company's words, or for an old ground its factor's name."""
    if ground in BY_VALUE:
        return BY_VALUE[ground].label(language)
    return factor_label(ground or OTHER, language)
