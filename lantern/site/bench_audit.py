"""`lantern bench audit`: audited rows written per second by concurrent writers, with the
chain head's lock (AUDIT_SEALING "inline") and with the sequencer ("sequencer"), on whatever
database DATABASE_URL names. Each writer is a thread with its own connection writing one
audited view a transaction, as a page does; with the sequencer one more thread seals
continuously, as `lantern work` does. It writes real rows to the audit trail (and leaves the
chain whole): run it on a measuring database, such as one from `lantern generate`."""

import threading
import time

from django.db import close_old_connections, connection, transaction
from django.test.utils import override_settings

from lantern.foundation import audit
from lantern.foundation.models import AuditEntry, Child, User


class NothingToAudit(Exception):
    pass


def _writer(actor: User, child: Child, until: float, counts: list[int], index: int,
            errors: list[str]) -> None:
    try:
        done = 0
        while time.monotonic() < until:
            with transaction.atomic():
                audit.record(actor, "view", child, child=child, summary="Benchmark read")
            done += 1
        counts[index] = done
    except Exception as error:  # reported in the figures rather than lost with the thread
        errors.append(repr(error))
    finally:
        connection.close()


def _sequencer(stop: threading.Event, sealed: list[int]) -> None:
    try:
        while not stop.is_set():
            sealed[0] += audit.seal()
            time.sleep(0.05)
    finally:
        connection.close()


def _run(mode: str, threads: int, seconds: float, actor: User, child: Child) -> dict:
    with override_settings(AUDIT_SEALING=mode):
        counts = [0] * threads
        errors: list[str] = []
        stop = threading.Event()
        sealed = [0]
        sequencer = threading.Thread(target=_sequencer, args=(stop, sealed))
        if mode == "sequencer":
            sequencer.start()
        started = time.monotonic()
        until = started + seconds
        workers = [threading.Thread(target=_writer, args=(actor, child, until, counts, i, errors))
                   for i in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.monotonic() - started
        waiting = AuditEntry.objects.count()
        if mode == "sequencer":
            stop.set()
            sequencer.join()
        drained_at = time.monotonic()
        sealed[0] += audit.seal()
        drain = time.monotonic() - drained_at
    written = sum(counts)
    return {
        "mode": mode,
        "writers": threads,
        "seconds": round(elapsed, 1),
        "rows": written,
        "rows_per_second": round(written / elapsed),
        "waiting_when_writers_stopped": waiting,
        "final_seal_seconds": round(drain, 2),
        "errors": errors[:3],
    }


def bench_audit(*, threads: int = 16, seconds: float = 10.0) -> dict:
    actor = User.objects.filter(agency__isnull=False).select_related("agency").first()
    child = Child.objects.first()
    if actor is None or child is None:
        raise NothingToAudit("No people or children to audit: run `lantern generate` first.")
    close_old_connections()
    result: dict[str, object] = {
        "database": connection.vendor,
        "runs": [_run(mode, threads, seconds, actor, child)
                 for mode in ("inline", "sequencer")],
    }
    result["chain_intact"] = audit.verify() is None
    return result
