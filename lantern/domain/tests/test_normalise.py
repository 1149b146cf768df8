import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import normalise

letters = st.sampled_from("ABCDEFGHJKLMNOPRSTUVWXY")
digits = st.integers(min_value=0, max_value=9)


def test_a_registration_with_and_without_its_space_is_one_vehicle():
    assert normalise.registration("AB12 CDE") == normalise.registration("ab12cde") == "AB12CDE"


def test_a_registration_is_shown_with_its_space():
    assert normalise.registration_display("AB12CDE") == "AB12 CDE"


@given(st.lists(letters, min_size=2, max_size=2), st.integers(10, 99),
       st.lists(letters, min_size=3, max_size=3), st.sampled_from([" ", "", "-", "  "]),
       st.booleans())
def test_registration_ignores_case_spacing_and_dashes(first, number, last, sep, lower):
    written = f"{''.join(first)}{number}{sep}{''.join(last)}"
    if lower:
        written = written.lower()
    assert normalise.registration(written) == f"{''.join(first)}{number}{''.join(last)}"


@given(st.integers(900000, 900999), st.sampled_from(
    ["0{n}", "+44{n}", "+44 {n}", "0044{n}", "0{a} {b}", "(0{a}) {b}", "0{a}-{b}"]))
def test_a_uk_mobile_is_the_same_number_however_it_is_written(suffix, pattern):
    national = f"7700{suffix}"
    written = pattern.format(n=national, a=national[:4], b=national[4:])
    assert normalise.phone(written) == f"+447700{suffix}"


def test_text_that_cannot_be_a_phone_number_is_none():
    assert normalise.phone("ring him") is None
    assert normalise.phone("123") is None


def test_a_uk_phone_is_shown_as_a_worker_writes_it():
    assert normalise.phone_display("+447700900123") == "07700 900123"


@given(st.sampled_from(["NB1 2AB", "nb12ab", " NB1  2ab ", "nb1-2ab"]))
def test_postcodes_take_the_standard_form(written):
    assert normalise.postcode(written) == "NB1 2AB"


def test_a_postcode_of_the_wrong_shape_is_none():
    assert normalise.postcode("NB") is None
    assert normalise.postcode("12345") is None


def test_handles_drop_the_at_sign_and_case():
    assert normalise.handle(" @Mo_Khan99 ") == normalise.handle("mo_khan99") == "mo_khan99"




@pytest.mark.parametrize("normaliser", [normalise.registration, normalise.phone,
                                        normalise.postcode, normalise.handle, normalise.name])
@given(text=st.text())
def test_every_normaliser_is_idempotent(normaliser, text):
    once = normaliser(text)
    assert once is None or normaliser(once) == once
