"""Finding a child's results drawn in Python (lantern.people.drawn) are the markup of the
template loop they replaced, character for character, whatever the child's record holds."""

import itertools
from datetime import date, timedelta

import pytest
from django.template import engines
from django.utils import timezone

from lantern.foundation.models import Area, Child
from lantern.people import drawn
from lantern.people.search import Match

# The rows as people/_search_results.html drew them before `drawn.match_rows`.
MATCH_ROWS = """    {% for match in matches %}
      <tr class="govuk-table__row">
        <td class="govuk-table__cell">{% if intent == "concern" %}<a class="govuk-link" href="{{ match.url }}">Record a concern<span class="govuk-visually-hidden"> about</span>: {{ match.child.full_name }}</a><br><a class="govuk-link govuk-body-s" href="{{ match.child.get_absolute_url }}">Open the record<span class="govuk-visually-hidden"> of {{ match.child.full_name }}</span></a>{% else %}<a class="govuk-link" href="{{ match.url }}">{{ match.child.full_name }}</a>{% endif %}</td>
        <td class="govuk-table__cell">{% if match.child.date_of_birth %}{{ match.child.date_of_birth|date:"j F Y" }}{% if match.dob_matches %} <strong class="govuk-tag govuk-tag--green">matches</strong>{% endif %}{% else %}Not known{% endif %}<br><span class="govuk-body-s">{{ match.child|child_age }}</span></td>
        <td class="govuk-table__cell">{% if match.child.known_as %}Known as {{ match.child.known_as }}{% if match.child.aliases %}; {% endif %}{% endif %}{{ match.child.aliases|join:", " }}</td>
        <td class="govuk-table__cell">{{ match.child.area.name }}</td>
      </tr>
    {% endfor %}
"""  # noqa: E501


def _matches():
    today = timezone.localdate()
    names = [("Amy", "O'Neil & <Co>"), ("Bo", "Smith")]
    known = ["", "J & J"]
    aliases = [[], ["<Jay>", "Jo \"Jo\""]]
    born = [None, date(2011, 3, 27), today - timedelta(days=365 * 18 + 30)]
    estimated = [None, 15]
    area = Area(pk=1, name="North & <East>")
    for n, ((given, family), known_as, other, dob, estimate, matches) in enumerate(
            itertools.product(names, known, aliases, born, estimated, [False, True])):
        child = Child(pk=n + 1, area=area, given_names=given, family_name=family,
                      known_as=known_as, aliases=other, date_of_birth=dob,
                      estimated_age=estimate, estimated_on=today if estimate else None)
        yield Match(child, 80.0, matches, url=f"/children/{n + 1}/?next=a&b=<c>")


@pytest.mark.parametrize("intent", ["", "concern"])
def test_the_match_rows_are_the_templates_markup(intent):
    matches = list(_matches())
    template = engines["django"].from_string(MATCH_ROWS)
    assert ("    " + drawn.match_rows(matches, intent) + "\n"
            == template.render({"matches": matches, "intent": intent}))
    assert drawn.match_rows([], intent) == ""
