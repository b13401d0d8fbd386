"""The queue's fast number writing agrees with Babel's format_decimal, in Swedish and English."""
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from caseflow.domain.numbers import tenths


@given(st.floats(min_value=0, max_value=10_000_000, allow_nan=False), st.sampled_from(["sv", "en"]))
def test_tenths_writes_what_babel_writes(value, language):
    assert tenths(value, language) == format_decimal(round(value, 1), locale=language)


def test_tenths_examples():
    assert tenths(1234.46, "sv") == "1\xa0234,5" and tenths(2.0, "sv") == "2" and tenths(2.25, "en") == "2.2"
