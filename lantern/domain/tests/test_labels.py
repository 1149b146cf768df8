from hypothesis import given
from hypothesis import strategies as st

from lantern.domain.labels import Pronouns, in_sentence, plural


def test_an_acronym_keeps_its_capitals():
    assert in_sentence("CSE team manager") == "CSE team manager"
    assert in_sentence("MASE meeting") == "MASE meeting"


def test_an_ordinary_label_starts_lower_case_and_keeps_the_rest():
    assert in_sentence("Designated safeguarding lead") == "designated safeguarding lead"
    assert in_sentence("Missing from Home Office care") == "missing from Home Office care"


def test_plurals_of_the_nouns_sentences_are_built_from():
    assert plural("category") == "categories"
    assert plural("level") == "levels"
    assert plural("online identity") == "online identities"
    assert plural("day") == "days"


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1))
def test_only_the_first_letter_can_change(label):
    result = in_sentence(label)
    assert result[1:] == label[1:]
    assert result[:1].lower() == label[:1].lower()


def test_pronouns_follow_the_childs_recorded_gender():
    assert (Pronouns("female").them, Pronouns("male").their) == ("her", "his")


def test_pronouns_are_they_when_gender_is_not_known_or_self_described():
    for gender in ("not_known", "non_binary", "other"):
        assert (Pronouns(gender).they, Pronouns(gender).their_cap) == ("they", "Their")
