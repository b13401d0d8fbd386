"""The rule for text from outside (domain/text.py): what it refuses, what it folds, and that the JSON Schema
patterns the API document publishes say the same as the code (read by Python's and by Rust's regular
expressions alike)."""
import re

import jsonschema
import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseflow.domain import text


@pytest.mark.parametrize("value", ["a\x00b", "\x07", "x\x1b[31m", "a\x7f", "a\x85b", "\x9f", "\ud800", "a\udfff"])
def test_control_characters_and_lone_surrogates_are_refused(value):
    with pytest.raises(text.TextError) as exc:
        text.clean(value)
    assert exc.value.code == "invalid_characters"


def test_tabs_and_line_breaks_stay_in_a_text_and_fold_into_a_space_in_a_one_line_field():
    assert text.clean("Rad ett\r\n\tRad två") == "Rad ett\r\n\tRad två"
    assert text.clean("Ute\tservering\r\n\r\ni år\u2028nu", one_line=True) == "Ute servering i år nu"


def test_required_text_needs_something_visible_and_the_limit_counts_what_came():
    with pytest.raises(text.TextError) as exc:
        text.clean(" \n\t ", required=True)
    assert exc.value.code == "required"
    assert text.clean(" x ", required=True) == " x "
    with pytest.raises(text.TextError) as exc:
        text.clean("a\r\nb", one_line=True, max_length=3)
    assert exc.value.code == "too_long"


@pytest.mark.parametrize("value", ["@", "anna@", "@kanalkafeet.se", "anna@kanalkafeet", "a@example.se\r\nBcc: x@y.se",
                                   "Anna <anna@kanalkafeet.se>", "a@x.se, b@y.se", '"a b"@x.se', "a@[192.0.2.1]",
                                   "anna@kafe.test", "anna@kafe.invalid", "a\x00@x.se", "a" * 250 + "@x.se"])
def test_anything_but_one_plain_deliverable_looking_address_is_refused(value):
    with pytest.raises(text.TextError) as exc:
        text.email_address(value)
    assert exc.value.code == "invalid_email"


def test_an_address_is_normalised_and_internal_host_names_pass_only_when_allowed():
    assert text.email_address(" Anna@Kanalkafeet.SE ") == "Anna@kanalkafeet.se"
    assert text.email_address("naringsliv@norrkoping.invalid", internal_hosts=True) == "naringsliv@norrkoping.invalid"
    assert text.email_address("kansli@intranet", internal_hosts=True) == "kansli@intranet"
    for bad in ("@intranet", "a b@intranet", "a@x.se\r\nBcc: y@z.se"):
        with pytest.raises(text.TextError):
            text.email_address(bad, internal_hosts=True)


def _accepted(value: str, required: bool) -> bool:
    try:
        text.clean(value, required=required)
    except text.TextError:
        return False
    return True


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12) |
       st.sampled_from(["", " ", "\t\n", "\x00", " \x01 ", "a\x85", "\u00a0", "\ufeff", "x\r\n"]))
def test_the_documents_patterns_say_what_the_rule_does(value):
    for required, pattern in ((False, text.PATTERN), (True, text.PATTERN_REQUIRED)):
        schema = {"type": "string", "pattern": pattern}
        documented = jsonschema.Draft202012Validator(schema).is_valid(value)
        assert documented == _accepted(value, required), (value, required)
        assert documented == bool(re.search(pattern, value))
        assert documented == jsonschema_rs.validator_for(schema).is_valid(value)  # schemathesis's validator (Rust)
