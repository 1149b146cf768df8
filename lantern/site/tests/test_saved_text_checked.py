"""Every saved free text a CSE team manager or an auditor reads goes through
`{% checked_text %}` (issue 15, item 5; SPEC §12), so victim-blaming wording is marked wherever
it is read, not only on the pages that were remembered.

The walk reads every template Lantern ships and finds each `{{ ... }}` that draws an attribute
named like a saved free-text field (a model's TextField). Each is a failure unless the field
is not free text about a child (EXEMPT_FIELDS) or the line is allowed below (ALLOWED), each with
its reason. Text drawn any other way (`{% with %}` then `{{ x }}`) is not seen: draw saved text
by its field's name."""

import re
from pathlib import Path

from django.apps import apps
from django.db import models

import lantern

ROOT = Path(lantern.__file__).parent

# (model, field): saved text that is not someone's account of a child, or is the child's own.
EXEMPT_FIELDS = {
    ("foundation.Child", "address"): "an address, not an account of the child",
    ("intelligence.Location", "address"): "an address, not an account of the child",
    ("foundation.Child", "search_text"): "derived from the names for search, never shown",
    ("foundation.Child", "search_keys"): "derived from the names for search, never shown",
    (
        "pathway.Concern",
        "child_words",
    ): "the child's own words, kept as they said them (docs/decisions/0012)",
    (
        "missing.ReturnInterview",
        "child_words",
    ): "the child's own words, kept as they said them (docs/decisions/0012)",
    (
        "screening.Screening",
        "child_views",
    ): "the child's views in their own words (the form asks for them so)",
    ("pathway.LocalProfile", "overrides"): "a local profile's settings, not an account",
    ("missing.MissingPersonProfile", "phone_numbers"): "phone numbers",
    ("foundation.AccountChange", "reason"): "about a staff account, not a child",
    ("foundation.AccountChange", "decision_note"): "about a staff account, not a child",
}

# (template, what is drawn): a `{{ }}` that draws something named like saved free text but is
# not one, or is one that is not marked on purpose.
ALLOWED = {
    ("foundation/_checked_text.html", "piece.text"): "the tag's own pieces",
    ("foundation/_checked_text.html", "piece.text|linebreaksbr"): "the tag's own pieces",
    ("foundation/_checked_text.html", "finding.text"): "the tag's own notes",
    (
        "foundation/account_changes.html",
        "change.reason|linebreaksbr",
    ): "an account change's reason: about a staff account, not a child",
    (
        "foundation/person.html",
        "change.reason|linebreaksbr",
    ): "an account change's reason: about a staff account, not a child",
    (
        "intelligence/proposal.html",
        "f.note",
    ): "how two records' fields compare, written by Lantern's matching",
    (
        "intelligence/trigger.html",
        "evidence.precondition.text",
    ): "the trigger criteria's wording (lantern/domain/data/triggers.toml)",
    ("meetings/meeting.html", "warning.text"): "an agency's name, for an attendance warning",
    ("monitoring/_bar_chart.html", "bar.text"): "a figure's number",
    ("monitoring/_figure.html", "cell.text"): "a figure's number",
    ("monitoring/_figure.html", "total.text"): "a figure's number",
    ("monitoring/_figure.html", "fig.table.total.text"): "a figure's number",
    ("pathway/_language.html", "finding.text"): "the wording check while typing",
    ("people/add_child.html", 'match.reasons|join:", "'): "why two records may match",
    ("people/merge_start.html", 'match.reasons|join:", "'): "why two records may match",
    ("plans/action.html", "event.what"): "an action's history line, written by Lantern",
    ("screening/_suggestion.html", "category.description"): "a framework's wording",
    (
        "screening/bichard_detail.html",
        "answer.note|linebreaksbr",
    ): "the answer to 'in their own words': the young person's own words",
    (
        "sharing/access_log.html",
        "event.summary|default:event.action",
    ): "an audit row's summary, written by Lantern",
}

DRAWN = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.DOTALL)


def _free_text_names() -> dict[str, list[str]]:
    """Field name -> the models whose saved free text has that name (exemptions left out)."""
    names: dict[str, list[str]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("lantern."):
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.TextField)
                and (model._meta.label, field.name) not in EXEMPT_FIELDS
            ):
                names.setdefault(field.name, []).append(model._meta.label)
    return names


def _templates():
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        yield path.as_posix().split("/templates/", 1)[1], path.read_text()


def _found_in(text: str, names) -> list[tuple[str, list[str]]]:
    """(expression, models) for each `{{ }}` in `text` drawing an attribute named like a
    saved free-text field."""
    found = []
    for match in DRAWN.finditer(text):
        expression = match.group(1)
        variable = expression.split("|", 1)[0].strip()
        attribute = variable.rsplit(".", 1)[-1] if "." in variable else ""
        if attribute in names:
            found.append((expression, names[attribute]))
    return found


def _drawn_free_text():
    """(template, expression, models) for every template Lantern ships."""
    names = _free_text_names()
    for name, text in _templates():
        for expression, models_ in _found_in(text, names):
            yield name, expression, models_


def test_no_template_draws_saved_free_text_without_checking_its_wording():
    unchecked = [
        f"{name}: {{{{ {expression} }}}} ({', '.join(models_)})"
        for name, expression, models_ in _drawn_free_text()
        if (name, expression) not in ALLOWED
    ]
    assert not unchecked, (
        "Draw saved free text with {% checked_text ... %} so CSE team managers and auditors "
        "see victim-blaming wording marked (SPEC §12), or allow it here with the reason:\n"
        + "\n".join(unchecked)
    )


def test_every_allowed_line_is_still_in_its_template():
    found = {(name, expression) for name, expression, _models in _drawn_free_text()}
    assert not set(ALLOWED) - found, "allowed but no longer drawn: remove from ALLOWED"


def test_every_exempt_field_is_a_text_field():
    for label, name in EXEMPT_FIELDS:
        assert isinstance(apps.get_model(label)._meta.get_field(name), models.TextField)


def test_the_walk_finds_saved_text_drawn_plainly_and_not_through_the_tag():
    names = _free_text_names()
    page = (
        "<dd>{{ screening.analysis|linebreaksbr }}</dd><dd>{{ plan.created_at }}</dd>"
        "<dd>{% checked_text concern.narrative %}</dd><dd>{{ concern.child_words }}</dd>"
    )
    assert _found_in(page, names) == [("screening.analysis|linebreaksbr", ["screening.Screening"])]
