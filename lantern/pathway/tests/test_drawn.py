"""The referrals tray's rows drawn in Python (lantern.pathway.drawn) are the markup of the
template loop they replaced, character for character, whatever the row holds."""

import datetime
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


# A pathway's steps as pathway/_child_pathway.html's loop drew them before `drawn.step_rows`
# (with the due date's include as the `due` filter that replaced it: foundation's tests hold
# that to the include).
STEP_ROWS = """{% load govuk %}  {% for step in pathway.steps.all %}
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header">{% if step.url %}<a class="govuk-link" href="{{ step.url }}">{{ step.get_step_display }}</a>{% else %}{{ step.get_step_display }}{% endif %}{% if step.urgent %} <strong class="govuk-tag govuk-tag--red">Urgent</strong>{% endif %}{% if step.outcome %}<br><span class="govuk-body-s">{{ step.outcome }}</span>{% endif %}</th>
      <td class="govuk-table__cell lantern-nowrap">{{ step.started_at|date:"j M Y, H:i" }}</td>
      <td class="govuk-table__cell">{% if step.work_item %}{% with item=step.work_item %}<span class="lantern-nowrap">{{ item|due:now }}</span><br><span class="govuk-body-s">{{ item.basis|cited }}</span>{% endwith %}{% elif step.no_deadline_reason %}<span class="govuk-body-s">{{ step.no_deadline_reason }}</span>{% else %}<span class="govuk-body-s">Done when it happened</span>{% endif %}</td>
      <td class="govuk-table__cell lantern-nowrap">{% if step.completed_at %}{{ step.completed_at|date:"j M Y, H:i" }}{% if step.work_item and step.completed_at > step.work_item.due_at %} <strong class="govuk-tag govuk-tag--red">late</strong>{% endif %}{% else %}In progress{% endif %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501

_AT = datetime.datetime(2026, 3, 4, 14, 5, tzinfo=datetime.UTC)
_HOUR = datetime.timedelta(hours=1)


def _steps():
    items = [None, SimpleNamespace(due_at=_AT + _HOUR, all_day=False, status="open",
                                   basis="seed 001 <24h>"),
             SimpleNamespace(due_at=_AT - _HOUR, all_day=True, status="done", basis=""),
             SimpleNamespace(due_at=None, all_day=False, status="open", basis="seed 002 §1")]
    for n, (url, urgent, outcome, item, reason, completed) in enumerate(itertools.product(
            ["", "/children/1/pathway/?a=1&b=2"], [False, True], ["", "Strategy <held>"], items,
            ["", "No deadline: \"judged\""], [None, _AT, _AT + _HOUR, _AT + 2 * _HOUR])):
        yield SimpleNamespace(
            get_step_display=lambda n=n: f"Step {n} & <more>", url=url, urgent=urgent,
            outcome=outcome, work_item=item, no_deadline_reason=reason,
            started_at=_AT - 30 * _HOUR, completed_at=completed)


def test_the_steps_are_the_old_loops_markup():
    steps = list(_steps())
    pathway = SimpleNamespace(steps=SimpleNamespace(all=lambda: steps))
    template = engines["django"].from_string(STEP_ROWS)
    assert "  " + drawn.step_rows(steps, _AT) == template.render(
        {"pathway": pathway, "now": _AT})
    assert drawn.step_rows([], _AT) == ""
