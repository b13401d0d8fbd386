"""A second, naive reading of the survey figures (docs/domain.md "Insikt and NKI", "Report definitions: Survey
figures"), sharing no code with ``caseflow.domain``: exact fractions, one answer at a time, written from the
sentences of the definitions.

An answer is a 9-tuple: the three NKI questions, then the six service factors; a factor answered "vet ej / ej
aktuellt" is None.
"""
from __future__ import annotations

from fractions import Fraction

NKI = ("q_overall", "q_expectations", "q_ideal")
FACTORS = ("information", "tillganglighet", "bemotande", "kompetens", "rattssakerhet", "effektivitet")


def accepted(answer: tuple, k: int) -> bool:
    """"The three NKI questions required; the six factor questions each on the scale or 'vet ej'"."""
    def on_scale(v):
        return type(v) is int and 1 <= v <= k

    return all(on_scale(v) for v in answer[:3]) and all(v is None or on_scale(v) for v in answer[3:])


def index(values: list[int], k: int) -> Fraction | None:
    """"index = (mean answer - 1) / (k - 1) x 100"; nothing to average, no index."""
    if len(values) == 0:
        return None
    total = Fraction(0)
    for v in values:
        total += v
    mean = total / len(values)
    return (mean - 1) / (k - 1) * 100


def figures(answers: list[tuple], k: int, weights: list, least: int) -> dict:
    """The figures of one group (an office or the total) from its month's answers, with the threshold ``least``.

    "A respondent is someone who answered all three NKI questions"; "the NKI, and its three question indices,
    are shown only with at least" ``least`` respondents; the NKI is "the weighted mean of the three question
    indices"; "a factor's index is computed over those who rated that factor, and is shown only when the factor
    has at least" ``least`` ratings, "the number of ratings is published beside it"."""
    respondents = [a for a in answers if a[0] is not None and a[1] is not None and a[2] is not None]
    shown = len(respondents) >= least
    question = {}
    for i, q in enumerate(NKI):
        question[q] = index([a[i] for a in respondents], k) if shown else None
    nki = None
    if shown:
        weighted, weight_sum = Fraction(0), Fraction(0)
        for q, w in zip(NKI, weights, strict=True):
            weighted += question[q] * Fraction(w)
            weight_sum += Fraction(w)
        nki = weighted / weight_sum
    ratings, factor = {}, {}
    for j, f in enumerate(FACTORS):
        rated = []
        for a in respondents:
            if a[3 + j] is not None:
                rated.append(a[3 + j])
        ratings[f] = len(rated)
        factor[f] = index(rated, k) if len(rated) >= least else None
    return {"respondents": len(respondents), "too_few_answers": not shown, "nki": nki,
            "nki_question_indices": question, "factor_ratings": ratings, "factor_indices": factor}
