"""Complaint grounds in the company's words (domain.complaints): each maps to one Insikt factor, old grounds (the
factor names stored before) keep counting under their factor, and the count by factor agrees with a naive
table typed in here by hand."""
from hypothesis import given
from hypothesis import strategies as st

from caseflow.domain import complaints
from caseflow.domain.figures import FACTORS as SURVEY_FACTORS

# Written by hand from docs/domain.md "Case kinds and complaint grounds": what each stored value counts under.
NAIVE_FACTOR = {
    "too_slow": "effektivitet", "treated_badly": "bemotande", "wrong_info": "information",
    "hard_to_reach": "tillganglighet", "unclear_needs": "information", "lacked_knowledge": "kompetens",
    "unfair": "rattssakerhet", "other": "other",
    # stored before the grounds were worded for companies
    "information": "information", "tillganglighet": "tillganglighet", "bemotande": "bemotande",
    "kompetens": "kompetens", "rattssakerhet": "rattssakerhet", "effektivitet": "effektivitet",
    None: "other",
}


def test_every_ground_has_words_and_a_hint_in_both_languages_and_fits_the_column():
    for g in complaints.GROUNDS:
        assert g.sv and g.en and g.hint_sv and g.hint_en
        assert len(g.value) <= 20  # case.complaint_ground is a String(20)
        assert g.factor in complaints.REPORT_KEYS


def test_every_insikt_factor_has_a_ground_in_the_companys_words():
    assert {g.factor for g in complaints.GROUNDS} == set(complaints.REPORT_KEYS)
    assert set(complaints.FACTORS) == set(SURVEY_FACTORS)  # the same six factors as the survey's


def test_the_grounds_the_issue_names_are_there_in_its_words():
    words = {g.sv for g in complaints.GROUNDS}
    assert {"Det tog för lång tid", "Jag blev illa bemött", "Jag fick fel eller otydlig information",
            "Det var svårt att komma i kontakt med er", "Jag förstod inte vad som krävdes", "Annat"} <= words


def test_slow_handling_counts_as_effektivitet_and_an_old_factor_name_as_itself():
    assert complaints.factor_of("too_slow") == "effektivitet"
    assert complaints.factor_of("effektivitet") == "effektivitet"
    assert complaints.factor_of(None) == "other" and complaints.factor_of("nonsense") == "other"


def test_the_form_offers_only_new_grounds_while_the_api_also_accepts_the_old_names():
    assert "bemotande" not in complaints.VALUES and "treated_badly" in complaints.VALUES
    assert set(complaints.ACCEPTED) == set(complaints.VALUES) | set(complaints.LEGACY_GROUNDS)


def test_old_grounds_read_as_their_factor_new_ones_in_the_companys_words():
    assert complaints.label("bemotande", "sv") == "Bemötande"
    assert complaints.label("kompetens", "en") == "Competence"
    assert complaints.label("too_slow", "sv") == "Det tog för lång tid"
    assert complaints.label("too_slow", "en") == "It took too long"


@given(st.sampled_from(list(NAIVE_FACTOR)))
def test_every_stored_ground_counts_under_the_factor_of_the_naive_table(ground):
    assert complaints.factor_of(ground) == NAIVE_FACTOR[ground]


def test_the_naive_table_knows_every_value_a_complaint_can_carry():
    assert set(complaints.ACCEPTED) | {None} == set(NAIVE_FACTOR)
