"""For rows of long lists drawn in Python rather than by a template's loop (issue 18: the
template language spent more on a list of 50 rows than the rest of the page). Each app's
`drawn` module holds the markup of the template it replaced, character for character, and a
test holds it to that template."""

import functools
from collections.abc import Callable
from html import escape

from django import forms
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.hashable import make_hashable
from django.utils.safestring import SafeData, SafeString, mark_safe

from lantern.foundation.when import due_phrase, short_datetime


def esc(value) -> str:
    """`conditional_escape` (what `{{ value }}` does), without its wrappers: a page of rows
    escapes some 400 values."""
    kind = type(value)
    if kind is str:  # not SafeString, which is a subclass
        return escape(value)
    if kind is int:
        return str(value)
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def summary_row(key: str, value: str) -> str:
    """A row of a GOV.UK summary list, `key` and `value` already escaped (as the templates
    drew them, on one line)."""
    return (f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{key}</dt>'
            f'<dd class="govuk-summary-list__value">{value}</dd></div>')


def display(instance, name: str) -> str:
    """`instance.get_<name>_display()`: the label of a field's choice (the value itself when it
    is not one), with the field's choices made into a dictionary once a process rather than at
    each call, as Django's does (issue 18: a dozen labels cost the child's record 0.1 ms)."""
    # `__class__`, not `type()`: a lazy object (the request's user) answers with its own class.
    attname, choices = _choices(instance.__class__, name)
    value = getattr(instance, attname)
    return force_str(choices.get(make_hashable(value), value), strings_only=True)


@functools.cache
def _choices(model, name: str) -> tuple[str, dict]:
    """The field's attribute and its choices, kept: Lantern's choices are fixed when a model
    is defined (a field whose choices are a callable would need them asked each time)."""
    field = model._meta.get_field(name)
    return field.attname, dict(make_hashable(field.flatchoices))


# --- A work item's due date ------------------------------------------------------------------


def due_html(item, now) -> SafeString:
    """A work item's due date as pathway/_due.html drew it when included (with the file's last
    line break): the date alone for a day-based deadline, and, while it is open, how long is
    left, marked overdue once `now` is past it. `{{ item|due:now }}`; the child's record
    included the file up to five times a pathway (issue 18)."""
    if item.due_at is None:
        return SafeString("When judged right (see why)\n")
    day = esc(short_datetime(item.due_at, all_day=item.all_day))
    if item.status != "open":
        return SafeString(day + "\n")
    overdue = "lantern-overdue" if now is not None and item.due_at < now else ""
    return SafeString(f'<span class="{overdue}">{day}<br>{esc(due_phrase(item.due_at, now))}'
                      "</span>\n")


# --- Form widgets ---------------------------------------------------------------------------
# The inputs, text areas and drop-downs of the `{% field %}` tag (templatetags.govuk), drawn as
# Django's own widget templates draw them (django/forms/widgets/input.html, attrs.html,
# textarea.html, select.html, select_option.html), without rendering those templates: a
# drop-down of 20 choices was 20 template includes, and the police forms beside the link
# chart spent a fifth of its time there (issue 18). Only widgets of exactly these classes
# with Django's template are drawn so (a subclass may draw itself otherwise); any other goes
# through `BoundField.as_widget`. test_drawn_widgets holds the two to the same HTML.
_WIDGET_TEMPLATES: dict[type[forms.Widget], str] = {
    forms.TextInput: "django/forms/widgets/text.html",
    forms.NumberInput: "django/forms/widgets/number.html",
    forms.EmailInput: "django/forms/widgets/email.html",
    forms.URLInput: "django/forms/widgets/url.html",
    forms.Textarea: "django/forms/widgets/textarea.html",
    forms.Select: "django/forms/widgets/select.html",
}
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _shown(value) -> str:
    """`{{ value }}`: a string as `esc`; anything else (a number, a date) localised first, as
    the template would (render_value_in_context)."""
    if isinstance(value, str | Promise):
        return esc(value)
    return str(render_value_in_context(value, Context(autoescape=True)))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: text marked safe stays unescaped (the filter is_safe)."""
    text = "%s" % value  # noqa: UP031 - the filter's own formatting
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items() if value is not False)


def widget_html(bound: forms.BoundField, attrs: dict) -> SafeString:
    """`bound.as_widget(attrs=attrs)`, the same HTML drawn in Python for the widgets above."""
    widget = bound.field.widget
    if (_WIDGET_TEMPLATES.get(type(widget)) != widget.template_name or bound.field.localize
            or isinstance(widget, forms.Select) and widget.option_template_name
            != _OPTION_TEMPLATE):
        return bound.as_widget(attrs=attrs)
    # What as_widget does before rendering: the field's attributes and the id.
    attrs = bound.build_widget_attrs(dict(attrs), widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    name = _shown(context["name"])
    if isinstance(widget, forms.Select):
        parts = [f'<select name="{name}"{_attrs(context["attrs"])}>']
        for group_name, group_choices, _index in context["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
            # Each option's template ends in a line break, which its include keeps.
            parts.extend(f'\n  <option value="{_formatted(option["value"])}"'
                         f'{_attrs(option["attrs"])}>{_shown(option["label"])}</option>\n'
                         for option in group_choices)
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - each value escaped above
    value = context["value"]
    if isinstance(widget, forms.Textarea):
        return mark_safe(  # noqa: S308 - each value escaped above
            f'<textarea name="{name}"{_attrs(context["attrs"])}>\n'
            f'{_shown(value) if value else ""}</textarea>')
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return mark_safe(  # noqa: S308 - each value escaped above
        f'<input type="{_shown(context["type"])}" name="{name}"{shown}'
        f'{_attrs(context["attrs"])}>')


# --- Form questions -------------------------------------------------------------------------
# A question as govuk/field.html draws it (the `{% field %}` tag, templatetags.govuk), from
# the same context, character for character: a form of eight questions was eight templates
# of loops and conditions, a third of the link chart's drawing (issue 18).
# test_drawn_fields holds the two to the same HTML.
_ERROR = ('<p{}{} class="govuk-error-message"><span class="govuk-visually-hidden">Error:'
          '</span> {}</p>')


def _errors(c: dict) -> str:
    return "".join(_ERROR.format(" id=" if not index else "",
                                 f'"{_shown(c["error_id"])}"' if not index else "",
                                 _shown(error))
                   for index, error in enumerate(c["errors"]))


def _attr(name: str, value: str) -> str:
    """` name="value"` (the value escaped), or nothing for no value."""
    return f' {name}="{value}"' if value else ""


def field_html(c: dict, context_of: Callable[[forms.BoundField], dict]) -> SafeString:
    """govuk/field.html drawn from its context; `context_of` gives the context of a question
    a choice reveals (its `{% field item.reveal %}`)."""
    kind = c["kind"]
    if kind == "hidden":
        return mark_safe(_shown(c["bound"]) + "\n")  # noqa: S308 - escaped as {{ bound }}
    error = " govuk-form-group--error" if c["errors"] else ""
    group = f'<div class="govuk-form-group{error}">'
    hint_id = _shown(c["hint_id"])
    hint = (f'<div id="{hint_id}" class="govuk-hint">{_shown(c["hint"])}</div>'
            if c["hint"] else "")
    described = _attr("aria-describedby", _shown(c["described_by"]) if c["described_by"]
                      else "")
    label = _shown(c["label"])
    name, ident = _shown(c["name"]), _shown(c["id"])
    if kind in {"radios", "checkboxes", "date"}:
        role = ' role="group"' if kind == "date" else ""
        size = (f" govuk-fieldset__legend--{_shown(c['label_size'])}" if c["label_size"]
                else "")
        legend = (f'<h1 class="govuk-fieldset__heading">{label}</h1>' if c["heading"]
                  else label)
        parts = [f'\n{group}\n  <fieldset class="govuk-fieldset"{role}{described}>\n'
                 f'    <legend class="govuk-fieldset__legend{size}">\n      {legend}\n'
                 f"    </legend>\n    {hint}\n    {_errors(c)}\n    "]
        if kind == "date":
            parts.append(f'\n    <div class="govuk-date-input" id="{ident}">\n      ')
            wrong = " govuk-input--error" if c["errors"] else ""
            for part in c["parts"]:
                key = _shown(part["key"])
                off = (' autocomplete="off"' if part["key"] == "day"
                       and c["label"] == "Date of birth" else "")
                parts.append(
                    f'\n      <div class="govuk-date-input__item">\n'
                    f'        <div class="govuk-form-group">\n'
                    f'          <label class="govuk-label govuk-date-input__label" '
                    f'for="{ident}_{key}">{_shown(part["label"])}</label>\n'
                    f'          <input class="govuk-input govuk-date-input__input '
                    f'govuk-input--width-{_shown(part["width"])}{wrong}" id="{ident}_{key}" '
                    f'name="{name}_{key}" type="text" inputmode="numeric" '
                    f'value="{_shown(part["value"])}"{off}>\n'
                    f"        </div>\n      </div>\n      ")
            parts.append("\n    </div>\n    ")
        else:
            k = _shown(kind)
            inline = " govuk-radios--inline" if c["inline"] else ""
            small = " govuk-checkboxes--small" if kind == "checkboxes" else ""
            parts.append(f'\n    <div class="govuk-{k}{inline}{small}" '
                         f'data-module="govuk-{k}">\n      ')
            kind_type = "radio" if kind == "radios" else "checkbox"
            for item in c["items"]:
                item_id = _shown(item["id"])
                checked = " checked" if item["checked"] else ""
                item_hint = _attr("aria-describedby", f"{item_id}-item-hint" if item["hint"]
                                  else "")
                controls = _attr("data-aria-controls", f"conditional-{item_id}"
                                 if item["reveal"] else "")
                parts.append(
                    f'\n      <div class="govuk-{k}__item">\n'
                    f'        <input class="govuk-{k}__input" id="{item_id}" name="{name}" '
                    f'type="{kind_type}" value="{_shown(item["value"])}"{checked}{item_hint}'
                    f'{controls}>\n'
                    f'        <label class="govuk-label govuk-{k}__label" for="{item_id}">'
                    f'{_shown(item["label"])}</label>\n        ')
                if item["hint"]:
                    parts.append(f'<div id="{item_id}-item-hint" class="govuk-hint '
                                 f'govuk-{k}__hint">{_shown(item["hint"])}</div>')
                parts.append("\n      </div>\n      ")
                if item["reveal"]:
                    hidden = "" if item["checked"] else f" govuk-{k}__conditional--hidden"
                    inner = field_html(context_of(item["reveal"]), context_of)
                    parts.append(f'<div class="govuk-{k}__conditional{hidden}" '
                                 f'id="conditional-{item_id}">\n        {inner}\n      </div>')
                parts.append("\n      ")
            parts.append("\n    </div>\n    ")
        parts.append("\n  </fieldset>\n</div>\n\n")
        return mark_safe("".join(parts))  # noqa: S308 - each value escaped above
    if kind == "checkbox":
        checked = " checked" if c["checked"] else ""
        hint = (f'<div id="{hint_id}" class="govuk-hint govuk-checkboxes__hint">'
                f'{_shown(c["hint"])}</div>' if c["hint"] else "")
        return mark_safe(  # noqa: S308 - each value escaped above
            f"\n{group}\n  {_errors(c)}\n"
            f'  <div class="govuk-checkboxes govuk-checkboxes--small" '
            f'data-module="govuk-checkboxes">\n'
            f'    <div class="govuk-checkboxes__item">\n'
            f'      <input class="govuk-checkboxes__input" id="{ident}" name="{name}" '
            f'type="checkbox" value="on"{checked}{described}>\n'
            f'      <label class="govuk-label govuk-checkboxes__label" for="{ident}">{label}'
            f"</label>\n      {hint}\n    </div>\n  </div>\n</div>\n\n")
    size = f" govuk-label--{_shown(c['label_size'])}" if c["label_size"] else ""
    question = f'<label class="govuk-label{size}" for="{ident}">{label}</label>'
    if c["heading"]:
        question = f'<h1 class="govuk-label-wrapper">{question}</h1>'
    return mark_safe(  # noqa: S308 - each value escaped above
        f"\n{group}\n  {question}\n  {hint}\n  {_errors(c)}\n  {_shown(c['widget_html'])}\n"
        f"</div>\n\n")
