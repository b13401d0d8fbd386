"""The survey's rules and arithmetic (caseflow/domain/survey.py) against the naive oracle (tests/oracle/survey.py),
compared by hypothesis on random answers with "vet ej" among the factors, scales 3..10, weights and thresholds."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseflow.domain import survey
from tests.oracle import oracle_settings
from tests.oracle import survey as oracle

scales = st.integers(3, 10)


def answers_on(k: int):
    rating = st.integers(1, k)
    return st.tuples(rating, rating, rating, *[st.one_of(st.none(), rating)] * 6)


@st.composite
def months(draw):
    k = draw(scales)
    answers = draw(st.lists(answers_on(k), max_size=30))
    weights = draw(st.lists(st.integers(0, 5), min_size=3, max_size=3).filter(lambda w: sum(w) > 0))
    return k, answers, weights, draw(st.integers(1, 12))


def as_dict(answer: tuple) -> dict:
    return dict(zip(survey.QUESTIONS, answer, strict=True))


def same(a, b) -> bool:
    return a is None and b is None or a is not None and b is not None and a == pytest.approx(float(b), abs=1e-9)


@oracle_settings(weight=3)
@given(months())
def test_survey_figures_match_the_naive_oracle(month):
    k, answers, weights, least = month
    got = survey.figures([as_dict(a) for a in answers], k, weights, least)
    want = oracle.figures(answers, k, weights, least)
    assert got.respondents == want["respondents"] and got.too_few_answers == want["too_few_answers"]
    assert same(got.nki, want["nki"])
    assert all(same(got.question_indices[q], want["nki_question_indices"][q]) for q in oracle.NKI)
    assert got.factor_ratings == want["factor_ratings"]
    assert all(same(got.factor_indices[f], want["factor_indices"][f]) for f in oracle.FACTORS)


values = st.one_of(st.none(), st.integers(-2, 12), st.booleans(), st.sampled_from(["5", 5.0, "vet ej"]))


@oracle_settings(weight=3)
@given(scales, st.tuples(*[values] * 9))
def test_an_answer_is_accepted_exactly_when_the_oracle_accepts_it(k, answer):
    errors = survey.answer_errors(as_dict(answer), k)
    assert (errors == {}) == oracle.accepted(answer, k), errors
    assert set(errors) <= set(survey.QUESTIONS)
    assert all(errors.get(q) in (None, "required") for q in survey.NKI_QUESTIONS)
    assert all(errors.get(q) in (None, "invalid_choice") for q in survey.FACTOR_QUESTIONS)


def test_a_factor_answered_vet_ej_counts_for_no_factor_index_and_the_respondent_still_counts():
    """Hand example (k = 6): three respondents; information rated 6, 4 and "vet ej" -> index over 6 and 4:
    mean 5 -> (5 - 1) / 5 x 100 = 80, from 2 ratings; overall 4, 5, 6 -> mean 5 -> 80."""
    vet_ej = None
    answers = [(4, 4, 4, 6, 5, 5, 5, 5, 5), (5, 5, 5, 4, 5, 5, 5, 5, 5), (6, 6, 6, vet_ej, 5, 5, 5, 5, 5)]
    fig = survey.figures([as_dict(a) for a in answers], 6, [1, 1, 1], 2)
    assert fig.respondents == 3 and fig.question_indices["q_overall"] == pytest.approx(80)
    assert fig.factor_ratings["information"] == 2 and fig.factor_indices["information"] == pytest.approx(80)
    assert fig.factor_ratings["bemotande"] == 3 and fig.factor_indices["bemotande"] == pytest.approx(80)
    # with a threshold of 3 the respondents suffice for the NKI, the information factor's 2 ratings do not
    fig = survey.figures([as_dict(a) for a in answers], 6, [1, 1, 1], 3)
    assert fig.nki == pytest.approx(80) and fig.factor_indices["information"] is None
