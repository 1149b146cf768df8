"""`lantern due --profile NAME --step STEP --from ISO_DATETIME`: when a step is due under a
policy profile, for partner systems and our checks. Prints one JSON object on stdout,
{"due": ..., "basis": "..."}, and nothing else. A day-based step prints its date
(YYYY-MM-DD); an hour-based one an ISO 8601 local datetime. `--from` without an offset is
Europe/London local time. Needs no database and no SECRET_KEY for the shipped profiles."""

import json
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from lantern.domain import dates
from lantern.domain.profiles import CLI_STEPS, NoTimescale
from lantern.pathway import policy


class Command(BaseCommand):
    help = "Print when a pathway step is due under a policy profile, as JSON."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--profile", required=True, help="stockport, coventry, wales, bristol")
        parser.add_argument("--step", required=True, help=", ".join(CLI_STEPS))
        parser.add_argument("--from", dest="event", required=True,
                            help="the event, ISO 8601 (no offset: Europe/London local time)")

    def handle(self, *args, profile, step, event, **options):
        if step not in CLI_STEPS:
            raise CommandError(f"unknown step '{step}' (steps: {', '.join(CLI_STEPS)})")
        try:
            moment = datetime.fromisoformat(event)
        except ValueError:
            raise CommandError(f"--from '{event}' is not an ISO 8601 date and time") from None
        found = self._profile(profile)
        try:
            timescale = found.timescale(step, own_only=True)
        except NoTimescale:
            adopted = found.timescales.get(step)
            note = f" ({adopted.adopted})" if adopted is not None else ""
            raise CommandError(
                f"profile '{profile}' has no timescale for step '{step}'{note}"
            ) from None
        due = timescale.due(dates.local(moment), found.nation)
        self.stdout.write(json.dumps({"due": due.as_text(), "basis": due.basis}))

    def _profile(self, code: str):
        if code in policy.file_codes():
            return policy.file_profile(code)
        # A local profile lives in the database; without one, the name is simply unknown.
        try:
            if not _database_exists(connection):
                raise LookupError(code)
            return policy.get(code)
        except (LookupError, DatabaseError):
            raise CommandError(
                f"unknown profile '{code}' (profiles: {', '.join(policy.file_codes())})"
            ) from None


def _database_exists(connection) -> bool:
    """Whether there is a database to look in: opening a missing SQLite file would create it."""
    if connection.vendor != "sqlite":
        return True
    name = str(connection.settings_dict["NAME"])
    return name == ":memory:" or "mode=memory" in name or Path(name).exists()
