"""The missing episodes' timeline (missing/_timeline.html) is drawn by `{% missing_timeline %}`
rather than by the template's loop (issue 18): the loop's markup, character for character."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import timezone

from lantern.missing import queries
from lantern.missing.models import MissingEpisode, ReturnInterview
from lantern.missing.testing import make_episode, make_interview

# The timeline as missing/_timeline.html drew it before `missing_timeline`.
OLD_TIMELINE = """{# Missing episodes on a timeline, newest first. Links and times are worked out in lantern.missing.queries.on_timeline. #}
<div class="moj-timeline" id="missing-timeline">
  {% for episode in episodes %}
  <div class="moj-timeline__item">
    <div class="moj-timeline__header">
      <h3 class="moj-timeline__title"><a class="govuk-link" href="{{ episode.url }}">Missing from {{ episode.get_missing_from_display|sentence }}</a>{% if episode.is_missing %} <strong class="govuk-tag govuk-tag--red">Missing now</strong>{% endif %}</h3>
      <p class="moj-timeline__byline">recorded by {{ episode.agency.name }}</p>
    </div>
    <p class="moj-timeline__date"><time datetime="{{ episode.went_iso }}">{{ episode.went_text }}</time></p>
    <div class="moj-timeline__description">
      {% if episode.is_missing %}Missing for {{ episode.duration_text }} so far.{% else %}Found {{ episode.found_text }}{% if episode.found_where %} at {{ episode.found_where }}{% endif %}, after {{ episode.duration_text }}.{% endif %}
      {% if not episode.is_missing %}{% if episode.interview %} Return home interview: {% if episode.interview.outcome == "held" %}held {{ episode.interview_text }}{% else %}offered; the child did not want it{% endif %}.{% else %} Return home interview not recorded yet.{% endif %}{% endif %}
    </div>
  </div>
  {% endfor %}
</div>
"""  # noqa: E501


def _both(episodes):
    old = engines["django"].from_string(OLD_TIMELINE).render({"episodes": episodes})
    new = engines["django"].get_template("missing/_timeline.html").render({"episodes": episodes})
    return new, old


@pytest.mark.django_db
def test_the_timeline_is_the_old_loops_markup(p, child):
    now = timezone.now()
    held = make_episode(child, p.alice, went_missing_at=now - timedelta(days=9),
                        found_where="Mill Road <by the \"canal\"> & bridge")
    make_interview(held, p.alice, agency=p.riverside)
    declined = make_episode(child, p.alice, went_missing_at=now - timedelta(days=7),
                            found_where="")
    make_interview(declined, p.alice, agency=p.riverside,
                   outcome=ReturnInterview.Outcome.DECLINED, child_words="",
                   declined_reason="Did not want to talk")
    make_episode(child, p.alice, went_missing_at=now - timedelta(days=5))  # no interview yet
    make_episode(child, p.alice, went_missing_at=now - timedelta(hours=5), back_after=None,
                 missing_from="childrens_home")
    p.alice.agency.name = "O'Brien & <Sons>"
    p.alice.agency.save()
    child.refresh_from_db()
    # As the episodes page reads them (interview by select_related, absent -> raises) and as
    # the record does (its own columns, absent interview -> None).
    for episodes in (queries.on_timeline(queries.episodes_for(child)),
                     queries.for_child_record(child)["missing_episodes"]):
        assert len(episodes) == 4
        new, old = _both(episodes)
        assert new == old
        assert "Missing now" in new and "offered; the child did not want it" in new
        assert "not recorded yet" in new and "&lt;by the &quot;canal&quot;&gt;" in new
    new, old = _both([])
    assert new == old


def test_an_interview_that_is_not_there_reads_as_none():
    class Raises(SimpleNamespace):
        @property
        def interview(self):
            raise MissingEpisode.interview.RelatedObjectDoesNotExist()

    episode = Raises(url="/e/1/?a=1&b=2", get_missing_from_display=lambda: "Home", is_missing=False,
                     agency=SimpleNamespace(name="A & B"), went_iso="x", went_text="3 March",
                     found_text="4 March", found_where="", duration_text="a day",
                     interview_text="")
    new, old = _both([episode])
    assert new == old and "not recorded yet" in new
