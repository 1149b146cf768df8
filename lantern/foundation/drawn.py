"""For rows of long lists drawn in Python rather than by a template's loop (issue 18: the
template language spent more on a list of 50 rows than the rest of the page). Each app's
`drawn` module holds the markup of the template it replaced, character for character, and a
test holds it to that template."""

from html import escape

from django import forms
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.functional import Promise
from django.utils.safestring import SafeData, SafeString, mark_safe


def esc(value) -> str:
    """`conditional_escape` (what `{{ value }}` does), without its wrappers: a page of rows
    escapes some 400 values."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


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
