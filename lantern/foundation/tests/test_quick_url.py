"""Lantern's `{% url %}` (foundation.templatetags.govuk.QuickURLNode) reverses each name once a
process and gives what Django's tag gives, for every URL of Lantern (issue 18)."""

import pytest
from django.template import Context, engines
from django.template.base import Template as DjangoTemplate
from django.template.engine import Engine
from django.urls import NoReverseMatch, get_resolver, reverse, set_script_prefix
from django.urls.resolvers import RoutePattern
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.foundation.templatetags.govuk import QuickURLNode


def _names_with_ids() -> list[tuple[str, int]]:
    """Every URL name of Lantern whose arguments are all ids, with how many it takes."""
    found = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns,
                     f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif pattern.name and isinstance(pattern.pattern, RoutePattern):
                converters = pattern.pattern.converters
                if all(type(c).__name__ == "IdConverter" for c in converters.values()):
                    found.append((f"{namespace}{pattern.name}", len(converters)))

    walk(get_resolver().url_patterns)
    return sorted(set(found))


NAMES = _names_with_ids()
DJANGO = Engine(builtins=[])  # Django's own tags only


def _both(source: str, context: dict) -> tuple[str, str]:
    ours = engines["django"].from_string(source).render(context)
    theirs = DjangoTemplate(source, engine=DJANGO).render(Context(context))
    return ours, theirs


def test_lanterns_templates_use_the_quick_tag():
    template = engines["django"].from_string("{% url 'home' %}")
    assert isinstance(template.template.nodelist[0], QuickURLNode)


@settings(deadline=None, max_examples=25)  # each example draws every URL of Lantern twice
@given(ids=st.lists(st.integers(0, 10**18 - 1), min_size=4, max_size=4))
def test_every_url_with_ids_is_what_django_reverses(ids):
    assert len(NAMES) > 50
    for name, count in NAMES:
        args = " ".join(f"ids.{n}" for n in range(count))
        ours, theirs = _both(f"{{% url '{name}' {args} %}}", {"ids": ids})
        assert ours == theirs == reverse(name, args=ids[:count])


@pytest.mark.parametrize("value", [-1, 10**18, "12", "a&b", True, None, 1.5])
def test_anything_but_an_id_is_left_to_django(value):
    source = "{% url 'child' value %}"
    try:
        expected = reverse("child", args=[value])
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            engines["django"].from_string(source).render({"value": value})
    else:
        assert engines["django"].from_string(source).render({"value": value}) == expected


def test_kept_as_a_variable_and_keywords_are_djangos():
    source = "{% url 'child' child_id=3 as link %}[{{ link }}]{% url 'nope' as missing %}"
    ours, theirs = _both(source, {})
    assert ours == theirs == f"[{reverse('child', kwargs={'child_id': 3})}]"


def test_the_url_is_escaped_where_the_template_escapes():
    # Lantern's URLs hold nothing to escape, but a script prefix may (as Django's tag does).
    source = ("{% url 'child' 5 %}|{% autoescape off %}{% url 'child' 5 %}"
              "{% endautoescape %}")
    set_script_prefix("/lantern&co/")
    try:
        ours, theirs = _both(source, {})
    finally:
        set_script_prefix("/")
    assert ours == theirs == "/lantern&amp;co/children/5/|/lantern&co/children/5/"


def test_another_url_conf_reverses_again(settings):
    engines["django"].from_string("{% url 'child' 5 %}").render({})
    settings.ROOT_URLCONF = "lantern.foundation.tests.urls_elsewhere"
    assert engines["django"].from_string("{% url 'child' 5 %}").render({}) == "/elsewhere/5/"
