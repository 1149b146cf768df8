"""`lantern screen --framework CODE`: the screening contract partner systems and acceptance
checks use (issue 3). Reads one JSON object on stdin, prints exactly one JSON object on stdout
and nothing else there; bad input exits 1 with a message on stderr naming the offending value.

    echo '{"age": 14, "indicators": ["wm1.missing_or_late"], "screener_role": "teacher"}' \\
        | lantern screen --framework wm

It needs no database and no SECRET_KEY: it reads the framework files and applies the rules
with the default local settings (lantern.domain.screening.DEFAULT_SETTINGS).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from lantern.domain.screening import ScreeningInputError, evaluate, input_from_request
from lantern.screening import registry


class Command(BaseCommand):
    help = "Screen one child from a JSON object on stdin; print the suggestion as JSON."
    requires_system_checks = []
    requires_migrations_checks = False
    # Tests pass their own input: call_command("screen", framework="wm", stdin=io.StringIO(...)).
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--framework", required=True,
            help="a categorising framework: " + ", ".join(registry.categorising_codes()),
        )
        parser.add_argument(
            "--framework-version", dest="framework_version", default=None,
            help="a version of the framework (default: the newest)",
        )

    def handle(self, *args, framework, framework_version=None, **options):
        chosen = self._framework(framework, framework_version)
        stdin = options.get("stdin") or sys.stdin
        try:
            data = json.loads(stdin.read())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"the input on stdin is not valid JSON: {exc}") from None
        try:
            suggestion = evaluate(chosen, input_from_request(data))
        except ScreeningInputError as exc:
            raise CommandError(str(exc)) from None
        # ASCII-only JSON ("\u00a7" for "§"), so no locale can garble the output.
        self.stdout.write(json.dumps(suggestion.as_contract()))

    def _framework(self, code: str, version: str | None):
        known = registry.categorising_codes()
        if code not in known:
            what = "a checklist, which suggests no category" if code in registry.codes() else (
                "not a framework Lantern knows")
            raise CommandError(
                f"unknown framework '{code}': it is {what}; use one of {', '.join(known)}"
            )
        try:
            return registry.get(code, version)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
