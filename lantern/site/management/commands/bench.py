"""`lantern bench`: benchmark figures as JSON (never asserted in tests).

    lantern bench linking --dataset febrl4     FEBRL 4 (two files to link), without SSNs
    lantern bench linking --dataset febrl3     FEBRL 3 (one file to deduplicate)
    lantern bench linking --generated 1000000  batch linking of N generated subject records
                                               through `lantern link`'s own path, on
                                               LINKING_BACKEND (duckdb, or spark)
    lantern bench triggers --entities 1000000  one new report against N linked entities,
                                               the pure rules in memory
    lantern bench triggers --entities 100000 --database
                                               the same through the product's action
                                               (database, audit, resolution, triggers),
                                               in a transaction rolled back at the end
    lantern bench networks --entities 1000000  igraph connected components of the whole graph
    lantern bench sessions [--count 16]        signed-in sessions of generated accounts, as
                                               JSON, for scripts/load-test
    lantern bench audit [--threads 16] [--seconds 10]
                                               audited rows a second from concurrent
                                               writers, with the chain head's lock and with
                                               the sequencer (lantern/site/bench_audit.py)
    lantern bench pages [--runs N] [--only NAME ...] [--slowest]
                                               each page's p50, p95 and queries against the
                                               floor, on data from `lantern generate`
                                               (lantern/site/bench.py)

The command lives in the site app because `pages` reaches every app's pages; the intelligence
figures are lantern.intelligence.bench's.
"""

import json
import random
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lantern.domain import resolution
from lantern.foundation.models import Agency, AgencyKind, Area, Child, Role, User
from lantern.intelligence import actions, bench
from lantern.intelligence.actions import MentionInput
from lantern.intelligence.models import Entity, IntelligenceReport, Link
from lantern.site import bench as site_bench
from lantern.site import bench_audit, serving


class Command(BaseCommand):
    help = "Print benchmark figures as JSON: linking (FEBRL), triggers, networks, pages."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("what",
                            choices=["linking", "triggers", "networks", "pages", "sessions",
                                     "audit"])
        parser.add_argument("--dataset", default="febrl4", choices=["febrl3", "febrl4"])
        parser.add_argument("--generated", type=int, metavar="N",
                            help="linking: N generated subject records instead of FEBRL")
        parser.add_argument("--entities", type=int, default=100_000)
        parser.add_argument("--reports", type=int, default=25)
        parser.add_argument("--database", action="store_true",
                            help="triggers: go through the database and the product's action")
        parser.add_argument("--runs", type=int, default=20,
                            help="pages: requests of each page (and as many of the floor)")
        parser.add_argument("--only", action="append", metavar="NAME",
                            help="pages: measure only this page (may be repeated)")
        parser.add_argument("--slowest", action="store_true",
                            help="pages: list the slowest pages (by p95 ratio) first")
        parser.add_argument("--threads", type=int, default=16,
                            help="audit: concurrent writers (default 16)")
        parser.add_argument("--seconds", type=float, default=10.0,
                            help="audit: seconds each way is measured (default 10)")
        parser.add_argument("--count", type=int, default=16,
                            help="sessions: signed-in sessions to make for scripts/load-test")

    def handle(self, *args, what, dataset, generated, entities, reports, database, runs, only,
               slowest, count, threads, seconds, **options):
        if what == "audit":
            if threads < 1 or seconds <= 0:
                raise CommandError("Give one thread or more and a positive number of seconds.")
            try:
                result = bench_audit.bench_audit(threads=threads, seconds=seconds)
            except bench_audit.NothingToAudit as error:
                raise CommandError(str(error)) from error
        elif what == "sessions":
            try:
                result = site_bench.sessions(count)
            except site_bench.NoGeneratedData as error:
                raise CommandError(str(error)) from error
        elif what == "pages":
            if runs < 1:
                raise CommandError("Give a number of runs of 1 or more.")
            unknown = set(only or []) - {p.name for p in site_bench.PAGES}
            if unknown:
                raise CommandError(f"No page called {', '.join(sorted(unknown))}; the pages "
                                   f"are {', '.join(p.name for p in site_bench.PAGES)}.")
            # As a served process is once loaded (lantern.wsgi): what is loaded set aside
            # from the garbage collector's full collections.
            serving.settle()
            try:
                result = site_bench.bench_pages(
                    runs=runs, only=only, slowest=slowest,
                    progress=lambda name: self.stderr.write(f"measuring {name}"))
            except site_bench.NoGeneratedData as error:
                raise CommandError(str(error)) from error
        elif what == "linking" and generated is not None:
            if generated < 2:
                raise CommandError("Give 2 records or more to link.")
            if settings.LINKING_BACKEND not in resolution.BACKENDS:
                raise CommandError(f"LINKING_BACKEND is {settings.LINKING_BACKEND!r}: use "
                                   f"{' or '.join(resolution.BACKENDS)}.")
            try:
                result = bench.bench_generated(generated, backend=settings.LINKING_BACKEND)
            except ImportError as error:
                raise CommandError(f"The {settings.LINKING_BACKEND} backend is not installed: "
                                   f"{error}") from error
        elif what == "linking":
            try:
                result = bench.bench_linking(dataset)
            except bench.MissingBenchmarkData as error:
                raise CommandError(str(error)) from error
        elif what == "networks":
            result = bench.bench_networks(entities)
        elif database:
            result = _triggers_in_database(entities, min(reports, 10))
        else:
            result = bench.bench_triggers_memory(entities, reports)
        self.stdout.write(json.dumps(result))


def _triggers_in_database(entities: int, reports: int) -> dict:
    rng = random.Random(3)  # noqa: S311 - synthetic data, not secrets
    kinds = ["location", "vehicle", "organisation"]
    with transaction.atomic():
        built = time.perf_counter()
        area = Area.objects.create(name="Benchmark area", slug="benchmark-area")
        agency = Agency.objects.create(name="Benchmark police", kind=AgencyKind.POLICE,
                                       area=area)
        user = User.objects.create(username="benchmark-user", role=Role.POLICE, agency=agency)
        children = Child.objects.bulk_create(
            [Child(area=area, given_names="Bench", family_name=f"Child {i}")
             for i in range(max(2, entities // 4))], batch_size=5000)
        seed_report = IntelligenceReport.objects.create(area=area, submitted_by=user,
                                                        agency=agency, text="benchmark")

        def key(kind, i):
            return {"location": f"|bench place {i}", "vehicle": f"BENCH{i}",
                    "organisation": f"bench organisation {i}"}[kind]

        made = Entity.objects.bulk_create(
            [Entity(kind=kinds[i % 3], key=key(kinds[i % 3], i), label=f"Bench {i}", area=area)
             for i in range(entities)], batch_size=5000)
        links = []
        for entity in made:
            for _ in range(rng.randint(1, 3)):
                links.append(Link(child=rng.choice(children), entity=entity, report=seed_report,
                                  role=rng.choice(["associated", "contact", "facilitating"])))
            if len(links) >= 20_000:
                Link.objects.bulk_create(links, ignore_conflicts=True)
                links = []
        Link.objects.bulk_create(links, ignore_conflicts=True)
        build_seconds = time.perf_counter() - built
        timings = []
        for n in range(reports):
            i = rng.randrange(0, entities // 3) * 3
            mentions = [
                MentionInput(kind="subject", raw_text="Bench person", role="suspect",
                             given="Bench", family=f"Person {n}"),
                MentionInput(kind="location", raw_text="place", role="facilitating",
                             name=f"bench place {i}"),
                MentionInput(kind="vehicle", raw_text="vehicle", role="contact",
                             registration=f"BENCH{i + 1}"),
            ]
            start = time.perf_counter()
            actions.submit_report(by=user, text="benchmark report",
                                  children=[rng.choice(children)], mentions=mentions)
            timings.append(time.perf_counter() - start)
        total_links = Link.objects.count()
        transaction.set_rollback(True)
    return {"mode": "database", "entities": entities, "links": total_links,
            "build_seconds": round(build_seconds, 2), "reports": reports,
            "ms_per_report_median": round(statistics.median(timings) * 1000, 1),
            "ms_per_report_max": round(max(timings) * 1000, 1)}
