"""Finding a child's results drawn in Python: up to 25 rows of four cells, which the template
language drew in more time than the search took (issue 18). The markup is the template's,
character for character; lantern/people/tests/test_drawn.py holds it to that template."""

from django.utils.safestring import SafeString

from lantern.foundation.drawn import esc
from lantern.foundation.http import url_pattern
from lantern.foundation.templatetags.govuk import child_age
from lantern.foundation.when import long_date

MATCHES = ' <strong class="govuk-tag govuk-tag--green">matches</strong>'


def match_rows(matches, intent: str) -> SafeString:
    """The results' rows (`search.find_children`, each with its `url`), escaped as `{{ }}`
    does; `intent` "concern" leads each to recording a concern, the record a link beside."""
    record = url_pattern("child")
    drawn = []
    for match in matches:
        child = match.child
        name = esc(child.full_name)
        if intent == "concern":
            named = (f'<a class="govuk-link" href="{esc(match.url)}">Record a concern'
                     f'<span class="govuk-visually-hidden"> about</span>: {name}</a><br>'
                     f'<a class="govuk-link govuk-body-s" href="{esc(record(child.pk))}">'
                     f'Open the record<span class="govuk-visually-hidden"> of {name}</span></a>')
        else:
            named = f'<a class="govuk-link" href="{esc(match.url)}">{name}</a>'
        if child.date_of_birth:
            born = esc(long_date(child.date_of_birth)) + (
                MATCHES if match.dob_matches else "")
        else:
            born = "Not known"
        known = ""
        if child.known_as:
            known = f"Known as {esc(child.known_as)}{'; ' if child.aliases else ''}"
        aliases = ", ".join(esc(alias) for alias in child.aliases)
        drawn.append(
            '\n      <tr class="govuk-table__row">\n'
            f'        <td class="govuk-table__cell">{named}</td>\n'
            f'        <td class="govuk-table__cell">{born}<br><span class="govuk-body-s">'
            f"{esc(child_age(child))}</span></td>\n"
            f'        <td class="govuk-table__cell">{known}{aliases}</td>\n'
            f'        <td class="govuk-table__cell">{esc(child.area.name)}</td>\n'
            "      </tr>\n    "
        )
    return SafeString("".join(drawn))
