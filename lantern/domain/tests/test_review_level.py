"""The level of risk a child's reviews follow (issue 14, item 4): the level the meeting set
(seed 001: "the level of risk ... will be determined by the MASE/strategy meeting"), raised,
never lowered, by a later screening."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lantern.domain.pathway import Level, review_level

START = datetime(2026, 1, 1, tzinfo=UTC)

levels = st.builds(Level, framework=st.sampled_from(["wm", "seraf"]),
                   category=st.integers(1, 4),
                   at=st.integers(0, 1000).map(lambda h: START + timedelta(hours=h)))


def test_with_no_meeting_the_latest_screening_counts():
    screening = Level("wm", 2, START)
    assert review_level(screening, None) == screening
    assert review_level(None, None) is None


def test_the_meeting_s_level_stands_over_an_earlier_screening():
    screening = Level("wm", 1, START)
    meeting = Level("wm", 3, START + timedelta(days=3), by_meeting=True)
    assert review_level(screening, meeting) == meeting


def test_a_lower_screening_after_the_meeting_does_not_lower_the_reviews():
    meeting = Level("wm", 3, START, by_meeting=True)
    assert review_level(Level("wm", 1, START + timedelta(days=1)), meeting) == meeting


def test_a_higher_screening_after_the_meeting_raises_them():
    meeting = Level("wm", 2, START, by_meeting=True)
    later = Level("wm", 3, START + timedelta(days=1))
    assert review_level(later, meeting) == later


@given(screening=st.none() | levels, meeting=st.none() | levels)
def test_reviews_never_follow_less_than_the_meeting_set(screening, meeting):
    chosen = review_level(screening, meeting)
    if meeting is None:
        assert chosen == screening
        return
    assert chosen is not None and chosen in (meeting, screening)
    if chosen.framework == meeting.framework:
        assert chosen.category >= meeting.category
    if chosen is not meeting:
        # Only a later screening of a higher category in the same framework displaces it.
        assert chosen.at > meeting.at and chosen.category > meeting.category
