"""The front door's referrals tray drawn in Python: 50 rows of five cells, which the template
language drew in more time than the rest of the page (issue 18). The markup is the template's,
character for character; lantern/pathway/tests/test_drawn.py holds it to that template."""

from collections.abc import Callable

from django.utils.safestring import SafeString

from lantern.domain import labels
from lantern.domain.sources import cited
from lantern.foundation.drawn import display, due_html, esc
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


# --- A child's pathway -------------------------------------------------------------------------

# What a pathway without required meetings, tracked responses or adult safeguarding referrals
# draws where pathway/_pathway_parts.html goes: the line breaks between its three parts.
NO_PARTS = "\n\n\n"
_URGENT_ROUTE = ' <strong class="govuk-tag govuk-tag--red">Urgent route: section 47</strong>'
_STEPS_TABLE = (
    "\n"
    '<div class="lantern-table-scroll" role="region" aria-label="Pathway steps" tabindex="0">\n'
    '<table class="govuk-table">\n'
    '  <caption class="govuk-table__caption govuk-table__caption--s">{caption}</caption>\n'
    '  <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
    '    <th scope="col" class="govuk-table__header">Step</th>\n'
    '    <th scope="col" class="govuk-table__header">Started</th>\n'
    '    <th scope="col" class="govuk-table__header">Due</th>\n'
    '    <th scope="col" class="govuk-table__header">Done</th>\n'
    "  </tr></thead>\n"
    '  <tbody class="govuk-table__body">\n'
    "  {steps}\n"
    "  </tbody>\n"
    "</table>\n"
    "</div>\n")


def child_pathway_html(pathways, current, other_work, now,
                       parts: Callable[[object], str]) -> SafeString:
    """A child's pathways (`queries.child_pathway`: newest first, each with its steps drawn as
    `steps_html`), where the child is now and other work due about them, as
    pathway/_child_pathway.html drew them when included: the child's record included it, some
    80 look-ups and conditions (issue 18). A pathway's required meetings, tracked responses
    and adult safeguarding referrals, which carry forms on the pathway page, are `parts`'
    (pathway/_pathway_parts.html drawn in the page's context), asked only of a pathway that
    has some. lantern/pathway/tests/test_drawn.py holds it to the template."""
    drawn = ["\n"]
    if current is not None:
        urgent = _URGENT_ROUTE if current.urgent else ""
        drawn.append(f'\n<p class="govuk-body">Now at: <strong>{esc(display(current, "state"))}'
                     f"</strong>{urgent}</p>\n")
    drawn.append("\n")
    for pathway in pathways:
        started = _day(pathway.started_at)
        if pathway.is_open:
            caption = f"Pathway since {started}"
        else:
            route = labels.in_sentence(str(display(pathway, "exit_route")))
            caption = f"Pathway {started} to {_day(pathway.exited_at)}: {esc(route)}"
        drawn.append(_STEPS_TABLE.format(caption=caption, steps=pathway.steps_html))
        has_parts = (pathway.has_requirements or pathway.has_responses
                     or pathway.has_adult_referrals)
        drawn.append(parts(pathway) if has_parts else NO_PARTS)
    if not pathways:
        drawn.append('\n<p class="govuk-body">No pathway yet.</p>\n')
    drawn.append("\n")
    if other_work:
        drawn.append('\n<h3 class="govuk-heading-s">Other work due</h3>\n'
                     '<ul class="govuk-list">\n  ')
        for item in other_work:
            title = esc(item.title)
            if item.url:
                title = f'<a class="govuk-link" href="{esc(item.url)}">{title}</a>'
            drawn.append(f"\n  <li>{title}: due {due_html(item, now)}<br>"
                         f'<span class="govuk-body-s">{esc(cited(item.basis))}</span></li>\n  ')
        drawn.append("\n</ul>\n")
    drawn.append("\n")
    return SafeString("".join(drawn))


def _day(value) -> str:
    """`value|date:"j M Y"` of a time (in local time), "" for none."""
    return short_datetime(value, all_day=True) if value is not None else ""
