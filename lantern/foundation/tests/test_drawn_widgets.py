"""The `{% field %}` tag's inputs, text areas and drop-downs drawn in Python
(foundation.drawn.widget_html, issue 18): the same HTML as Django's widget templates draw
(`BoundField.as_widget`), for any value, choices, attributes and errors, and for every such
field of the app's own forms."""

import datetime
import importlib
import pkgutil
from decimal import Decimal

import pytest
from django import forms
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

import lantern
from lantern.foundation import drawn

WIDGETS = [forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput,
           forms.Textarea, forms.Select]
texts = st.one_of(st.text(max_size=12), st.sampled_from(
    ["", "0", "a <b> & 'c' \"d\"", "x\ny", " spaced "]))
scalars = st.one_of(texts, st.integers(-2000, 2000), st.booleans(), st.none(),
                    st.just(Decimal("1234.5")), st.just(datetime.date(2024, 2, 29)),
                    st.just(mark_safe("<i>safe</i>")))  # noqa: S308 - a test value
attr_values = st.one_of(texts, st.booleans(), st.integers(-5, 1500),
                        st.just(mark_safe("a&amp;b")))  # noqa: S308 - a test value
attrs = st.dictionaries(st.sampled_from(["class", "rows", "aria-describedby", "inputmode",
                                         "placeholder", "autocomplete", "data-x", "id"]),
                        attr_values, max_size=4)
labels = st.one_of(texts, st.integers(0, 3000), st.just(Decimal("1500.25")),
                   st.just(datetime.date(2024, 1, 5)))
choice = st.tuples(st.one_of(texts, st.integers(0, 20), st.none()), labels)
choices = st.lists(st.one_of(choice, st.tuples(texts.filter(bool), st.lists(choice,
                                                                          max_size=3))),
                   max_size=6)


def _form(widget_class, widget_attrs, field_choices, *, required, data, initial, help_text):
    widget = (widget_class(attrs=widget_attrs, choices=field_choices)
              if widget_class is forms.Select else widget_class(attrs=widget_attrs))
    field = forms.CharField(widget=widget, required=required, help_text=help_text,
                            max_length=20, initial=initial)
    form_class = type("ProbeForm", (forms.Form,), {"probe": field})
    return form_class(data=data)


@settings(max_examples=300, deadline=None)
@given(widget_class=st.sampled_from(WIDGETS), widget_attrs=attrs, extra=attrs,
       field_choices=choices, required=st.booleans(), value=scalars,
       bound=st.booleans(), help_text=st.sampled_from(["", "Some help"]),
       use_initial=st.booleans())
def test_drawn_as_the_widget_templates_draw(widget_class, widget_attrs, extra, field_choices,
                                            required, value, bound, help_text, use_initial):
    data = {"probe": value} if bound and value is not None else ({} if bound else None)
    form = _form(widget_class, widget_attrs, field_choices, required=required, data=data,
                 initial=value if use_initial else None, help_text=help_text)
    if bound:
        form.is_valid()  # errors as a form sent back draws them (aria-invalid)
    assert drawn.widget_html(form["probe"], dict(extra)) == form["probe"].as_widget(
        attrs=dict(extra))


@pytest.mark.parametrize("widget", [forms.CheckboxSelectMultiple(), forms.RadioSelect(),
                                    forms.SelectMultiple(), forms.PasswordInput(),
                                    forms.DateInput()])
def test_other_widgets_drawn_by_their_templates(widget, monkeypatch):
    """A widget not drawn in Python goes through as_widget (a subclass may draw itself
    otherwise)."""
    form = type("ProbeForm", (forms.Form,), {"probe": forms.CharField(widget=widget)})()
    calls = []
    as_widget = forms.BoundField.as_widget
    monkeypatch.setattr(forms.BoundField, "as_widget",
                        lambda self, *a, **k: calls.append(1) or as_widget(self, *a, **k))
    drawn.widget_html(form["probe"], {"class": "x"})
    assert calls == [1]


def _app_forms() -> list[type[forms.Form]]:
    for module in pkgutil.walk_packages(lantern.__path__, "lantern."):
        if module.name.rsplit(".", 1)[-1] == "forms":
            importlib.import_module(module.name)
    found: list[type[forms.Form]] = []
    todo: list[type[forms.Form]] = [forms.Form]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("lantern.") and ".tests" not in cls.__module__:
            found.append(cls)
    return found


@pytest.mark.django_db
def test_every_form_of_the_app_drawn_the_same():
    """Every input, text area and drop-down of the app's forms that can be made without
    arguments, empty and sent back with odd values."""
    checked = 0
    for form_class in _app_forms():
        for data in (None, {}, {"__": "x"}):
            try:
                form = form_class(data if data is None else {
                    name: "0 <x> & 'y'" for name in form_class.base_fields} | data)
            except TypeError:
                break  # made with arguments (its choices): the property test covers it
            if form.is_bound:
                form.is_valid()
            for name in form.fields:
                bound = form[name]
                if type(bound.field.widget) not in drawn._WIDGET_TEMPLATES:
                    continue
                attrs = {"class": "govuk-input", "aria-describedby": f"id_{name}-hint"}
                assert drawn.widget_html(bound, attrs) == bound.as_widget(attrs=attrs), name
                checked += 1
    assert checked > 50
