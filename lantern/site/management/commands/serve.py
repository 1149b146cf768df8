"""`lantern serve`: Lantern in production, behind a TLS-terminating proxy.

    lantern serve                          gunicorn on 127.0.0.1:8000, 2 x cores + 1 workers
    lantern serve --bind 0.0.0.0:8000 --workers 9

DEBUG must be off (this is not the development server: `make run` is). Static files are
collected first (WhiteNoise serves them from STATIC_ROOT with hashed names), then this process
becomes gunicorn, serving `lantern.wsgi:application`. Run `lantern work` beside it. Each worker
is a separate process holding its own database connection (CONN_MAX_AGE keeps it open between
requests); more machines behind a load balancer share nothing but the database.
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def default_workers() -> int:
    """gunicorn's rule of thumb: two workers a core, plus one."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return 2 * cores + 1


def gunicorn_argv(*, bind: str, workers: int, timeout: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "lantern.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--timeout", str(timeout),
        # A worker is replaced after about a thousand requests, so memory cannot creep.
        "--max-requests", "1000", "--max-requests-jitter", "100",
        "--access-logfile", "-",
        # The proxy in front sends X-Forwarded-Proto (BEHIND_TLS_PROXY=1 trusts it).
        "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


class Command(BaseCommand):
    help = "Serve Lantern in production with gunicorn (DEBUG off, static files collected)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("LANTERN_BIND", "127.0.0.1:8000"),
                            help="address:port to listen on (LANTERN_BIND)")
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("WEB_CONCURRENCY", 0)) or None,
                            help="worker processes (WEB_CONCURRENCY); default 2 x cores + 1")
        parser.add_argument("--timeout", type=int, default=60)
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="the static files were collected already (a built image)")

    def handle(self, *args, bind, workers, timeout, no_collectstatic, **options):
        if settings.DEBUG:
            raise CommandError("lantern serve is for production: DEBUG must be off. For "
                               "development use `make run`.")
        if not settings._wrapped.SECRET_KEY:
            raise CommandError("Set SECRET_KEY or SECRET_KEY_FILE before serving.")
        call_command("check", "--deploy", "--fail-level", "ERROR")
        if not no_collectstatic:
            call_command("collectstatic", "--no-input", verbosity=0)
        argv = gunicorn_argv(bind=bind, workers=workers or default_workers(), timeout=timeout)
        self.stderr.write(f"Serving Lantern on {bind} with {argv[argv.index('--workers') + 1]} "
                          "workers")
        sys.stderr.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - becomes gunicorn; the argv is ours
