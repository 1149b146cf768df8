"""`lantern transitions`: open transition-planning reminders as young people reach the age
(lantern.missing.reminders). Runs every hour until stopped, or once with --once."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from lantern.missing.reminders import open_due_reminders


class Command(BaseCommand):
    help = "Open reminders to plan the move to adult services (from 17 years 6 months)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run once and stop")
        parser.add_argument("--interval", type=int, default=3600,
                            help="seconds between runs (default 3600)")

    def handle(self, *args, once: bool, interval: int, **options):
        while True:
            opened = open_due_reminders(timezone.now())
            self.stdout.write(f"Opened {len(opened)} transition reminder"
                              + ("" if len(opened) == 1 else "s"))
            if once:
                return
            time.sleep(max(interval, 1))
