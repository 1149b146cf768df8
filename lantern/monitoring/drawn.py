"""The CSE leads directory's tables drawn in Python: an area's twenty-odd agencies (a region's
two hundred), which the template language drew in more time than the rest of the page (issue
17). The markup is the template's, character for character;
lantern/monitoring/tests/test_drawn.py holds it to that template."""

from itertools import groupby

from django.utils.safestring import SafeString

from lantern.foundation.drawn import esc
from lantern.foundation.http import url_pattern


def lead_tables(agencies, editable: set[int], csrf_token: str) -> SafeString:
    """A table of each area's agencies (`queries.leads`, in area order) and their current CSE
    leads; a form to remove a lead where the reader may change the agency's (`editable`)."""
    remove = url_pattern("monitoring:remove_lead")
    token = (f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">')
    drawn = []
    for _area, group in groupby(agencies, key=lambda a: a.area_id):
        listed = list(group)
        area = esc(listed[0].area.name)
        drawn.append(
            f'\n<h2 class="govuk-heading-m">{area}</h2>\n<table class="govuk-table">\n'
            f'  <caption class="govuk-table__caption govuk-visually-hidden">CSE leads in {area}'
            '</caption>\n  <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
            '    <th scope="col" class="govuk-table__header">Agency</th>\n'
            '    <th scope="col" class="govuk-table__header">CSE lead</th>\n'
            '    <th scope="col" class="govuk-table__header">Contact</th>\n'
            '  </tr></thead>\n  <tbody class="govuk-table__body">\n  ')
        for agency in listed:
            name = esc(agency.name)
            drawn.append("\n    ")
            for lead in agency.current_leads:
                drawn.append(
                    '\n    <tr class="govuk-table__row">\n'
                    f'      <th scope="row" class="govuk-table__header">{name}</th>\n'
                    f'      <td class="govuk-table__cell">{_lead(lead)}</td>\n'
                    f'      <td class="govuk-table__cell">{_contact(lead)}\n        ')
                if agency.pk in editable:
                    drawn.append(
                        f'\n        <form method="post" action="{esc(remove(lead.pk))}">'
                        f'{token}\n          <button type="submit" class="govuk-button '
                        'govuk-button--warning govuk-!-margin-bottom-0 govuk-!-margin-top-2" '
                        'data-module="govuk-button">Remove<span class="govuk-visually-hidden"> '
                        f'{esc(lead.name)} as a CSE lead</span></button>\n        </form>\n'
                        '        ')
                drawn.append('\n      </td>\n    </tr>\n    ')
            if not agency.current_leads:
                drawn.append(
                    '\n    <tr class="govuk-table__row">\n'
                    f'      <th scope="row" class="govuk-table__header">{name}</th>\n'
                    '      <td class="govuk-table__cell" colspan="2"><strong class="govuk-tag '
                    'govuk-tag--yellow">No CSE lead named</strong></td>\n    </tr>\n    ')
            drawn.append('\n  ')
        drawn.append('\n  </tbody>\n</table>\n')
    return SafeString("".join(drawn))


def _lead(lead) -> str:
    job = (f'<br><span class="govuk-body-s">{esc(lead.job_title)}</span>'
           if lead.job_title else "")
    return f"{esc(lead.name)}{job}"


def _contact(lead) -> str:
    phone = f"{esc(lead.phone)}<br>" if lead.phone else ""
    email = (f'<a class="govuk-link" href="mailto:{esc(lead.email)}">{esc(lead.email)}</a>'
             if lead.email else "")
    return f"{phone}{email}"
