"""The front door's referrals tray drawn in Python: 50 rows of five cells, which the template
language drew in more time than the rest of the page (issue 18). The markup is the template's,
character for character; lantern/pathway/tests/test_drawn.py holds it to that template."""

from django.utils.safestring import SafeString

from lantern.domain.sources import cited
from lantern.foundation.drawn import due_html, esc
from lantern.foundation.when import short_datetime

URGENT = ' <strong class="govuk-tag govuk-tag--red">Urgent</strong>'


def awaiting_rows(rows) -> SafeString:
    """The tray's rows (`queries.awaiting_decision`), escaped as `{{ }}` does."""
    drawn = []
    for referral in rows:
        urgent = URGENT if referral.urgent else ""
        screened = referral.screening_category
        category = "None" if screened is None else f"Category {esc(screened)}"
        drawn.append(
            '\n    <tr class="govuk-table__row">\n'
            f'      <td class="govuk-table__cell"><a class="govuk-link" href="{esc(referral.url)}">'
            f"{esc(referral.child.full_name)}</a>{urgent}</td>\n"
            f'      <td class="govuk-table__cell">{esc(referral.agency_name)}</td>\n'
            '      <td class="govuk-table__cell lantern-nowrap">'
            f"{esc(referral.received_text)}</td>\n"
            f'      <td class="govuk-table__cell">{category}</td>\n'
            f'      <td class="govuk-table__cell"><span class="'
            f'{"lantern-overdue" if referral.past_due else ""}">{esc(referral.due_text)}<br>'
            f'{esc(referral.due_words)}</span><br><span class="govuk-body-s">'
            f"{esc(cited(referral.due_basis))}</span></td>\n"
            "    </tr>\n  "
        )
    return SafeString("".join(drawn))


def step_rows(steps, now) -> SafeString:
    """A pathway's steps (`queries.child_pathway`), each with when it started, was due and was
    done, as the loop of pathway/_child_pathway.html drew them."""
    drawn = []
    for step in steps:
        label = esc(step.get_step_display())
        head = f'<a class="govuk-link" href="{esc(step.url)}">{label}</a>' if step.url else label
        if step.urgent:
            head += URGENT
        if step.outcome:
            head += f'<br><span class="govuk-body-s">{esc(step.outcome)}</span>'
        item = step.work_item
        if item:
            due = (f'<span class="lantern-nowrap">{due_html(item, now)}</span><br>'
                   f'<span class="govuk-body-s">{esc(cited(item.basis))}</span>')
        elif step.no_deadline_reason:
            due = f'<span class="govuk-body-s">{esc(step.no_deadline_reason)}</span>'
        else:
            due = '<span class="govuk-body-s">Done when it happened</span>'
        if step.completed_at:
            done = esc(short_datetime(step.completed_at))
            if item and item.due_at is not None and step.completed_at > item.due_at:
                done += ' <strong class="govuk-tag govuk-tag--red">late</strong>'
        else:
            done = "In progress"
        started = esc(short_datetime(step.started_at)) if step.started_at else ""
        drawn.append(
            '\n    <tr class="govuk-table__row">\n'
            f'      <th scope="row" class="govuk-table__header">{head}</th>\n'
            f'      <td class="govuk-table__cell lantern-nowrap">{started}</td>\n'
            f'      <td class="govuk-table__cell">{due}</td>\n'
            f'      <td class="govuk-table__cell lantern-nowrap">{done}</td>\n'
            "    </tr>\n  ")
    return SafeString("".join(drawn))
