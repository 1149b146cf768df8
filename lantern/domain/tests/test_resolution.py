from datetime import date

from lantern.domain import resolution, synthetic
from lantern.domain.resolution import PersonRecord, compare

PHONE = frozenset({"+447700900123"})


def _outcomes(result):
    return {f.field: f.outcome for f in result.fields}


def test_mo_mohammed_k_and_mohamed_khan_with_one_phone_are_proposed_as_one():
    mo = PersonRecord("1", nicknames=("Mo",), phones=PHONE)
    mohammed_k = PersonRecord("2", given="Mohammed", family="K", phones=PHONE)
    khan = PersonRecord("3", given="MOHAMED", family="KHAN", phones=PHONE)
    proposals = resolution.pairwise([mo, mohammed_k, khan])
    assert {frozenset((c.left, c.right)) for c in proposals} == {
        frozenset(("1", "2")), frozenset(("2", "3")), frozenset(("1", "3"))}


def test_the_evidence_says_which_fields_agreed():
    result = compare(PersonRecord("1", nicknames=("Mo",), phones=PHONE),
                     PersonRecord("2", given="Mohammed", family="K", phones=PHONE))
    assert _outcomes(result) == {"given_name": "nickname", "family_name": "missing",
                                 "date_of_birth": "missing", "phone": "agree"}
    assert "short form" in result.fields[0].note


def test_the_same_names_without_a_phone_are_not_enough():
    result = compare(PersonRecord("1", given="Mohammed", family="K"),
                     PersonRecord("2", given="Mohamed", family="Khan"))
    assert result.probability < resolution.PROPOSE_AT


def test_different_people_sharing_a_phone_but_born_years_apart_score_below_even_odds():
    result = compare(
        PersonRecord("1", given="Dean", family="Ward", date_of_birth=date(1980, 1, 1),
                     phones=PHONE),
        PersonRecord("2", given="Kyle", family="Ward", date_of_birth=date(2001, 5, 5),
                     phones=PHONE))
    assert result.probability < resolution.PROPOSE_AT


def test_swapped_names_are_recognised():
    result = compare(PersonRecord("1", given="Khan", family="Imran", birth_year=1990),
                     PersonRecord("2", given="Imran", family="Khan", birth_year=1990))
    assert _outcomes(result)["family_name"] == "agree"
    assert "other way round" in result.fields[0].note


def test_a_partial_date_of_birth_counts_for_less_than_a_full_one():
    full = compare(PersonRecord("1", given="Lee", family="Hart", date_of_birth=date(1990, 3, 4)),
                   PersonRecord("2", given="Lee", family="Hart", date_of_birth=date(1990, 3, 4)))
    partial = compare(PersonRecord("1", given="Lee", family="Hart", birth_year=1990,
                                   birth_month=3),
                      PersonRecord("2", given="Lee", family="Hart",
                                   date_of_birth=date(1990, 3, 4)))
    assert full.weight > partial.weight > compare(
        PersonRecord("1", given="Lee", family="Hart"),
        PersonRecord("2", given="Lee", family="Hart")).weight


def test_candidates_only_scores_records_sharing_a_key():
    new = PersonRecord("new", given="Tariq", family="Aziz", phones=PHONE)
    unrelated = PersonRecord("x", given="Gary", family="Wills")
    same = PersonRecord("y", nicknames=("Taz",), phones=PHONE)
    assert [c.right for c in resolution.candidates(new, [unrelated, same])] == ["y"]


def test_the_resolver_finds_most_synthetic_duplicates_with_few_false_merges():
    _people, mentions = synthetic.generate(120, seed=11)
    found = {frozenset((c.left, c.right))
             for c in resolution.pairwise([m.record(m.key) for m in mentions])}
    result = synthetic.score(found, synthetic.true_pairs(mentions))
    # Many synthetic mentions carry only a nickname and nothing else: no resolver can place
    # those, so recall is bounded well below 1. Precision is what keeps reviewers' trust.
    assert result["precision"] >= 0.97
    assert result["recall"] >= 0.65


def test_splink_batch_resolution_proposes_pairs_with_per_field_evidence():
    _people, mentions = synthetic.generate(150, seed=5)
    records = [m.record(m.key) for m in mentions]
    found = resolution.splink_link(records)
    result = synthetic.score({frozenset((c.left, c.right)) for c in found},
                             synthetic.true_pairs(mentions))
    assert result["precision"] >= 0.95 and result["recall"] >= 0.5
    assert {f.field for f in found[0].fields} == {"given_std", "family", "dob", "phones"}
    assert found[0].engine == "splink"


def test_two_names_on_one_phone_are_proposed_for_review_whatever_their_score():
    jay = PersonRecord("1", given="Jay", phones=PHONE)
    jason = PersonRecord("2", given="Jason", family="Reid", phones=PHONE)
    [found] = resolution.candidates(jay, [jason])
    assert found.probability < resolution.PROPOSE_AT
    assert _outcomes(found)["phone"] == "agree"


def test_a_low_score_without_a_shared_phone_is_not_proposed():
    new = PersonRecord("1", given="Mohammed", family="K")
    assert resolution.candidates(new, [PersonRecord("2", given="Mohamed", family="Khan")]) == []
