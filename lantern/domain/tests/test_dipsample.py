"""The dip sample's draw and the share-out to auditors (seed 001: monthly dip-sample audits)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import dipsample

keys = st.lists(st.text(min_size=1, max_size=8), max_size=40, unique=True)


@given(keys, st.integers(0, 50), st.integers(0, 2**48))
def test_the_same_records_size_and_seed_always_draw_the_same_sample(candidates, size, seed):
    assert dipsample.choose(candidates, size, seed) == dipsample.choose(
        list(reversed(candidates)), size, seed)


@given(keys, st.integers(0, 50), st.integers(0, 2**48))
def test_the_sample_holds_the_size_asked_for_or_every_record(candidates, size, seed):
    chosen = dipsample.choose(candidates, size, seed)
    assert len(chosen) == min(size, len(candidates))
    assert len(set(chosen)) == len(chosen) and set(chosen) <= set(candidates)


def test_different_seeds_draw_different_samples():
    candidates = [f"screening-{n}" for n in range(100)]
    assert dipsample.choose(candidates, 5, 1) != dipsample.choose(candidates, 5, 2)


@given(st.lists(st.integers(1, 30), min_size=1, max_size=10, unique=True),
       st.lists(st.text(min_size=1, max_size=4), max_size=20, unique=True),
       st.integers(0, 2**48), st.data())
def test_nobody_audits_a_record_they_made(auditors, chosen, seed, data):
    authors = {key: {data.draw(st.sampled_from(auditors))} for key in chosen}
    given_to = dipsample.assign(chosen, auditors, seed, exclude=authors)
    for key, auditor in given_to.items():
        assert auditor not in authors[key]
        if len(auditors) > 1:
            assert auditor is not None


def test_records_are_shared_evenly_among_the_auditors():
    given_to = dipsample.assign([f"r{n}" for n in range(9)], [1, 2, 3], seed=7)
    counts = {a: list(given_to.values()).count(a) for a in (1, 2, 3)}
    assert counts == {1: 3, 2: 3, 3: 3}


def test_a_record_whose_only_auditor_made_it_goes_to_nobody():
    assert dipsample.assign(["r1"], [4], seed=1, exclude={"r1": {4}}) == {"r1": None}


def test_the_quality_form_grades_the_five_areas_seed_001_asks_for():
    form = dipsample.form()
    assert [a.code for a in form.areas] == ["analysis", "childs_voice", "timeliness",
                                            "management_oversight", "language"]
    assert all(a.citation for a in form.areas)
    assert form.grade_label("requires_improvement") == "Requires improvement"


def test_a_form_listing_an_area_twice_is_refused_with_the_file_named():
    data = {"version": "1", "default_size": 5,
            "areas": [{"code": "a", "label": "A", "hint": "h", "citation": "c"}] * 2,
            "grades": [{"code": "g", "label": "G"}, {"code": "b", "label": "B"}]}
    with pytest.raises(dipsample.DipSampleDataError, match="dip.toml: areas: a listed twice"):
        dipsample.parse(data, "dip.toml")
