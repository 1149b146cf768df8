"""Parts of every page drawn once a process (`{% fixed %}`, issue 18): the same markup as the
template tags they stand for, and drawn again when the settings they depend on change."""

import pytest
from django.template import engines
from django.test import override_settings

from lantern.foundation.templatetags import govuk

pytestmark = pytest.mark.django_db


def _drawn(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("name", sorted(govuk.FIXED))
@pytest.mark.parametrize("flag", [False, True])
def test_a_fixed_part_is_its_template_drawn(name, flag):
    expected = _drawn("{% load static %}" + govuk.FIXED[name], flag=flag)
    assert _drawn("{% fixed name flag %}", name=name, flag=flag) == expected
    assert expected and "{%" not in expected


def test_the_signed_in_scripts_are_drawn_for_the_signed_in_only():
    assert "timeout.js" in govuk.fixed("scripts", True)
    assert "timeout.js" not in govuk.fixed("scripts", False)
    assert "htmx.min.js" in govuk.fixed("scripts", False)


def test_a_fixed_part_is_drawn_again_when_its_settings_change():
    before = govuk.fixed("head")
    with override_settings(STATIC_URL="/elsewhere/"):
        assert 'href="/elsewhere/build/lantern.css"' in govuk.fixed("head")
    assert govuk.fixed("head") == before
