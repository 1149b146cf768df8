"""The referrals tray's rows drawn in Python (lantern.pathway.drawn) are the markup of the
template loop they replaced, character for character, whatever the row holds."""

import datetime
import itertools
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import engines
from django.test.utils import ContextList
from django.urls import reverse
from django.utils.safestring import mark_safe

from lantern import testing
from lantern.pathway import actions, drawn
from lantern.pathway.models import MeetingRequirement, Outcome, TrackedResponse

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


# A child's pathway as pathway/_child_pathway.html drew it before `drawn.child_pathway_html`
# (the child's record and the pathway page included it).
OLD_CHILD_PATHWAY = """{# A child's pathway: each step with when it started, when it was due and why, and when it was done. Included in the child's record and the pathway page. #}
{% if current_pathway %}
<p class="govuk-body">Now at: <strong>{{ current_pathway.get_state_display }}</strong>{% if current_pathway.urgent %} <strong class="govuk-tag govuk-tag--red">Urgent route: section 47</strong>{% endif %}</p>
{% endif %}
{% for pathway in pathways %}
<div class="lantern-table-scroll" role="region" aria-label="Pathway steps" tabindex="0">
<table class="govuk-table">
  <caption class="govuk-table__caption govuk-table__caption--s">{% if pathway.is_open %}Pathway since {{ pathway.started_at|date:"j M Y" }}{% else %}Pathway {{ pathway.started_at|date:"j M Y" }} to {{ pathway.exited_at|date:"j M Y" }}: {{ pathway.get_exit_route_display|sentence }}{% endif %}</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Step</th>
    <th scope="col" class="govuk-table__header">Started</th>
    <th scope="col" class="govuk-table__header">Due</th>
    <th scope="col" class="govuk-table__header">Done</th>
  </tr></thead>
  <tbody class="govuk-table__body">
  {{ pathway.steps_html }}
  </tbody>
</table>
</div>
{% with requirements=pathway.requirements.all %}{% if requirements %}
<h3 class="govuk-heading-s" id="required-meetings-{{ pathway.pk }}">Meetings the child's category calls for</h3>
<ul class="govuk-list">
  {% for requirement in requirements %}
  <li id="required-{{ requirement.pk }}"><strong>{{ requirement.label }}</strong>: {{ requirement.framework|upper }} category {{ requirement.category }} ({{ requirement.citation|cited }}).<br>
    {% if requirement.held_at %}<strong class="govuk-tag govuk-tag--green">Held</strong> {{ requirement.held_at|date:"j M Y" }}{% if requirement.meeting_url %} <a class="govuk-link" href="{{ requirement.meeting_url }}">View the meeting</a>{% endif %}
    {% elif requirement.excepted_at %}<strong class="govuk-tag govuk-tag--orange">Exception</strong> Not held: {{ requirement.excepted_by.display_name }}, manager, {{ requirement.excepted_at|date:"j M Y" }}: {% checked_text requirement.exception_reason %}
    {% else %}<strong class="govuk-tag govuk-tag--red">To be held</strong> {% if requirement.work_item %}{% with item=requirement.work_item %}due {{ item|due:now }} <span class="govuk-body-s">{{ item.basis|cited }}</span>{% endwith %}{% endif %}. The pathway cannot reach a plan or end until it is held, unless a manager records an exception.
      {% if may_except and pathway.is_open %}
      <form method="post" novalidate action="{% url 'pathway:meeting_exception' child.pk requirement.pk %}">
        {% csrf_token %}
        {% if exception_for == requirement.pk %}{% field exception_form.reason label_size="s" rows=3 %}{% else %}<div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="id_reason_{{ requirement.pk }}">Why will the meeting not be held?</label><div class="govuk-hint">A manager's exception: it is recorded on the child's record and counted in monitoring</div><textarea class="govuk-textarea" id="id_reason_{{ requirement.pk }}" name="reason" rows="3"></textarea></div>{% endif %}
        <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Record an exception</button>
      </form>
      {% endif %}
    {% endif %}
  </li>
  {% endfor %}
</ul>
{% endif %}{% endwith %}
{% with responses=pathway.responses.all %}{% if responses %}
<h3 class="govuk-heading-s" id="responses-{{ pathway.pk }}">Responses the child's category or screening calls for</h3>
<ul class="govuk-list">
  {% for response in responses %}
  <li id="response-{{ response.pk }}" class="govuk-!-margin-bottom-6"><strong>{{ response.label }}</strong> ({{ response.citation|cited }}).{% if response.indicated %} <strong class="govuk-tag govuk-tag--red">May have been trafficked</strong>{% endif %}<br>
    {% if response.done_at %}<strong class="govuk-tag govuk-tag--green">Done</strong> {{ response.outcome_label }}, {{ response.done_at|date:"j M Y" }}
    {% else %}{% if response.outcome_label %}<strong class="govuk-tag govuk-tag--blue">{{ response.outcome_label }}</strong>{% else %}<strong class="govuk-tag govuk-tag--red">To do</strong>{% endif %}
      {% if response.work_item and response.work_item.status == "open" %}{% with item=response.work_item %}{{ item.title }}. With: {{ item.owner_label }}. Due: {{ item|due:now }} <span class="govuk-body-s">{{ item.basis|cited }}</span>{% endwith %}{% endif %}
    {% endif %}
    {% if response.blocks_exit %}
      {% if response.excepted_at %}<br><strong class="govuk-tag govuk-tag--orange">Exception</strong> The pathway may end before the decision: {{ response.excepted_by.display_name }}, manager, {{ response.excepted_at|date:"j M Y" }}: {% checked_text response.exception_reason %}
      {% elif not response.decided_at %}<br>The child cannot leave the pathway until the decision is recorded, unless a manager records an exception.{% endif %}
    {% endif %}
    {% if response.history %}
    <details class="govuk-details govuk-!-margin-top-2 govuk-!-margin-bottom-2">
      <summary class="govuk-details__summary"><span class="govuk-details__summary-text">What was done</span></summary>
      <div class="govuk-details__text"><ul class="govuk-list govuk-body-s">{% for entry in response.history %}<li><strong>{{ entry.label }}</strong>: {% checked_text entry.note %} ({{ entry.by }}){% if entry.meeting %} <a class="govuk-link" href="{{ entry.meeting }}">View the meeting</a>{% endif %}</li>{% endfor %}</ul></div>
    </details>
    {% endif %}
    {% if response.form %}
    <form method="post" novalidate action="{% url 'pathway:record_response' child.pk response.pk %}">
      {% csrf_token %}
      {% field response.form.outcome label_size="s" %}
      {% field response.form.note label_size="s" rows=3 %}
      <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Record what was done</button>
    </form>
    {% endif %}
    {% if response.exception_form and pathway.is_open %}
    <form method="post" novalidate action="{% url 'pathway:response_exception' child.pk response.pk %}">
      {% csrf_token %}
      {% field response.exception_form.reason label_size="s" rows=3 %}
      <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Record an exception</button>
    </form>
    {% endif %}
  </li>
  {% endfor %}
</ul>
{% endif %}{% endwith %}
{% with adults=pathway.adult_referrals.all %}{% if adults %}
<h3 class="govuk-heading-s" id="adult-safeguarding-{{ pathway.pk }}">Adult safeguarding</h3>
<ul class="govuk-list">
  {% for adult in adults %}
  <li id="adult-referral-{{ adult.pk }}" class="govuk-!-margin-bottom-6"><strong>{{ adult.route }}</strong>: adult safeguarding is told of every concern about a young person aged 18 or over ({{ adult.citation|cited }}). {{ adult.trigger }}.<br>
    {% if adult.recorded_at %}<strong class="govuk-tag govuk-tag--green">Told</strong> {{ adult.referred_on|date:"j M Y" }}: {{ adult.referred_to }}, reference {{ adult.reference }} (recorded by {{ adult.recorded_by.display_name }})
    {% elif adult.excepted_at %}<strong class="govuk-tag govuk-tag--orange">Exception</strong> Not told: {{ adult.excepted_by.display_name }}, manager, {{ adult.excepted_at|date:"j M Y" }}: {% checked_text adult.exception_reason %}
    {% else %}<strong class="govuk-tag govuk-tag--red">To do</strong>
      {% if adult.work_item and adult.work_item.status == "open" %}{% with item=adult.work_item %}{{ item.title }}. With: {{ item.owner_label }}. Due: {{ item|due:now }} <span class="govuk-body-s">{{ item.basis|cited }}</span>{% endwith %}{% endif %}
    {% endif %}
    {% if adult.form %}
    <form method="post" novalidate action="{% url 'pathway:adult_referral' child.pk adult.pk %}">
      {% csrf_token %}
      {% field adult.form.referred_on %}
      {% field adult.form.referred_to label_size="s" %}
      {% field adult.form.reference label_size="s" %}
      <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Record that adult safeguarding was told</button>
    </form>
    {% endif %}
    {% if adult.exception_form %}
    <form method="post" novalidate action="{% url 'pathway:adult_exception' child.pk adult.pk %}">
      {% csrf_token %}
      {% field adult.exception_form.reason label_size="s" rows=3 %}
      <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Record an exception</button>
    </form>
    {% endif %}
  </li>
  {% endfor %}
</ul>
{% endif %}{% endwith %}
{% empty %}
<p class="govuk-body">No pathway yet.</p>
{% endfor %}
{% if other_work %}
<h3 class="govuk-heading-s">Other work due</h3>
<ul class="govuk-list">
  {% for item in other_work %}
  <li>{% if item.url %}<a class="govuk-link" href="{{ item.url }}">{{ item.title }}</a>{% else %}{{ item.title }}{% endif %}: due {{ item|due:now }}<br><span class="govuk-body-s">{{ item.basis|cited }}</span></li>
  {% endfor %}
</ul>
{% endif %}
"""  # noqa: E501


def without_csrf(html: str) -> str:
    """`html` without its forms' CSRF tokens, which differ each time one is drawn."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)


def page_context(response, key: str) -> dict:
    """The context a page drew its template with (the one holding `key`), as a dictionary."""
    # Each a template.Context: a page that includes templates has a list of them.
    contexts: list[Any] = (list(response.context) if isinstance(response.context, ContextList)
                           else [response.context])
    return next(context.flatten() for context in contexts if key in context)


def pathway_children(p) -> list:
    """Children at each point a pathway draws differently: none; a required meeting to hold,
    or excepted; responses to a trafficking indicator; adult safeguarding to tell; an urgent
    route; an ended pathway; names that must be escaped."""
    bare = testing.make_child(p.alice, given_names="Amy <O'Neil> &")
    children = [bare]
    for indicators in [("wm2.vehicles",), ("wm3.trafficked",), ("wm2.vehicles",)]:
        child = testing.make_child(p.alice, given_names="Bo \"<b>\"")
        testing.make_screening(child, p.alice, indicators=indicators)
        referral = testing.make_referral(child, p.alice)
        actions.decide_referral(referral, Outcome.STRATEGY_DISCUSSION, by=p.fiona,
                                rationale="Adults are targeting her.")
        children.append(child)
    actions.record_meeting_exception(MeetingRequirement.objects.get(child=children[-1]),
                                     by=p.maria, reason="Held for her sister <yesterday>.")
    adult = testing.make_child(p.alice, given_names="Kim", care_leaver=True,
                               learning_disability=True,
                               date_of_birth=testing.birthday_years_ago(19, days_after=30))
    testing.make_screening(adult, p.alice, indicators=("wm2.vehicles",))
    urgent = testing.make_child(p.alice, given_names="Una")
    actions.take_urgent_route(urgent, by=p.fiona, reason="Found with adults at 2am.")
    ended = testing.make_child(p.alice, given_names="Eve")
    actions.decide_referral(testing.make_referral(ended, p.alice), Outcome.EARLY_HELP,
                            by=p.fiona, rationale="Her school's early help team will lead.")
    return [*children, adult, urgent, ended]


@pytest.mark.django_db
def test_the_pathway_page_draws_the_old_templates_markup(p, as_user):
    children = pathway_children(p)
    old = engines["django"].from_string(OLD_CHILD_PATHWAY)
    new = engines["django"].from_string("{% load pathways %}{% child_pathway %}")
    compared, parts, ended = 0, 0, 0
    for viewer in (p.fiona, p.maria, p.alice, p.bob):
        client = as_user(viewer)
        for child in children:
            response = client.get(reverse("pathway:pathway", args=[child.pk]))
            if response.status_code != 200:
                continue
            context, request = page_context(response, "pathways"), response.wsgi_request
            drawn_now = without_csrf(new.render(context, request))
            assert drawn_now == without_csrf(old.render(context, request)), (viewer, child)
            compared += 1
            parts += "<form" in drawn_now and "Record an exception" in drawn_now
            ended += bool(re.search(r"Pathway \d+ \w+ \d{4} to \d+ \w+ \d{4}: ", drawn_now))
    assert compared >= 12 and parts >= 2 and ended >= 1


@pytest.mark.django_db
def test_the_pathway_page_with_a_form_in_error_draws_the_old_templates_markup(p, as_user):
    child = pathway_children(p)[2]
    response = TrackedResponse.objects.filter(child=child).first()
    page = as_user(p.maria).post(
        reverse("pathway:response_exception", args=[child.pk, response.pk]), {})
    assert page.status_code == 200 and "govuk-error-message" in page.content.decode()
    context, request = page_context(page, "pathways"), page.wsgi_request
    old = engines["django"].from_string(OLD_CHILD_PATHWAY)
    new = engines["django"].from_string("{% load pathways %}{% child_pathway %}")
    assert without_csrf(new.render(context, request)) == without_csrf(old.render(context, request))
