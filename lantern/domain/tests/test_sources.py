"""Citations name the published procedures, never the team's file names (lantern.domain.sources)."""

from hypothesis import given
from hypothesis import strategies as st

from lantern.domain.sources import BY_NUMBER, PROCEDURES, cited, names_a_procedure


def test_the_five_procedures_by_their_file_names():
    assert [p.number for p in PROCEDURES] == ["000", "001", "002", "003", "004"]
    assert BY_NUMBER["001"].title.startswith("Coventry Safeguarding Children Board, CSE toolkit")
    assert len({p.short for p in PROCEDURES}) == 5


def test_cited_names_each_procedure_and_keeps_the_rest():
    assert cited("seed 001") == "West Midlands CSE toolkit"
    assert cited("seed 000 §13; seed 002 §5.8") == (
        "Stockport CSE procedure §13; All Wales CSE protocol §5.8")
    assert cited("seed 004: daily and weekly tasking") == (
        "Stockport CSE strategy: daily and weekly tasking")
    assert cited("(seed 003 §11)") == "(Bristol CSE practice guidance §11)"
    assert cited("Seed 001, Figure 2") == "West Midlands CSE toolkit, Figure 2"
    assert cited("seed 001's Figure 2") == "West Midlands CSE toolkit's Figure 2"
    assert names_a_procedure(cited("seed 002 §5.8")) and not names_a_procedure("SPEC §2")


def test_cited_leaves_text_without_a_citation_alone():
    for text in ["", "SPEC §3.1", "a 2007 case", "Due in 24 hours (00:00)"]:
        assert cited(text) == text


# Text around the citations: anything but a "0", so only a citation holds "seed 00".
_plain = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x000"), max_size=20)
_citation = st.builds(
    lambda seed, case, section: (case("seed") + f" {seed}" + section),
    st.sampled_from([p.number for p in PROCEDURES]),
    st.sampled_from([str.lower, str.upper, str.title]),
    st.sampled_from(["", " §5.8", ", appendix 3", " §13"]),
)


@given(st.lists(st.one_of(_plain, _citation), max_size=8))
def test_cited_never_leaves_a_file_name(parts):
    text = "".join(parts)
    shown = cited(text)
    assert "seed 00" not in shown.lower()
    assert shown.count("§") == text.count("§")
    assert cited(shown) == shown
