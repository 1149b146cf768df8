"""The CSE leads directory drawn in Python (lantern.monitoring.drawn) is the markup of the
template loops it replaced, character for character, whatever the agencies and leads hold."""

from types import SimpleNamespace

from django.template import engines

from lantern.monitoring import drawn

# The tables as monitoring/leads.html drew them before `drawn.lead_tables` (agencies listed).
LEAD_TABLES = """{% for group in by_area %}
<h2 class="govuk-heading-m">{{ group.grouper.name }}</h2>
<table class="govuk-table">
  <caption class="govuk-table__caption govuk-visually-hidden">CSE leads in {{ group.grouper.name }}</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Agency</th>
    <th scope="col" class="govuk-table__header">CSE lead</th>
    <th scope="col" class="govuk-table__header">Contact</th>
  </tr></thead>
  <tbody class="govuk-table__body">
  {% for agency in group.list %}
    {% for lead in agency.current_leads %}
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header">{{ agency.name }}</th>
      <td class="govuk-table__cell">{{ lead.name }}{% if lead.job_title %}<br><span class="govuk-body-s">{{ lead.job_title }}</span>{% endif %}</td>
      <td class="govuk-table__cell">{% if lead.phone %}{{ lead.phone }}<br>{% endif %}{% if lead.email %}<a class="govuk-link" href="mailto:{{ lead.email }}">{{ lead.email }}</a>{% endif %}
        {% if agency.pk in editable %}
        <form method="post" action="{% url 'monitoring:remove_lead' lead.pk %}">{% csrf_token %}
          <button type="submit" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0 govuk-!-margin-top-2" data-module="govuk-button">Remove<span class="govuk-visually-hidden"> {{ lead.name }} as a CSE lead</span></button>
        </form>
        {% endif %}
      </td>
    </tr>
    {% empty %}
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header">{{ agency.name }}</th>
      <td class="govuk-table__cell" colspan="2"><strong class="govuk-tag govuk-tag--yellow">No CSE lead named</strong></td>
    </tr>
    {% endfor %}
  {% endfor %}
  </tbody>
</table>
{% endfor %}"""  # noqa: E501


def _agencies():
    north = SimpleNamespace(pk=1, name="North & <Co>")
    east = SimpleNamespace(pk=2, name="East")
    leads = [
        SimpleNamespace(pk=7, name="Dana <Lead>", job_title="Manager & co", phone="0161",
                        email="d@example.org"),
        SimpleNamespace(pk=8, name="Lee \"L\"", job_title="", phone="", email=""),
        SimpleNamespace(pk=9, name="Kai", job_title="", phone="0200", email=""),
    ]
    return [
        SimpleNamespace(pk=10, area=north, area_id=1, name="St Mary's", current_leads=leads[:2]),
        SimpleNamespace(pk=11, area=north, area_id=1, name="Police <N>", current_leads=[]),
        SimpleNamespace(pk=12, area=east, area_id=2, name="Health", current_leads=leads[2:]),
        SimpleNamespace(pk=13, area=east, area_id=2, name="Youth", current_leads=[]),
    ]


def test_the_lead_tables_are_the_templates_markup():
    agencies = _agencies()
    template = engines["django"].from_string(
        "{% regroup agencies by area as by_area %}" + LEAD_TABLES)
    for editable in (set(), {10}, {10, 12}):
        expected = template.render({"agencies": agencies, "editable": editable,
                                    "csrf_token": "tok<en>"})
        assert drawn.lead_tables(agencies, editable, "tok<en>") == expected
