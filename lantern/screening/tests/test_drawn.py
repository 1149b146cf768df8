"""The category history's dots and table rows drawn in Python (`queries.category_history`,
issue 18) are the markup the template's loops drew, character for character (the template
draws them where its loops were): for every
generated child's screenings (their dots at fractional places, risk rising, falling and
staying), two frameworks, one screening alone, and names that must be escaped."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse

from lantern import testing
from lantern.foundation.models import Child
from lantern.screening import queries
from lantern.site import generate

pytestmark = pytest.mark.django_db

# The loops of screening/_history.html that `queries.category_history` now draws: the
# chart's dots, its lines and labels a category, and the table's rows.
OLD_DOTS = """{% for row in block.rows %}
    <circle cx="{{ row.dot.x }}" cy="{{ row.dot.y }}" r="6" fill="#1d70b8" stroke="#ffffff" stroke-width="2"><title>{{ row.dot_title }}</title></circle>
    {% endfor %}"""  # noqa: E501
OLD_TICKS = """{% with chart=block.chart noun=block.framework.category_noun %}{% for tick in chart.ticks %}
    <line x1="{{ chart.left }}" x2="{{ chart.right }}" y1="{{ tick.y }}" y2="{{ tick.y }}" stroke="#b1b4b6" stroke-width="1"/>
    <text x="{{ chart.left|add:-12 }}" y="{{ tick.y }}" dy="0.35em" text-anchor="end" font-size="16" fill="#0b0c0c">{{ noun|capfirst }} {{ tick.category }}</text>
    {% endfor %}{% endwith %}"""  # noqa: E501
OLD_ROWS = """{% for row in block.rows %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell lantern-nowrap"><a class="govuk-link" href="{{ row.url }}">{{ row.date }}</a></td>
      <td class="govuk-table__cell">{{ row.screening.final_category }}: {{ row.label }}</td>
      <td class="govuk-table__cell">{{ row.movement }}</td>
      <td class="govuk-table__cell">{{ row.by }}</td>
    </tr>
  {% endfor %}"""  # noqa: E501


def test_the_history_is_the_old_templates_markup(p):
    generate.generate(6)
    odd = testing.make_child(p.alice)
    p.alice.first_name, p.alice.last_name = "Ann <O'Neil>", "& Co"
    p.alice.save()
    for category in (1, 3, 3, 2):
        testing.make_screening(odd, p.alice, indicators=("wm1.despair",),
                               final_category=category, rationale="Police intelligence.")
    testing.make_screening(odd, p.alice, framework="sera", indicators=("sera1.getting_into_cars",))
    alone = testing.make_child(p.alice)
    testing.make_screening(alone, p.alice)
    dots, rows, ticks = (engines["django"].from_string(old)
                         for old in (OLD_DOTS, OLD_ROWS, OLD_TICKS))
    drawn = 0
    for child in Child.objects.all():
        for block in queries.category_history(queries.child_screenings(child)):
            assert block["dots_html"] == dots.render({"block": block}), child.pk
            assert block["rows_html"] == rows.render({"block": block}), child.pk
            assert block["ticks_html"] == ticks.render({"block": block}), child.pk
            drawn += 1
    assert drawn > 6  # most children have a history; the odd one has two


# screening/_history.html as the child's record included it before `queries.history_html`.
OLD_HISTORY = """<h2 class="govuk-heading-m" id="risk-over-time">Risk over time</h2>
{% for block in history %}
{% with fw=block.framework chart=block.chart noun=block.framework.category_noun %}
{% if history|length > 1 %}<h3 class="govuk-heading-s">{{ fw.name }}</h3>{% endif %}
<figure class="govuk-!-margin-0 govuk-!-margin-bottom-4" aria-labelledby="history-{{ fw.code }}-caption">
  <figcaption id="history-{{ fw.code }}-caption" class="govuk-body">{{ block.summary }}</figcaption>
  <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{ chart.width }} {{ chart.height }}" width="100%" role="img" aria-labelledby="history-{{ fw.code }}-title" focusable="false" class="lantern-history-chart">
    <title id="history-{{ fw.code }}-title">Chart of the {{ noun }} decided at each screening over time, drawn from the table below</title>
    {{ block.ticks_html }}
    <path d="{{ chart.path }}" fill="none" stroke="#1d70b8" stroke-width="3"/>
    {{ block.dots_html }}
    <text x="{{ chart.left }}" y="{{ chart.height|add:-10 }}" font-size="16" fill="#0b0c0c">{{ chart.first.when|date:"j M Y" }}</text>
    {% if block.rows|length > 1 %}<text x="{{ chart.right }}" y="{{ chart.height|add:-10 }}" text-anchor="end" font-size="16" fill="#0b0c0c">{{ chart.last.when|date:"j M Y" }}</text>{% endif %}
  </svg>
</figure>
<div class="lantern-table-scroll" role="region" aria-label="Screenings with the {{ fw.name }}, oldest first" tabindex="0">
<table class="govuk-table" id="history-{{ fw.code }}-table">
  <caption class="govuk-table__caption govuk-table__caption--s">Screenings with the {{ fw.name }}, oldest first</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Date</th>
    <th scope="col" class="govuk-table__header">{{ noun|capfirst }} decided</th>
    <th scope="col" class="govuk-table__header">Change</th>
    <th scope="col" class="govuk-table__header">Screened by</th>
  </tr></thead>
  <tbody class="govuk-table__body">
  {{ block.rows_html }}
  </tbody>
</table>
</div>
{% endwith %}
{% empty %}
<p class="govuk-body">No screenings yet.</p>
{% endfor %}
"""  # noqa: E501


def test_the_whole_history_is_the_old_includes_markup(p):
    generate.generate(4)
    odd = testing.make_child(p.alice)
    for category in (1, 3):
        testing.make_screening(odd, p.alice, indicators=("wm1.despair",),
                               final_category=category, rationale="Police intelligence.")
    testing.make_screening(odd, p.alice, framework="sera", indicators=("sera1.getting_into_cars",))
    alone = testing.make_child(p.alice)
    testing.make_screening(alone, p.alice)
    never = testing.make_child(p.alice)
    old = engines["django"].from_string(OLD_HISTORY)
    kinds = set()
    for child in Child.objects.all():
        history = queries.category_history(queries.child_screenings(child))
        assert queries.history_html(history) == old.render({"history": history}), child.pk
        kinds.add(min(len(history), 2) * 10 + min(max((len(b["rows"]) for b in history),
                                                      default=0), 2))
    assert {0, 11, 12, 22} <= kinds  # none, one alone, one with a history, two frameworks
    assert never.pk


@pytest.mark.parametrize("count", [0, 1, 2])
@pytest.mark.parametrize("urgent", [False, True])
@pytest.mark.parametrize("screened", [False, True])
def test_the_prompt_to_screen_again_is_the_templates_markup(count, urgent, screened):
    latest = None
    if screened:
        latest = SimpleNamespace(screened_at=datetime.datetime(2026, 7, 1, 23, 30,
                                                               tzinfo=datetime.UTC),
                                 final_category_name="Category <2> & \"medium\"")
    rescreen = {"latest": latest, "count": count, "urgent": urgent} if count else None
    child = Child(pk=7, given_names="Jade O'Neil & <co>", family_name="Example")
    old = render_to_string("screening/_rescreen_prompt.html",
                           {"rescreen": rescreen, "child": child, "show_link": True})
    new_url = reverse("screening:new", args=[child.pk])
    assert queries.rescreen_html(child, rescreen, new_url=new_url) == old
