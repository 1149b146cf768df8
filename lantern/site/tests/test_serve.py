"""`lantern serve`: production serving with gunicorn, workers from the cores, DEBUG off."""

import os

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings


@pytest.fixture(autouse=True)
def _async_safety_as_deployed(monkeypatch):
    """`lantern serve` runs Django's deployment checks, which refuse DJANGO_ALLOW_ASYNC_UNSAFE:
    the browser tests, sharing the pytest session, set it for Playwright."""
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)


def test_serve_refuses_to_run_with_debug_on():
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="DEBUG must be off"):
        call_command("serve", "--no-collectstatic")


def test_serve_becomes_gunicorn_with_two_workers_a_core_plus_one(monkeypatch):
    became = []
    monkeypatch.setattr(os, "execv", lambda path, argv: became.append(argv))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    call_command("serve", "--no-collectstatic", "--bind", "127.0.0.1:9999")
    argv = became[0]
    assert argv[1:4] == ["-m", "gunicorn", "lantern.wsgi:application"]
    assert argv[argv.index("--workers") + 1] == "7"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:9999"


def test_serve_takes_the_number_of_workers_it_is_given(monkeypatch):
    became = []
    monkeypatch.setattr(os, "execv", lambda path, argv: became.append(argv))
    call_command("serve", "--no-collectstatic", "--workers", "3")
    assert became[0][became[0].index("--workers") + 1] == "3"
