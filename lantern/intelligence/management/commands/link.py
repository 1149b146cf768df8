"""`lantern link`: batch entity resolution over every subject (Splink on DuckDB when there are
enough records to learn from, otherwise the fixed weights), then the trigger rules over the
whole link graph. New proposals wait for a person to review them."""

from django.core.management.base import BaseCommand

from lantern.intelligence import actions


class Command(BaseCommand):
    help = "Propose merges across all subjects, then look for triggers across the whole graph."
    requires_system_checks = []

    def handle(self, *args, **options):
        proposals = actions.resolve_all(by=None)
        self.stdout.write(f"{len(proposals)} new proposals to review.")
        triggers = actions.detect_triggers(entities=set(), children=set(), by=None, whole=True)
        self.stdout.write(f"{len(triggers)} triggers open or raised.")
