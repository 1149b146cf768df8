"""The referrals tray's rows drawn in Python (lantern.pathway.drawn) are the markup of the
template loop they replaced, character for character, whatever the row holds."""

import itertools
from types import SimpleNamespace

from django.template import engines
from django.utils.safestring import mark_safe

from lantern.pathway import drawn

# The rows as pathway/tray.html drew them before `drawn.awaiting_rows`.
AWAITING_ROWS = """  {% for referral in rows %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell"><a class="govuk-link" href="{{ referral.url }}">{{ referral.child.full_name }}</a>{% if referral.urgent %} <strong class="govuk-tag govuk-tag--red">Urgent</strong>{% endif %}</td>
      <td class="govuk-table__cell">{{ referral.agency.name }}</td>
      <td class="govuk-table__cell lantern-nowrap">{{ referral.received_text }}</td>
      <td class="govuk-table__cell">{% if referral.screening %}Category {{ referral.screening.final_category }}{% else %}None{% endif %}</td>
      <td class="govuk-table__cell"><span class="{% if referral.past_due %}lantern-overdue{% endif %}">{{ referral.due_text }}<br>{{ referral.due_words }}</span><br><span class="govuk-body-s">{{ referral.due_basis|cited }}</span></td>
    </tr>
  {% endfor %}"""  # noqa: E501


def _rows():
    names = ["Amy O'Neil & <Co>", mark_safe("<i>Bo</i>")]
    agencies = ["St Mary's \"School\"", "Police <North>"]
    screenings = [None, SimpleNamespace(final_category=3)]
    for n, (name, agency, screening, urgent, past) in enumerate(itertools.product(
            names, agencies, screenings, [False, True], [False, True])):
        yield SimpleNamespace(
            url=f"/referrals/{n}/?a=1&b=2", child=SimpleNamespace(full_name=name),
            urgent=urgent, agency=SimpleNamespace(name=agency), received_text="3 Mar 2026, 14:05",
            screening=screening, past_due=past, due_text="4 Mar 2026, 14:05",
            # What awaiting_decision reads for the drawn rows, for the agency and screening.
            agency_name=agency, screening_category=screening and screening.final_category,
            due_words="Overdue by 3 hours" if past else "Due in 2 days",
            due_basis="seed 001: 24 hours <MASH> & \"more\"")


def test_the_awaiting_rows_are_the_templates_markup():
    rows = list(_rows())
    template = engines["django"].from_string(AWAITING_ROWS)
    assert "  " + drawn.awaiting_rows(rows) == template.render({"rows": rows})
    assert drawn.awaiting_rows([]) == ""
