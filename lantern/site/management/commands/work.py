"""`lantern work`: the background loop that keeps deadlines from slipping. It lives in the site
app because it runs more than one app's work: it opens the reminders that fall due by date
(transition planning at 17 years 6 months: lantern.missing.reminders), then marks overdue work,
tells its owner and escalates it to their manager by email (lantern.foundation.escalation),
and signs an audit checkpoint when the last is an hour old (lantern.foundation.audit),
deletes drafts past their expiry (lantern.foundation.drafts), and counts each area's
monitoring data set, and each kept ranking of the weekly tasking list's priority subjects,
again when it is older than MONITORING_RECOUNT_SECONDS (lantern.monitoring.snapshots and
.ranking), and puts right any intelligence report's areas that are not its children's
(lantern.intelligence.actions.keep_report_areas: the last two hours' reports every pass,
every report hourly); between passes it runs the audit
sequencer every second (lantern.foundation.audit.seal). Safe to run as several copies.
`--once` runs one pass (for tests and cron); otherwise it loops."""

import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from lantern.foundation import audit, drafts, escalation
from lantern.intelligence import actions as intelligence_actions
from lantern.missing import reminders
from lantern.monitoring import actions as monitoring_actions
from lantern.pathway import actions as pathway_actions


class Command(BaseCommand):
    help = "Mark overdue work, notify its owners and escalate it to their managers."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run one pass and stop")
        parser.add_argument("--sleep", type=float, default=60.0,
                            help="seconds between passes (default 60)")
        parser.add_argument("--batch", type=int, default=500,
                            help="most items handled per pass and stage (default 500)")

    def handle(self, *args, once: bool, sleep: float, batch: int, **options):
        if not audit.checkpoints_configured():
            self.stderr.write("Audit checkpoints are off: set AUDIT_SIGNING_KEY_FILE and "
                              "AUDIT_CHECKPOINT_LOG (docs/decisions/0010-keyed-audit-chain.md).")
        areas_checked: float | None = None
        while True:
            audit.seal()
            now = timezone.now()
            # Transition reminders from 17 and a half; adult safeguarding told of a child who
            # turned 18 while their pathway is open (issue 14, item 10).
            opened = [*reminders.open_due_reminders(now),
                      *pathway_actions.open_for_those_turned_18(now)]
            result = escalation.run_once(batch=batch)
            if audit.checkpoint_due(settings.AUDIT_CHECKPOINT_SECONDS):
                point = audit.checkpoint()
                self.stdout.write(f"audit checkpoint signed at row {point.seq}")
            purged = drafts.purge_expired()
            # Counting every area takes seconds at regional scale: the audit sequencer runs
            # between one count and the next.
            recounted = monitoring_actions.recount_data_set(between=audit.seal)
            reranked = intelligence_actions.refresh_rankings()
            # Each report's areas, which decide who finds it (issue 18), checked against its
            # children's and put right: every pass those of reports of the last two hours,
            # hourly every report's (60 ms at 100,000 children).
            every = once or areas_checked is None or time.monotonic() - areas_checked >= 3600
            put_right = intelligence_actions.keep_report_areas(
                since=None if every else now - timedelta(hours=2))
            if every:
                areas_checked = time.monotonic()
            areas_kept = len(put_right["added"]) + len(put_right["removed"])
            if areas_kept:
                self.stderr.write(
                    f"Intelligence reports' areas put right (report, area; the audit trail "
                    f"has them all): added {put_right['added'][:20]}, removed "
                    f"{put_right['removed'][:20]}. Something wrote a report's children "
                    f"without its areas.")
            if (opened or result.notified or result.escalated or purged or recounted
                    or reranked or areas_kept or once):
                self.stdout.write(
                    f"{len(opened)} reminder(s) opened, {result.notified} overdue item(s) "
                    f"notified, {result.escalated} escalated, {purged} expired draft(s) "
                    f"deleted, {recounted} monitoring data set(s) counted, {reranked} "
                    f"priority subject ranking(s) made, {areas_kept} report area(s) put right"
                )
            if once:
                audit.seal()
                return
            # The audit sequencer runs every second while the loop waits, so audited reads
            # and writes join the chain soon after they are written.
            deadline = time.monotonic() + sleep
            while True:
                audit.seal()
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                time.sleep(min(settings.AUDIT_SEAL_SECONDS, left))
            # A long-running loop drops connections that broke or aged while it slept.
            close_old_connections()
