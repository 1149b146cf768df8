from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import names


def test_normalise_drops_accents_punctuation_and_case():
    assert names.normalise("  Zoë  O'Neil-SMITH ") == "zoe o'neil smith"


@given(st.text())
def test_normalise_is_idempotent(text):
    once = names.normalise(text)
    assert names.normalise(once) == once


def test_sound_alike_names_share_a_phonetic_key():
    assert names.phonetic_keys(["Mohammed"]) == names.phonetic_keys(["Mohamed"])


def test_similarity_tolerates_a_misspelling():
    assert names.similarity("Jayde Exampel", ["Jade Example"]) >= 70


def test_similarity_ignores_word_order_and_middle_names():
    assert names.similarity("Example Jade", ["Jade Louise Example"]) >= 90


def test_similarity_of_unrelated_names_is_low():
    assert names.similarity("Robert Hughes", ["Jade Example"]) < 50


def test_keys_text_pads_keys_for_whole_word_matching():
    text = names.keys_text(["Jade Example"])
    assert text.startswith(" ") and text.endswith(" ")


def test_a_childs_names_are_found_in_a_note_as_words_of_their_own():
    note = "Visit Kayla's mother; ask ZOË about the car. Kaylan is not her."
    assert names.named_in(note, ["Kayla Zoë Morrow", "Kay"]) == ["kayla", "zoe"]


def test_a_name_inside_another_word_or_of_one_letter_is_not_found():
    assert names.named_in("Ask Annabel about it", ["Ann B"]) == []


@given(st.text(max_size=60), st.lists(st.text(max_size=20), max_size=3))
def test_whatever_is_found_is_a_word_of_the_names(text, given_names):
    for word in names.named_in(text, given_names):
        assert any(word in names.tokens(n) for n in given_names)


def _similarity_as_first_written(query, candidates):
    """Every name normalised and keyed afresh, as before the names were kept (issue 18)."""
    import jellyfish
    from rapidfuzz import fuzz

    def keys(name):
        return {jellyfish.metaphone(t) for t in
                names.normalise(name).replace("'", "").split(" ") if t}

    q = names.normalise(query)
    if not q:
        return 0.0
    best = 0.0
    for name in candidates:
        n = names.normalise(name)
        if not n:
            continue
        score = max(fuzz.token_set_ratio(q, n), fuzz.WRatio(q, n))
        if keys(q) and keys(q) <= keys(n):
            score = max(score, 90.0)
        best = max(best, score)
    return best


name_text = st.text(alphabet="abcdefjklmnoprstyzé' -", max_size=20)


@given(name_text, st.lists(name_text, max_size=4))
def test_similarity_is_as_first_written(query, candidates):
    assert names.similarity(query, candidates) == _similarity_as_first_written(query, candidates)
