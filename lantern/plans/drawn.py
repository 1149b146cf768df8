"""The plan's part of the child's record drawn in Python: the record drew it on every opening
(issue 18). The markup is plans/_child_plan.html's, which it replaced, character for character;
lantern/plans/tests/test_drawn.py holds it to that template."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from lantern.foundation.drawn import esc
from lantern.foundation.when import long_date


def child_plan_html(child, *, active_plan, open_plan_actions: int, measure_rows: list,
                    measure_dates: list, rating_labels: dict, links: dict) -> SafeString:
    """The plan summary, the child's meetings and the outcome measures (the measures' table
    still drawn by plans/_measures_table.html, which the plan's pages include, when there
    are measures); `links`, the record's addresses by URL name ("plans_plan")."""
    plan = links["plans_plan"]
    if active_plan:
        count = open_plan_actions
        review = (f"; next review by {long_date(active_plan.next_review_on)}"
                  if active_plan.next_review_on else "")
        summary = (f'<p class="govuk-body">The plan has {esc(count)} open '
                   f"action{'' if count == 1 else 's'}{review}. "
                   f'<a class="govuk-link" href="{plan}">Read the plan</a></p>')
    else:
        summary = (f'<p class="govuk-body">No plan yet. <a class="govuk-link" href="{plan}">'
                   "The plan</a></p>")
    table: str
    if measure_rows:
        table = render_to_string("plans/_measures_table.html", {
            "measure_rows": measure_rows, "measure_dates": measure_dates,
            "rating_labels": rating_labels})
    else:
        table = '\n<p class="govuk-body">No outcome measures recorded yet.</p>\n\n'
    return SafeString(
        '<h2 class="govuk-heading-m" id="plan">Plan</h2>\n'
        f"\n{summary}\n\n"
        f'<p class="govuk-body"><a class="govuk-link" href="{links["meetings_child_meetings"]}">'
        f"Meetings about {esc(child.given_names)}</a></p>\n"
        f"{table}\n")
