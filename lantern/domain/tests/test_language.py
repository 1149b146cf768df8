import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import language


@pytest.mark.parametrize(
    "text",
    [
        "She is very promiscuous",
        "involved in child prostitution",
        "he keeps putting himself at risk",
        "it is her lifestyle choice",
        "she consented to sex with him",
        "she is in a relationship with a 24 year old",
        "has an older boyfriend",
    ],
)
def test_victim_blaming_phrases_are_noticed(text):
    assert language.check(text)


def test_child_centred_wording_raises_nothing():
    assert language.check("She is being sexually exploited by an adult man aged 24.") == []


def test_each_phrase_is_reported_once_with_an_alternative():
    findings = language.check("promiscuous, promiscuous")
    assert len(findings) == 1
    assert findings[0].instead


# --- Marking saved text (issue 15, item 5) ---------------------------------------------------

def test_segments_mark_each_phrase_where_it_stands():
    pieces = language.segments("She is promiscuous and chose to go. Promiscuous again.")
    marked = [(s.text, s.number) for s in pieces if s.finding]
    assert marked == [("promiscuous", 1), ("chose to", 2), ("Promiscuous", 1)]
    assert pieces[0].text == "She is " and pieces[0].finding is None


def test_text_with_nothing_to_check_is_one_plain_piece():
    assert language.segments("Seen with an adult man.") == [
        language.Segment("Seen with an adult man.")]


@given(st.lists(st.sampled_from(["a", "b", " ", ".", "\n", "promiscuous", "sex work",
                                  "chose to", "consensual", "Sexually active"]),
                max_size=12).map("".join))
def test_segments_keep_the_text_exactly(text):
    assert "".join(s.text for s in language.segments(text)) == text
