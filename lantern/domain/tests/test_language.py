import pytest

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
