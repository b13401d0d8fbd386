"""A file size limit (a setting in bytes) written as each language writes numbers, in the largest unit it reaches."""
import pytest

from caseflow.domain.numbers import file_size


@pytest.mark.parametrize("n_bytes,sv,en", [
    (10 * 1024 * 1024, "10\xa0MB", "10\xa0MB"),
    (2_621_440, "2,5\xa0MB", "2.5\xa0MB"),
    (512_000, "500\xa0kB", "500\xa0kB"),
    (3 * 1024 ** 3 // 2, "1,5\xa0GB", "1.5\xa0GB"),
    (100, "100\xa0byte", "100\xa0bytes"),
])
def test_a_file_size_limit_is_written_in_its_largest_unit_with_the_languages_decimal_sign(n_bytes, sv, en):
    assert (file_size(n_bytes, "sv"), file_size(n_bytes, "en")) == (sv, en)
