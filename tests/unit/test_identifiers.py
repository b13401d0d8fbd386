import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseflow.domain.identifiers import (
    InvalidIdentifier,
    format_reference,
    luhn_check_digit,
    luhn_valid,
    parse_company_identifier,
    parse_reference,
)


@pytest.mark.parametrize("text", ["556036-0793", "5560360793", "16556036-0793", " 556036 0793 ", "212000-0142"])
def test_valid_organisation_numbers_are_normalised(text):
    ident = parse_company_identifier(text)
    assert ident.number in ("556036-0793", "212000-0142")
    assert not ident.is_personal


def test_legal_form_comes_from_the_first_digit():
    assert parse_company_identifier("556036-0793").legal_form == "aktiebolag"
    assert parse_company_identifier("212000-0142").legal_form == "public_sector"


@pytest.mark.parametrize("text", ["556036-0794", "556036-0792", "212000-0143"])
def test_wrong_check_digit_is_rejected_as_checksum(text):
    with pytest.raises(InvalidIdentifier) as exc:
        parse_company_identifier(text)
    assert exc.value.code == "checksum"


@pytest.mark.parametrize("text", ["", "abc", "55603-0793", "5560360793x", "18556036-0793", "556036--0793"])
def test_malformed_numbers_are_rejected_as_format(text):
    with pytest.raises(InvalidIdentifier) as exc:
        parse_company_identifier(text)
    assert exc.value.code == "format"


def test_sole_trader_personnummer_is_accepted_and_masked():
    # 811218-9876 is Skatteverket's classic test number (Luhn-valid)
    ident = parse_company_identifier("811218-9876")
    assert ident.is_personal
    assert ident.legal_form == "sole_trader"
    assert ident.masked == "811218-****"
    assert "9876" not in ident.masked


def test_samordningsnummer_day_plus_sixty_is_accepted():
    nine = "811278987"  # 18 December + 60
    ident = parse_company_identifier(nine[:6] + "-" + nine[6:] + luhn_check_digit(nine))
    assert ident.is_personal


def test_personnummer_with_impossible_date_is_rejected():
    nine = "811318987"  # month 13
    with pytest.raises(InvalidIdentifier) as exc:
        parse_company_identifier(nine + luhn_check_digit(nine))
    assert exc.value.code == "date"


def test_organisation_number_is_masked_as_itself_since_it_is_public():
    assert parse_company_identifier("556036-0793").masked == "556036-0793"


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_check_digit_makes_any_nine_digits_luhn_valid(nine):
    assert luhn_valid(nine + luhn_check_digit(nine))


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 9), st.integers(1, 9))
def test_changing_any_single_digit_breaks_the_luhn_check(nine, pos, delta):
    number = nine + luhn_check_digit(nine)
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1:]
    assert not luhn_valid(changed)


def test_reference_format_and_parse_round_trip():
    assert format_reference(2026, 7) == "CF-2026-00007"
    assert parse_reference("cf-2026-00007 ") == (2026, 7)
    assert parse_reference("CF-2026-7") is None
    assert parse_reference("CF-2026-00000") is None  # found by the API fuzzer: numbers start at 1
    assert format_reference(2026, 123456) == "CF-2026-123456"
    with pytest.raises(ValueError):
        format_reference(2026, 0)
