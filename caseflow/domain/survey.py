"""The satisfaction survey's rules (docs/domain.md "Insikt and NKI", "Report definitions: Survey figures"). Pure.

An answer is nine numbers on the survey's scale 1..k: the three NKI questions, which must be answered, and the six
service factors, each of which may be "vet ej / ej aktuellt" (don't know / not applicable), kept as no answer
(None). A survey answered with the three NKI questions is *answered whole*: its respondent counts for the NKI.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import metrics

NKI_QUESTIONS = ("q_overall", "q_expectations", "q_ideal")
FACTORS = ("information", "tillganglighet", "bemotande", "kompetens", "rattssakerhet", "effektivitet")
FACTOR_QUESTIONS = tuple(f"f_{f}" for f in FACTORS)
QUESTIONS = NKI_QUESTIONS + FACTOR_QUESTIONS


def answer_errors(answers: Mapping[str, int | None], scale: int) -> dict[str, str]:
    """What is wrong with an answer on 1..``scale``, by question: an NKI question not answered is ``required``;
    a factor is a number on the scale or None ("vet ej"), anything else is ``invalid_choice``."""
    errors = {}
    for q in QUESTIONS:
        value = answers.get(q)
        on_scale = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= scale
        if q in NKI_QUESTIONS and not on_scale:
            errors[q] = "required"
        elif q in FACTOR_QUESTIONS and value is not None and not on_scale:
            errors[q] = "invalid_choice"
    return errors


@dataclass(frozen=True)
class SurveyFigures:
    """A group's survey figures (one office, or the total) from its answers of a month."""

    respondents: int
    too_few_answers: bool
    nki: float | None
    question_indices: dict[str, float | None]
    factor_ratings: dict[str, int]
    factor_indices: dict[str, float | None]


def figures(answers: Sequence[Mapping[str, int | None]], scale: int, weights: Sequence[float],
            least: int) -> SurveyFigures:
    """The survey figures of ``answers`` (each answered whole, its three NKI questions on 1..``scale``; one that
    is not would count for nothing), shown
    from ``least`` answers: "a respondent is someone who answered all three NKI questions"; the NKI and its
    three question indices need ``least`` respondents; "a factor's index is computed over those who rated that
    factor, and is shown only when the factor has at least" ``least`` ratings, the number of ratings published
    beside it (docs/domain.md "Survey figures")."""
    whole = [a for a in answers if all(a.get(q) is not None for q in NKI_QUESTIONS)]  # every answer, in practice
    n = len(whole)
    enough = n >= least
    indices = [metrics.question_index([a[q] for a in whole], scale) for q in NKI_QUESTIONS]
    ratings = {f: [r for a in whole if (r := a.get(f"f_{f}")) is not None] for f in FACTORS}
    return SurveyFigures(
        respondents=n, too_few_answers=not enough,
        nki=metrics.nki(indices, weights) if enough else None,
        question_indices={q: (i if enough else None) for q, i in zip(NKI_QUESTIONS, indices, strict=True)},
        factor_ratings={f: len(r) for f, r in ratings.items()},
        factor_indices={f: (metrics.question_index(r, scale) if len(r) >= least else None)
                        for f, r in ratings.items()},
    )
