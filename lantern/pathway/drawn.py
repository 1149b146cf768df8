"""The front door's referrals tray drawn in Python: 50 rows of five cells, which the template
language drew in more time than the rest of the page (issue 18). The markup is the template's,
character for character; lantern/pathway/tests/test_drawn.py holds it to that template."""

from django.utils.safestring import SafeString

from lantern.domain.sources import cited
from lantern.foundation.drawn import esc

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
