"""Parts of every signed-in page drawn in Python (issue 18) are the markup of the templates
they replaced, character for character: the idle-timeout warning and the overdue work
banner."""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.template import engines
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from lantern.foundation.middleware import RENEWED_AT
from lantern.foundation.templatetags import govuk

pytestmark = pytest.mark.django_db

# foundation/_timeout_dialog.html, which {% timeout_dialog %} included before it drew it.
OLD_TIMEOUT_DIALOG = """{% if warning_seconds > 0 %}
<dialog class="lantern-timeout" id="lantern-timeout" aria-labelledby="lantern-timeout-heading" aria-describedby="lantern-timeout-text" data-session-seconds="{{ session_seconds }}" data-warning-seconds="{{ warning_seconds }}" data-session-left="{{ session_left }}" data-keep-alive-url="{% fixed 'keep_alive' %}">
  <div data-timeout-state="warning">
    <h2 class="govuk-heading-m" id="lantern-timeout-heading">You’re about to be signed out</h2>
    <p class="govuk-body" id="lantern-timeout-text">For your security, Lantern will sign you out in <strong class="lantern-timeout__countdown" aria-hidden="true" data-timeout-countdown></strong><span class="govuk-visually-hidden" data-timeout-spoken></span>. What you have typed is kept as a draft.</p>
    <div class="govuk-button-group">
      <button type="button" class="govuk-button" data-module="govuk-button" data-timeout-stay>Stay signed in</button>
      <form method="post" action="{% fixed 'logout' %}" class="lantern-inline-form">
        <input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">
        <button type="submit" class="govuk-link lantern-link-button">Sign out</button>
      </form>
    </div>
  </div>
  <div data-timeout-state="ended" hidden>
    <h2 class="govuk-heading-m" id="lantern-timeout-ended-heading">You have been signed out</h2>
    <p class="govuk-body">For your security, Lantern signed you out because you had not used it for a while. What you had typed has been kept: sign in again and it will be offered back to you.</p>
    <a class="govuk-button" data-module="govuk-button" href="{% fixed 'login' %}?next={{ next|urlencode }}">Sign in again</a>
  </div>
</dialog>
{% endif %}
"""  # noqa: E501


def _request(path: str, renewed: float | None):
    request = RequestFactory().get(path)
    request.session = SessionStore()
    if renewed is not None:
        request.session[RENEWED_AT] = renewed
    return request


@pytest.mark.parametrize("path", ["/children/12/", "/work/?tray=team&overdue=on",
                                  "/search/?name=O'Brien <&> \"x\"", "/é/?q=a%20b"])
@pytest.mark.parametrize("renewed", [None, 0.0, 1e12])
@pytest.mark.parametrize("token", ["abc<&>\"'", mark_safe("<safe>"), None])
@pytest.mark.parametrize("warning", [0, 120, -1])
def test_the_timeout_dialog_is_the_old_templates_markup(settings, monkeypatch, path, renewed,
                                                        token, warning):
    # One time for both drawings: the seconds left would differ across a second's boundary.
    monkeypatch.setattr(time, "time", lambda: 1_000_000_000.5)
    settings.SESSION_WARNING_SECONDS = warning
    request = _request(path, renewed)
    old_context = {
        "session_seconds": settings.SESSION_COOKIE_AGE,
        "session_left": (settings.SESSION_COOKIE_AGE if renewed is None
                         else govuk.seconds_left(request)),
        "warning_seconds": settings.SESSION_WARNING_SECONDS,
        "next": request.get_full_path(), "csrf_token": token}
    old = engines["django"].from_string(OLD_TIMEOUT_DIALOG).render(old_context)
    new = engines["django"].from_string("{% timeout_dialog %}").render(
        {"request": request, "csrf_token": token})
    assert new == old


# foundation/_overdue_banner.html, which base.html included before {% overdue_banner %}.
OLD_OVERDUE_BANNER = """{# Shown on every page to a user with overdue work (lantern.site.context_processors). #}{% if overdue_work.mine or overdue_work.team %}
<div class="govuk-notification-banner" role="region" aria-labelledby="overdue-banner-title" data-module="govuk-notification-banner">
  <div class="govuk-notification-banner__header">
    <h2 class="govuk-notification-banner__title" id="overdue-banner-title">Overdue work</h2>
  </div>
  <div class="govuk-notification-banner__content">
    {% if overdue_work.mine %}<p class="govuk-notification-banner__heading">You have {{ overdue_work.mine }} overdue piece{{ overdue_work.mine|pluralize }} of work. <a class="govuk-notification-banner__link" href="{% url 'work' %}?tray=mine&amp;overdue=on">See your overdue work</a>.</p>{% endif %}
    {% if overdue_work.team %}<p class="govuk-body">Your team has {{ overdue_work.team }} overdue piece{{ overdue_work.team|pluralize }} of work. <a class="govuk-notification-banner__link" href="{% url 'work' %}?tray=team&amp;overdue=on">See your team's overdue work</a>.</p>{% endif %}
  </div>
</div>
{% endif %}
"""  # noqa: E501


@pytest.mark.parametrize("counts", [None, {"mine": 0, "team": 0}, {"mine": 1, "team": 0},
                                    {"mine": 0, "team": 1}, {"mine": 2, "team": 31},
                                    {"mine": 1, "team": 1}])
@pytest.mark.parametrize("lazy", [False, True])
def test_the_overdue_banner_is_the_old_templates_markup(counts, lazy):
    if lazy and counts is not None:
        counts = SimpleLazyObject(lambda found=counts: found)
    context = {} if counts is None else {"overdue_work": counts}
    old = engines["django"].from_string(OLD_OVERDUE_BANNER).render(context)
    assert engines["django"].from_string("{% overdue_banner %}").render(context) == old
