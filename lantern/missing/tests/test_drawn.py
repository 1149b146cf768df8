"""The record's missing-episode pattern drawn in Python (missing.drawn.pattern_html) is the
markup of missing/_pattern.html, which other pages still include, character for character,
for every kind of pattern (issue 18)."""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from lantern.domain.missing import Pattern, Trigger
from lantern.foundation.models import Child, LegalStatus
from lantern.foundation.templatetags.govuk import missing_timeline
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


# missing/_child_record_missing.html, which the child's record included before
# `drawn.record_missing_html`.
OLD_RECORD_MISSING = """{# The child's record: missing episodes with their pattern, and transition planning. #}
<h2 class="govuk-heading-m" id="missing">Missing episodes</h2>
{% if missing_episodes %}
{{ missing_pattern_html }}
{% include "missing/_timeline.html" with episodes=missing_episodes %}
<p class="govuk-body"><a class="govuk-link" href="{% url 'missing:episodes' child.pk %}">All missing episodes and what they prompt</a></p>
{% else %}
<p class="govuk-body">No missing episodes recorded.</p>
{% endif %}
<ul class="govuk-list">
  <li><a class="govuk-link" href="{% url 'missing:record_episode' child.pk %}">Record a missing episode</a></li>
  <li><a class="govuk-link" href="{% url 'missing:looked_after' child.pk %}">Looked after</a>{% if child.looked_after %} ({{ child.get_legal_status_display|default:"legal status not recorded" }}){% else %} (not looked after){% endif %}</li>
  {% if child.looked_after or has_missing_profile %}<li><a class="govuk-link" href="{% url 'missing:profile' child.pk %}">Missing-person profile</a>{% if not has_missing_profile %} (none held yet){% endif %}</li>{% endif %}
  {% if transition_plan or child.turns_18_on %}<li><a class="govuk-link" href="{% url 'missing:transition' child.pk %}">Transition to adulthood</a>{% if transition_plan %} (plan recorded {{ transition_plan.updated_at|date:"j F Y" }}){% endif %}</li>{% endif %}
</ul>
"""  # noqa: E501

_EPISODE = SimpleNamespace(
    is_missing=True, duration_text="3 hours", url="/children/7/missing/9/?a=<1>",
    get_missing_from_display=lambda: "Home", agency=SimpleNamespace(name="Police & <co>"),
    went_iso="2026-07-02T00:30:00+01:00", went_text="2 July 2026, 00:30")


@pytest.mark.django_db
@pytest.mark.parametrize(("looked_after", "legal_status"),
                         [(False, ""), (True, ""), (True, LegalStatus.values[0])])
@pytest.mark.parametrize("has_profile", [False, True])
@pytest.mark.parametrize("plan", [None, SimpleNamespace(updated_at=_AT)])
@pytest.mark.parametrize("born", [None, datetime.date(2010, 3, 4)])
@pytest.mark.parametrize("episodes", [[], [_EPISODE]])
def test_the_records_missing_part_is_the_old_templates_markup(looked_after, legal_status,
                                                              has_profile, plan, born,
                                                              episodes):
    child = Child(pk=7, given_names="Jade", family_name="Example", date_of_birth=born,
                  looked_after=looked_after, legal_status=legal_status)
    context = {"child": child, "missing_episodes": episodes,
               "missing_pattern_html": mark_safe("<dl>pattern</dl>"),
               "has_missing_profile": has_profile, "transition_plan": plan}
    old = engines["django"].from_string(OLD_RECORD_MISSING).render(context)
    links = {name.replace(":", "_"): reverse(name, args=[7]) for name in (
        "missing:episodes", "missing:profile", "missing:transition", "missing:record_episode",
        "missing:looked_after")}
    new = drawn.record_missing_html(timeline_html=missing_timeline(episodes), links=links,
                                    **context)
    assert new == old
