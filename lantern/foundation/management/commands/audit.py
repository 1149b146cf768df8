"""`lantern audit verify`: check the audit trail: every row's seal under the key it names, the
links between rows, the chain head, and the latest signed checkpoint. Exits 0 when it holds, or
1 naming the first row that fails and how.

`lantern audit checkpoint`: sign the chain head with the audit signing key and append it to
the checkpoint log outside the database (`lantern work` does this hourly).

Both first run the sequencer, chaining every entry already written; entries still inside an
open transaction are reported as waiting, not as a break."""

import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand

from lantern.domain.auditchain import KeyringError
from lantern.foundation import audit


class Command(BaseCommand):
    help = "Check the audit trail (`lantern audit verify`) or sign its head (`checkpoint`)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint"])

    def handle(self, *args, action, **options):
        try:
            audit.seal()
            if action == "checkpoint":
                point = audit.checkpoint()
                self.stdout.write(f"Checkpoint signed at row {point.seq} ({point.at}).")
                return
            result = audit.verify_all()
        except (ImproperlyConfigured, KeyringError, OSError) as error:
            self.stderr.write(f"Audit trail cannot be checked: {error}")
            sys.exit(1)
        if result.broken is not None:
            self.stderr.write(f"Audit trail broken at row {result.broken.seq}: "
                              f"{result.broken.problem}.")
            sys.exit(1)
        if not audit.checkpoints_configured():
            note = ("no checkpoint log is configured (AUDIT_SIGNING_KEY_FILE, "
                    "AUDIT_CHECKPOINT_LOG), so rows cut from the end since could go unnoticed")
        elif result.checkpoint is None:
            note = "no checkpoint signed yet"
        else:
            note = (f"the latest checkpoint (row {result.checkpoint.seq}, "
                    f"{result.checkpoint.at}) matches")
        if result.pending:
            note += (f"; {result.pending} entries written since are waiting for the sequencer "
                     "(pending, sealed on their own)")
        self.stdout.write(f"Audit trail intact: {result.rows} rows verified; {note}.")
