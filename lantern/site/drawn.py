"""Rows of the long lists drawn in Python: the work tray draws 50 rows of five cells, and the
template language spent more on them (some 25 variable look-ups and conditions a row) than the
rest of the page (issue 18). The markup is the template's, character for character; a test
holds each function to the template it replaced (lantern/site/tests/test_drawn.py)."""

from django.utils.safestring import SafeString

from lantern.domain.sources import cited
from lantern.foundation.drawn import esc


def work_rows(items) -> SafeString:
    """The work tray's rows (`queries.work_items`, after `_drawn`), escaped as `{{ }}` does."""
    drawn = []
    for item in items:
        child = item.child
        if child is not None:
            name = esc(child.full_name)
            cell = f'<a class="govuk-link" href="{esc(item.child_url)}">{name}</a>'
            if item.category:
                cell += (f'<br><span class="govuk-body-s">Category {esc(item.category)} '
                         f'({esc(str(item.framework).upper())})</span>')
        else:
            cell = "No child"
        title = esc(item.title)
        if item.url:
            what = f'<a class="govuk-link" href="{esc(item.url)}">{title}'
            if child is not None:
                what += f'<span class="govuk-visually-hidden"> for {name}</span>'
            what += "</a>"
        else:
            what = title
        if item.due_at is None:
            when = "When judged right (see why)"
        else:
            when = (f'<span class="{"lantern-overdue" if item.past_due else ""}">'
                    f"{esc(item.due_text)}<br>{esc(item.due_words)}</span>")
        drawn.append(
            '\n    <tr class="govuk-table__row">\n'
            f'      <td class="govuk-table__cell">{cell}</td>\n'
            f'      <td class="govuk-table__cell">{what}<br><span class="govuk-body-s">'
            f"{esc(item.kind_label)}</span></td>\n"
            f'      <td class="govuk-table__cell lantern-nowrap">{when}</td>\n'
            f'      <td class="govuk-table__cell govuk-body-s">{esc(cited(item.basis))}</td>\n'
            f'      <td class="govuk-table__cell">{esc(item.owner_label)}</td>\n'
            "    </tr>\n  "
        )
    return SafeString("".join(drawn))


def referral_items(referrals) -> SafeString:
    """The child's record's list of referrals (`pathway.queries.child_referrals`), each
    linked, from whom and the decision, as the loop in site/child_record.html drew them."""
    drawn = []
    for referral in referrals:
        if referral.status == "decided":
            decision = referral.decision
            outcome = esc(decision.get_outcome_display()) if decision is not None else ""
        else:
            outcome = "awaiting decision"
        drawn.append(f'\n      <li><a class="govuk-link" href="{esc(referral.url)}">'
                     f"{esc(referral.received_day)} from {esc(referral.agency.name)}</a>: "
                     f"{outcome}</li>\n      ")
    return SafeString("".join(drawn))


def allocated_items(allocations) -> SafeString:
    """The home page's children allocated to the worker (`people.queries.allocated_to`), each
    linked to their record, as the loop in site/home.html drew them (a social worker's lists
    50)."""
    return SafeString("".join(
        f'<li><a class="govuk-link" href="{esc(allocation.child_url)}">'
        f"{esc(allocation.child.full_name)}</a></li>" for allocation in allocations))
