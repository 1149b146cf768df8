"""GOV.UK Design System markup for Django form fields, so every page's questions, hints and
error messages look and behave the same. Loaded as a template builtin.

    {% field form.narrative label_size="m" %}
    {% error_summary form %}
"""

import functools
from typing import Any, cast
from urllib.parse import quote

from django import forms, template
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaulttags, engines
from django.template.defaultfilters import linebreaksbr
from django.template.defaulttags import URLNode
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe

from lantern.domain import labels, language, sources
from lantern.foundation import drafts, drawn
from lantern.foundation.drawn import esc
from lantern.foundation.forms import GovukDateInput
from lantern.foundation.middleware import seconds_left
from lantern.foundation.models import Role
from lantern.foundation.when import due_phrase, long_date

register = template.Library()

LABEL_SIZES = {"s", "m", "l", "xl"}


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, GovukDateInput):
        return "date"
    # CheckboxSelectMultiple subclasses RadioSelect in Django, so it is checked first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


def first_input_id(bound: forms.BoundField) -> str:
    """The id an error summary link should jump to: the first input of the question."""
    kind = _kind(bound.field.widget)
    if kind == "date":
        return f"{bound.auto_id}_day"
    if kind in {"radios", "checkboxes"}:
        return f"{bound.auto_id}_0"
    return bound.auto_id


def field_context(
    bound: forms.BoundField,
    label_size: str = "",
    heading: bool = False,
    classes: str = "",
    label: str = "",
    hint: str = "",
    rows: int = 5,
    inline: bool = False,
) -> dict:
    """What govuk/field.html draws a question from."""
    widget = bound.field.widget
    kind = _kind(widget)
    errors = list(bound.errors)
    error_id = f"{bound.auto_id}-error" if errors else ""
    hint_text = hint or bound.help_text
    hint_id = f"{bound.auto_id}-hint" if hint_text else ""
    described_by = " ".join(x for x in (hint_id, error_id) if x)
    size = label_size if label_size in LABEL_SIZES else ""

    context = {
        "bound": bound,
        "kind": kind,
        "id": bound.auto_id,
        "name": bound.html_name,
        "label": label or bound.label,
        "label_size": size,
        "heading": heading,
        "hint": hint_text,
        "hint_id": hint_id,
        "errors": errors,
        "error_id": error_id,
        "described_by": described_by,
        "required": bound.field.required,
        "classes": classes,
        "inline": inline,
    }

    if kind in {"input", "textarea", "select"}:
        css = {"input": "govuk-input", "textarea": "govuk-textarea", "select": "govuk-select"}[kind]
        css_classes = [css]
        if errors:
            css_classes.append(f"{css}--error")
        if classes:
            css_classes.append(classes)
        attrs: dict[str, str | bool] = {"class": " ".join(css_classes)}
        if described_by:
            attrs["aria-describedby"] = described_by
        if kind == "textarea":
            attrs["rows"] = str(rows)
        # As as_widget draws it, without the widget templates (foundation.drawn, issue 18).
        context["widget_html"] = drawn.widget_html(bound, attrs)
    elif kind in {"radios", "checkboxes"}:
        selected = bound.value()
        if kind == "checkboxes":
            selected = {str(v) for v in (selected or [])}
        else:
            selected = {str(selected)} if selected not in (None, "") else set()
        hints = getattr(bound.field, "choice_hints", {}) or {}
        # A choice that reveals another question (GOV.UK conditional reveal): its field.
        reveals = getattr(bound.field, "reveals", {}) or {}
        items = []
        # A radios or checkboxes field is a ChoiceField, whose choices are a list of pairs.
        choices = cast(list[tuple[Any, Any]], cast(forms.ChoiceField, bound.field).choices)
        for index, (value, text) in enumerate(choices):
            if value == "":
                continue
            items.append(
                {
                    "id": f"{bound.auto_id}_{index}" if index else f"{bound.auto_id}_0",
                    "value": value,
                    "label": text,
                    "checked": str(value) in selected,
                    "hint": hints.get(value, ""),
                    "reveal": bound.form[reveals[value]] if value in reveals else None,
                }
            )
        # ids are sequential over the items actually drawn
        for index, item in enumerate(items):
            item["id"] = f"{bound.auto_id}_{index}"
        context["items"] = items
    elif kind == "checkbox":
        context["checked"] = bool(bound.value())
    elif kind == "date":
        value = bound.value()
        parts = GovukDateInput.parts(value)
        context["parts"] = [
            {"key": "day", "label": "Day", "value": parts[0], "width": 2},
            {"key": "month", "label": "Month", "value": parts[1], "width": 2},
            {"key": "year", "label": "Year", "value": parts[2], "width": 4},
        ]
        context["date_hint_default"] = f"For example, {timezone.localdate():%-d %-m %Y}"
    return context


@register.simple_tag(name="field")
@functools.wraps(field_context)  # the tag takes field_context's arguments
def field(*args, **kwargs) -> SafeString:
    """A question as govuk/field.html draws it, drawn in Python from the same context
    (foundation.drawn.field_html, issue 18)."""
    return drawn.field_html(field_context(*args, **kwargs), field_context)


@register.inclusion_tag("govuk/error_summary.html")
def error_summary(*forms_: forms.Form):
    errors = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            errors.append({"href": "", "message": message})
        for name, messages in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            for message in messages:
                errors.append({"href": f"#{first_input_id(bound)}", "message": message})
    return {"errors": errors}


register.filter("due_phrase", due_phrase)


# --- {% url %}, reversed once ---------------------------------------------------------------
# Django's `{% url %}` calls reverse() at every showing: about 0.1 ms each on the benchmark
# machine, and a child's record shows a dozen (issue 18). This tag is Django's (it replaces it
# in every template: lantern.settings names this library a builtin), but for the common case
# (ids as the only arguments, nothing kept `as` a variable) it reverses each name once a
# process, for its number of ids, the application and the script prefix, with marks in
# place of the ids, and puts each showing's ids where the marks were. The marks are ids the
# `id` converter accepts (lantern.foundation.apps), so a name whose URL would refuse an id
# refuses a mark and is reversed by Django each time; an id that is not a whole number from 0
# to 18 digits long is too (Django then raises as it would).
_MARKS = tuple(f"98765432198765432{n}" for n in range(10))
_reversed: dict[tuple, tuple[str, ...] | None] = {}
_SPLIT_NOT_YET: tuple = ()  # a split always has at least one part


class QuickURLNode(URLNode):
    def render(self, context):
        if self.kwargs or self.asvar or len(self.args) > len(_MARKS):
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        if any(type(arg) is not int or not 0 <= arg < 10**18 for arg in args):
            return super().render(context)
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        key = (view_name, len(args), current_app, get_script_prefix(), get_urlconf())
        parts = _reversed.get(key, _SPLIT_NOT_YET)
        if parts is _SPLIT_NOT_YET:
            if len(_reversed) >= 1024:  # names come from templates, but keep it bounded
                _reversed.clear()
            parts = _reversed[key] = _split(view_name, len(args), current_app)
        if parts is None:
            return super().render(context)
        url = parts[0] + "".join(f"{arg}{part}" for arg, part in zip(args, parts[1:],
                                                                      strict=True))
        return conditional_escape(url) if context.autoescape else url


def _split(view_name, count: int, current_app) -> tuple[str, ...] | None:
    """The URL around each mark (None when the URL does not take marks where the ids go)."""
    try:
        url = reverse(view_name, args=_MARKS[:count], current_app=current_app)
    except NoReverseMatch:
        return None
    parts = []
    for mark in _MARKS[:count]:
        head, found, url = url.partition(mark)
        if not found or mark in url:
            return None
        parts.append(head)
    return (*parts, url)


@register.tag("url")
def quick_url(parser, token) -> QuickURLNode:
    node = defaulttags.url(parser, token)
    return QuickURLNode(node.view_name, node.args, node.kwargs, node.asvar)
register.filter("due", drawn.due_html)


@register.filter
def child_age(child) -> str:
    """A child's age, everywhere the same: years and months, whether it is estimated, and
    when they turn (or turned) 18. `{{ child|child_age }}`."""
    today = timezone.localdate()  # found once: each asks the time zone again
    age = child.age(today)
    if age is None:
        return "age not known"
    text = f"{age} (estimated)" if child.age_is_estimated else str(age)
    turns = child.turns_18_on
    if turns:
        verb = "turned" if turns <= today else "turns"
        text += f", {verb} 18 on {long_date(turns)}"
    return text


@register.filter
def is_past(value):
    return value is not None and value < timezone.now()


# Parts of every page that are the same for every request a process serves: the static files'
# addresses and the service's own (issue 18: `{% static %}` and `{% url %}` a dozen times a
# page took about 0.5 ms of the layout's 1.8). Each is its template source, drawn once a
# process (for each `flag`) by `{% fixed name flag %}`, and again when the static files' or
# URLs' settings change (tests).
FIXED = {
    "head": (
        "<link rel=\"icon\" href=\"{% static 'build/assets/images/favicon.svg' %}\" "
        "type=\"image/svg+xml\">\n"
        "  <link rel=\"stylesheet\" href=\"{% static 'build/lantern.css' %}\">"),
    "scripts": (
        "<script type=\"module\" src=\"{% static 'build/govuk/govuk-frontend.min.js' %}\">"
        "</script>\n"
        "  <script type=\"module\" src=\"{% static 'foundation/init.js' %}\"></script>\n"
        "  {% if flag %}\n"
        "  <script type=\"module\" src=\"{% static 'foundation/timeout.js' %}\"></script>\n"
        "  <script type=\"module\" src=\"{% static 'foundation/drafts.js' %}\"></script>\n"
        "  {% endif %}\n"
        "  <script src=\"{% static 'build/htmx/htmx.min.js' %}\"></script>"),
    "logout": "{% url 'logout' %}",
    "change_password": "{% url 'change_password' %}",
    "keep_alive": "{% url 'keep_alive' %}",
    "login": "{% url 'login' %}",
    "work": "{% url 'work' %}",
}


@register.simple_tag
def fixed(name: str, flag: object = False) -> SafeString:
    """`FIXED[name]` as drawn, once a process for each truth of `flag`."""
    return _fixed(name, bool(flag))


@functools.cache
def _fixed(name: str, flag: bool) -> SafeString:
    source = "{% load static %}" + FIXED[name]
    return mark_safe(engines["django"].from_string(source).render({"flag": flag}))  # noqa: S308


@receiver(setting_changed)
def _drawn_again(*, setting: str, **kwargs) -> None:
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "ROOT_URLCONF", "FORCE_SCRIPT_NAME",
                   "INSTALLED_APPS"}:
        _fixed.cache_clear()
        _reversed.clear()  # {% url %}'s names reversed once (QuickURLNode)


@register.simple_tag(takes_context=True)
def draft_author_token(context) -> str:
    """Who the page was drawn for, signed: the page's script adds it to every form so a form
    sent after the session ended is kept for its author only (lantern.foundation.drafts)."""
    user = context.get("user")
    return drafts.author_token(user) if user is not None and user.is_authenticated else ""


# The idle-timeout warning as foundation/_timeout_dialog.html drew it (the pattern UK
# government services use), a format string: drawn on every signed-in page, it is the same but
# for the session's times, the page and the form's token (issue 18).
# lantern/foundation/tests/test_drawn_layout.py holds it to the template it replaced.
_TIMEOUT_DIALOG = (
    '\n'
    '<dialog class="lantern-timeout" id="lantern-timeout" aria-labelledby="lantern-timeout-heading" aria-describedby="lantern-timeout-text" data-session-seconds="{session_seconds}" data-warning-seconds="{warning_seconds}" data-session-left="{session_left}" data-keep-alive-url="{keep_alive}">\n'  # noqa: E501
    '  <div data-timeout-state="warning">\n'
    '    <h2 class="govuk-heading-m" id="lantern-timeout-heading">You’re about to be signed out</h2>\n'  # noqa: E501
    '    <p class="govuk-body" id="lantern-timeout-text">For your security, Lantern will sign you out in <strong class="lantern-timeout__countdown" aria-hidden="true" data-timeout-countdown></strong><span class="govuk-visually-hidden" data-timeout-spoken></span>. What you have typed is kept as a draft.</p>\n'  # noqa: E501
    '    <div class="govuk-button-group">\n'
    '      <button type="button" class="govuk-button" data-module="govuk-button" data-timeout-stay>Stay signed in</button>\n'  # noqa: E501
    '      <form method="post" action="{logout}" class="lantern-inline-form">\n'
    '        <input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">\n'
    '        <button type="submit" class="govuk-link lantern-link-button">Sign out</button>\n'
    '      </form>\n'
    '    </div>\n'
    '  </div>\n'
    '  <div data-timeout-state="ended" hidden>\n'
    '    <h2 class="govuk-heading-m" id="lantern-timeout-ended-heading">You have been signed out</h2>\n'  # noqa: E501
    '    <p class="govuk-body">For your security, Lantern signed you out because you had not used it for a while. What you had typed has been kept: sign in again and it will be offered back to you.</p>\n'  # noqa: E501
    '    <a class="govuk-button" data-module="govuk-button" href="{login}?next={next}">Sign in again</a>\n'  # noqa: E501
    '  </div>\n'
    '</dialog>\n'
    '')


@register.simple_tag(takes_context=True)
def timeout_dialog(context) -> SafeString:
    """The idle-timeout warning, with what the session has left on the server now (it is
    renewed at most once a minute); nothing when the warning is switched off."""
    if settings.SESSION_WARNING_SECONDS <= 0:
        return SafeString("\n")
    request = context.get("request")
    left = seconds_left(request) if request is not None else None
    return SafeString(_TIMEOUT_DIALOG.format(
        session_seconds=esc(settings.SESSION_COOKIE_AGE),
        warning_seconds=esc(settings.SESSION_WARNING_SECONDS),
        session_left=esc(settings.SESSION_COOKIE_AGE if left is None else left),
        keep_alive=_fixed("keep_alive", False), logout=_fixed("logout", False),
        csrf_token=esc(context.get("csrf_token")), login=_fixed("login", False),
        next=esc(quote(request.get_full_path() if request is not None else "/"))) + "\n")


def overdue_banner_html(counts) -> SafeString:
    """The overdue work banner as foundation/_overdue_banner.html drew it when included, from
    `overdue_work` (lantern.site.context_processors: a lazy count of the user's and their
    team's overdue work; none for those who hold no work). Shown on every page (issue 18);
    lantern/foundation/tests/test_drawn_layout.py holds it to that template."""
    mine, team = (counts["mine"], counts["team"]) if counts else (0, 0)
    if not mine and not team:
        return SafeString("\n")
    work = _fixed("work", False)
    drawn = [
        '\n<div class="govuk-notification-banner" role="region" '
        'aria-labelledby="overdue-banner-title" data-module="govuk-notification-banner">\n'
        '  <div class="govuk-notification-banner__header">\n'
        '    <h2 class="govuk-notification-banner__title" id="overdue-banner-title">Overdue work'
        "</h2>\n  </div>\n"
        '  <div class="govuk-notification-banner__content">\n    ']
    if mine:
        drawn.append(
            f'<p class="govuk-notification-banner__heading">You have {esc(mine)} overdue '
            f'piece{"" if mine == 1 else "s"} of work. <a class="govuk-notification-banner__link" '
            f'href="{work}?tray=mine&amp;overdue=on">See your overdue work</a>.</p>')
    drawn.append("\n    ")
    if team:
        drawn.append(
            f'<p class="govuk-body">Your team has {esc(team)} overdue '
            f'piece{"" if team == 1 else "s"} of work. <a class="govuk-notification-banner__link" '
            f'href="{work}?tray=team&amp;overdue=on">See your team\'s overdue work</a>.</p>')
    drawn.append("\n  </div>\n</div>\n\n")
    return SafeString("".join(drawn))


@register.simple_tag(takes_context=True)
def overdue_banner(context) -> SafeString:
    return overdue_banner_html(context.get("overdue_work"))


@register.filter
def sentence(value) -> str:
    """A label inside a sentence: "CSE team manager", "a MASE meeting", "designated
    safeguarding lead" (lower-casing the whole label would make "cse team manager")."""
    return labels.in_sentence(str(value))


@register.filter
def cited(value):
    """A citation as a user reads it: "seed 001 §3.2" -> "West Midlands CSE toolkit §3.2"
    (lantern.domain.sources). Text marked safe stays safe: the names hold no markup."""
    if value is None or value == "":
        return value
    shown = sources.cited(str(value))
    return mark_safe(shown) if isinstance(value, SafeData) else shown  # noqa: S308


# Who sees victim-blaming wording marked in saved text (issue 15, item 5; SPEC §12): those
# who oversee practice. Everyone else sees it while typing (lantern/pathway/_language.html).
WORDING_REVIEWERS = frozenset({Role.CSE_MANAGER, Role.BOARD})


@register.simple_tag(takes_context=True)
def checked_text(context, text, label: str = "", printed: bool = False,
                 brief: bool = False) -> SafeString:
    """Saved text, with the wording SPEC §12 asks professionals to notice marked where it
    stands and the child-centred alternative noted below, when a CSE team manager or a board
    member or auditor reads it; plain (line breaks kept) for everyone else. Every saved free
    text a manager or auditor reads is drawn through it (the walk of the templates in
    lantern/site/tests/test_saved_text_checked.py holds that).

        {% checked_text concern.narrative %}
        {% checked_text record.risk_analysis|default:"Not recorded" printed=True %}

    A PDF has no request: its context names the `reader` (only in copies for professionals;
    the family's copy is never marked). `printed` marks without relying on colour: the phrase
    underlined and followed by "[wording to check: note 1]" in the text itself. `brief`, for a
    row of a list (often inside its link): the phrases marked, without the notes, which the
    record's own page gives.
    """
    request = context.get("request")
    user = context.get("reader") or getattr(request, "user", None)
    reviewing = bool(user is not None and user.is_authenticated
                     and getattr(user, "role", "") in WORDING_REVIEWERS)
    pieces = language.segments(text or "") if reviewing else [language.Segment(text or "")]
    notes = {piece.number: piece.finding for piece in pieces if piece.finding}
    if not notes:
        # Nothing to mark (most readers, most text): the plain text as the template draws
        # it, without drawing the template (a list of 50 rows drew it 50 times, issue 18).
        return format_html('<span class="lantern-checked-text">{}</span>',
                           linebreaksbr(text or "", autoescape=True))
    return render_to_string("foundation/_checked_text.html", {
        "pieces": pieces, "notes": [] if brief else sorted(notes.items()),
        "label": label, "printed": printed, "brief": brief})


@register.simple_tag(takes_context=True)
def chronology_entries(context, entries, level) -> SafeString:
    """A page of a child's chronology (site/_chronology.html): each entry drawn here rather
    than by the template's loop (issue 18: about 25 look-ups and conditions an entry, 20 to 50
    entries a page), the markup of that loop character for character
    (lantern/site/tests/test_drawn.py holds it to it). Each entry's detail is saved text,
    drawn by `checked_text` as the loop drew it."""
    level = esc(level)
    drawn = ["\n  "]
    for entry in entries:
        title = esc(entry.title)
        if entry.url:
            title = f'<a class="govuk-link" href="{esc(entry.url)}">{title}</a>'
        by = esc(entry.recorded_by.display_name) if entry.recorded_by else "Lantern"
        if entry.agency:
            by += f", {esc(entry.agency.name)}"
        detail = (f'<div class="moj-timeline__description">'
                  f"{checked_text(context, entry.detail)}</div>" if entry.detail else "")
        drawn.append(
            '\n  <div class="moj-timeline__item">\n'
            '    <div class="moj-timeline__header">\n'
            f'      <h{level} class="moj-timeline__title">{title}</h{level}>\n'
            f'      <p class="moj-timeline__byline">by {by}</p>\n'
            "    </div>\n"
            f'    <p class="moj-timeline__date"><time datetime="{esc(entry.occurred_iso)}">'
            f"{esc(entry.occurred_text)}</time></p>\n"
            f"    {detail}\n"
            "  </div>\n  ")
    return SafeString("".join(drawn))


@register.simple_tag
def missing_timeline(episodes) -> SafeString:
    """A child's missing episodes on a timeline (missing/_timeline.html, after
    `missing.queries.on_timeline`): each episode drawn here rather than by the template's
    loop (issue 18), the markup of that loop character for character
    (lantern/missing/tests/test_drawn_timeline.py holds it to it)."""
    drawn = []
    for episode in episodes:
        now = (' <strong class="govuk-tag govuk-tag--red">Missing now</strong>'
               if episode.is_missing else "")
        if episode.is_missing:
            told = f"Missing for {esc(episode.duration_text)} so far."
            interview = ""
        else:
            where = f" at {esc(episode.found_where)}" if episode.found_where else ""
            told = (f"Found {esc(episode.found_text)}{where}, after "
                    f"{esc(episode.duration_text)}.")
            try:
                held = episode.interview
            except ObjectDoesNotExist:  # as the template, which took it for ""
                held = None
            if not held:
                interview = " Return home interview not recorded yet."
            elif held.outcome == "held":
                interview = f" Return home interview: held {esc(episode.interview_text)}."
            else:
                interview = " Return home interview: offered; the child did not want it."
        drawn.append(
            '\n  <div class="moj-timeline__item">\n'
            '    <div class="moj-timeline__header">\n'
            f'      <h3 class="moj-timeline__title"><a class="govuk-link" '
            f'href="{esc(episode.url)}">Missing from '
            f"{esc(sentence(episode.get_missing_from_display()))}</a>{now}</h3>\n"
            f'      <p class="moj-timeline__byline">recorded by {esc(episode.agency.name)}</p>\n'
            "    </div>\n"
            f'    <p class="moj-timeline__date"><time datetime="{esc(episode.went_iso)}">'
            f"{esc(episode.went_text)}</time></p>\n"
            '    <div class="moj-timeline__description">\n'
            f"      {told}\n"
            f"      {interview}\n"
            "    </div>\n"
            "  </div>\n  ")
    return SafeString("".join(drawn))
