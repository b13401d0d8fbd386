"""Metric arithmetic for the reports. Pure. The definitions of what is counted live in the docstrings of
services/reports/computation.py and docs/domain.md "Report definitions"; here are the formulas."""
from __future__ import annotations

import math
from collections.abc import Sequence

DEFINITIONS_VERSION = "2026.1"


def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont, NumPy's default).
    None for an empty set."""
    if not values:
        return None
    xs = sorted(values)
    rank = p * (len(xs) - 1)
    lo, hi = math.floor(rank), math.ceil(rank)
    return xs[lo] + (xs[hi] - xs[lo]) * (rank - lo)


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 0.5)


def question_index(answers: Sequence[int], k: int) -> float | None:
    """Index of a question answered on 1..k: (mean - 1) / (k - 1) x 100."""
    if not answers:
        return None
    mean = sum(answers) / len(answers)
    return (mean - 1) / (k - 1) * 100


def nki(indices: Sequence[float | None], weights: Sequence[float]) -> float | None:
    """NKI: the weighted mean of the three questions' indices."""
    if not indices or any(i is None for i in indices):
        return None
    return sum(i * w for i, w in zip(indices, weights, strict=True)) / sum(weights)


def grade(value: float | None) -> str | None:
    """SKR's wording: < 62 low, 62-69 approved, 70-79 high, >= 80 very high."""
    if value is None:
        return None
    if value < 62:
        return "low"
    if value < 70:
        return "approved"
    if value < 80:
        return "high"
    return "very_high"


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
