"""`lantern audit verify`: walk the audit trail's hash chain. Exits 0 when it is intact, or 1
naming the first row that was changed or removed."""

import sys

from django.core.management.base import BaseCommand

from lantern.foundation import audit
from lantern.foundation.models import AuditChainHead


class Command(BaseCommand):
    help = "Check the audit trail: `lantern audit verify`."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        broken = audit.verify()
        if broken is not None:
            self.stderr.write(f"Audit trail broken at row {broken.seq}: {broken.problem}.")
            sys.exit(1)
        head = AuditChainHead.objects.filter(id=1).first()
        rows = head.last_seq if head else 0
        self.stdout.write(f"Audit trail intact: {rows} rows verified.")
