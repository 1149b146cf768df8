"""The `{% field %}` tag's questions drawn in Python (foundation.drawn.field_html, issue 18):
the same HTML as govuk/field.html draws from the same context (templatetags.govuk
field_context), for every question of the app's forms, every option of the tag, empty and sent
back with errors, and for questions of every kind made up with odd labels, hints and choices."""

from pathlib import Path

import pytest
from django import forms, template
from django.template import Context, Engine
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.foundation.forms import GovukDateField
from lantern.foundation.templatetags import govuk

from .test_drawn_widgets import _app_forms

# The tag as it was: govuk/field.html drawn by the template engine from the same context
# (a revealed question inside it drawn the same way).
register = template.Library()
register.inclusion_tag("govuk/field.html", name="field")(govuk.field_context)
_ENGINE = Engine(dirs=[str(Path(govuk.__file__).parent.parent / "templates")],
                 builtins=[__name__])

OPTIONS = [{}, {"label_size": "m", "heading": True}, {"label_size": "s", "inline": True},
           {"hint": "Say <when> & 'why'", "classes": "govuk-input--width-3", "rows": 3},
           {"label": "Date of birth"}, {"label_size": "xx", "label": "A <b>label</b>"}]


def _by_the_template(bound, options) -> str:
    names = " ".join(f"{name}={name}" for name in options)
    return _ENGINE.from_string("{% field bound " + names + " %}").render(
        Context({"bound": bound, **options}))


def _same(bound, options) -> None:
    drawn_ = govuk.field(bound, **options)
    assert drawn_ == _by_the_template(bound, options), (bound.name, options)


@pytest.mark.django_db
def test_every_question_of_the_app_drawn_as_the_template_draws_it():
    kinds: set[str] = set()
    for form_class in _app_forms():
        for data in (None, {"__": "x"}):
            try:
                form = form_class(data if data is None else {
                    name: "0 <x> & 'y'" for name in form_class.base_fields} | data)
            except TypeError:
                break  # made with arguments: the made-up questions below cover them
            if form.is_bound:
                form.is_valid()
            for name in form.fields:
                kinds.add(govuk.field_context(form[name])["kind"])
                for options in OPTIONS:
                    _same(form[name], options)
    assert kinds >= {"input", "textarea", "select", "radios", "checkboxes", "checkbox", "date"}


texts = st.one_of(st.text(max_size=10), st.sampled_from(
    ["", "Date of birth", "a <b> & 'c' \"d\"", "x\ny"]), st.just(mark_safe("<i>safe</i>")))
choice_values = st.one_of(st.text(max_size=6), st.integers(0, 3000))


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(["radios", "checkboxes", "checkbox", "date", "hidden",
                                 "input", "select", "textarea"]))
    label, help_text = draw(texts), draw(texts)
    required = draw(st.booleans())
    values = draw(st.lists(choice_values, max_size=5, unique_by=str))
    choices = [(v, draw(st.one_of(texts, st.integers(0, 3000)))) for v in values]
    if draw(st.booleans()):
        choices.insert(0, ("", "Choose"))
    fields: dict[str, forms.Field] = {}
    if kind in {"radios", "checkboxes"}:
        field_class = forms.MultipleChoiceField if kind == "checkboxes" else forms.ChoiceField
        widget = forms.CheckboxSelectMultiple if kind == "checkboxes" else forms.RadioSelect
        field = field_class(choices=choices, widget=widget, label=label, required=required,
                            help_text=help_text)
        field.choice_hints = {v: draw(texts) for v, _ in choices if draw(st.booleans())}
        field.reveals = {v: "more" for v, _ in choices if v != "" and draw(st.booleans())}
        fields["more"] = forms.CharField(label="Tell us more", required=False)
    elif kind == "checkbox":
        field = forms.BooleanField(label=label, required=required, help_text=help_text)
    elif kind == "date":
        field = GovukDateField(subject="the day", label=label, required=required,
                               help_text=help_text)
    elif kind == "hidden":
        field = forms.CharField(widget=forms.HiddenInput, required=required)
    elif kind == "select":
        field = forms.ChoiceField(choices=choices, label=label, required=required,
                                  help_text=help_text)
    else:
        field = forms.CharField(label=label, required=required, help_text=help_text,
                                widget=forms.Textarea if kind == "textarea" else None)
    fields["question"] = field
    form_class = type("MadeUpForm", (forms.Form,), fields)
    sent = draw(st.one_of(st.none(), st.dictionaries(
        st.sampled_from(["question", "question_day", "question_month", "question_year",
                         "more"]), st.one_of(texts, *(st.just(str(v)) for v in values[:2])),
        max_size=4)))
    form = form_class(sent)
    if sent is not None:
        form.is_valid()
    return form["question"]


@settings(max_examples=250, deadline=None)
@given(bound=questions(), options=st.sampled_from(OPTIONS))
def test_made_up_questions_drawn_as_the_template_draws_them(bound, options):
    _same(bound, options)
