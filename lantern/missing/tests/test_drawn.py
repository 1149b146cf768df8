"""The record's missing-episode pattern drawn in Python (missing.drawn.pattern_html) is the
markup of missing/_pattern.html, which other pages still include, character for character,
for every kind of pattern (issue 18)."""

import datetime
import itertools

from django.template.loader import render_to_string

from lantern.domain.missing import Pattern, Trigger
from lantern.missing import drawn

_AT = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 2 July in London


def _patterns():
    for missing, longest, ongoing, found, met in itertools.product(
            [None, _AT], [None, datetime.timedelta(hours=30)], [False, True],
            [(), (("Home", 1),), (("Town <centre> & \"park\"", 3), ("Friend's house", 2))],
            [False, True]):
        yield Pattern(
            total=7, last_30=2 + met, last_90=5, longest=longest, longest_is_ongoing=ongoing,
            where_found=found, currently_missing=missing is not None, missing_since=missing,
            trigger=Trigger(episodes=3, days=30), in_trigger_window=2 + met, overnight=1,
            back_same_night=0, from_home=2, day_or_more=1)


def test_the_pattern_is_the_templates_markup():
    patterns = list(_patterns())
    for pattern in patterns:
        assert drawn.pattern_html(pattern) == render_to_string(
            "missing/_pattern.html", {"pattern": pattern}), pattern
    assert len(patterns) == 48
