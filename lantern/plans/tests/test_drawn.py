"""The plan's part of the child's record drawn in Python (`plans.drawn.child_plan_html`,
issue 18) is the markup of plans/_child_plan.html, which it replaced, character for character:
with and without a plan, a review date, open actions and outcome measures."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import engines
from django.urls import reverse

from lantern.foundation.models import Child
from lantern.plans import drawn

# plans/_child_plan.html, which the child's record included before `drawn.child_plan_html`.
OLD_CHILD_PLAN = """<h2 class="govuk-heading-m" id="plan">Plan</h2>
{% if active_plan %}
<p class="govuk-body">The plan has {{ open_plan_actions }} open action{{ open_plan_actions|pluralize }}{% if active_plan.next_review_on %}; next review by {{ active_plan.next_review_on|date:"j F Y" }}{% endif %}. <a class="govuk-link" href="{% url 'plans:plan' child.pk %}">Read the plan</a></p>
{% else %}
<p class="govuk-body">No plan yet. <a class="govuk-link" href="{% url 'plans:plan' child.pk %}">The plan</a></p>
{% endif %}
<p class="govuk-body"><a class="govuk-link" href="{% url 'meetings:child_meetings' child.pk %}">Meetings about {{ child.given_names }}</a></p>
{% include "plans/_measures_table.html" %}
"""  # noqa: E501

_ROWS = [{"row": SimpleNamespace(measure=SimpleNamespace(label="Going <missing> & back"),
                                 change=change), "cells": [2, None]}
         for change in ("better", "worse", "same", "")]


@pytest.mark.parametrize("plan", [None, SimpleNamespace(next_review_on=None),
                                  SimpleNamespace(next_review_on=datetime.date(2026, 3, 4))])
@pytest.mark.parametrize("open_actions", [0, 1, 5])
@pytest.mark.parametrize("rows", [[], _ROWS])
def test_the_plan_on_the_record_is_the_old_templates_markup(plan, open_actions, rows):
    child = Child(pk=7, given_names="Jade O'Neil & <co>", family_name="Example")
    measures = {"measure_rows": rows, "measure_dates": [datetime.date(2026, 1, 2),
                                                        datetime.date(2026, 2, 3)],
                "rating_labels": {1: "No concern", 5: "Serious <concern>"}}
    old = engines["django"].from_string(OLD_CHILD_PLAN).render(
        {"child": child, "active_plan": plan, "open_plan_actions": open_actions, **measures})
    links = {"plans_plan": reverse("plans:plan", args=[7]),
             "meetings_child_meetings": reverse("meetings:child_meetings", args=[7])}
    new = drawn.child_plan_html(child, active_plan=plan, open_plan_actions=open_actions,
                                links=links, **measures)
    assert new == old
