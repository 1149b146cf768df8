"""`lantern generate --children N`: invented data at regional scale, for measuring Lantern.

    lantern generate --children 100000     about 8 areas, 1.2 million chronology entries
    lantern generate --tasking             add the tasking lists' data to children generated
                                           by an older `lantern generate`

Writes into the configured database (use one kept for measuring, e.g. `lantern_perf`); refuses
in production and when generated data is already there. See lantern/site/generate.py.
"""

import json
import os
import time

from django.core.management.base import BaseCommand, CommandError

from lantern.site import generate


class Command(BaseCommand):
    help = "Write N invented children, with their records, work and audit trail, in bulk."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int)
        parser.add_argument("--tasking", action="store_true",
                            help="add urgent concerns, missing episodes, triggers and notices "
                                 "to children generated before (issue 17)")
        parser.add_argument("--seed", type=int, default=generate.SEED)

    def handle(self, *args, children, tasking, seed, **options):
        if os.environ.get("LANTERN_ENVIRONMENT", "").lower() == "production":
            raise CommandError("Generated data is for measuring, never production.")
        if not tasking and (children is None or children < 1):
            raise CommandError("Give a number of children of 1 or more.")
        started = time.perf_counter()

        def progress(done: int) -> None:
            self.stderr.write(f"{done} children ({time.perf_counter() - started:.0f} s)")

        try:
            if tasking:
                result = generate.add_tasking(seed=seed, progress=progress)
            else:
                result = generate.generate(children, seed=seed, progress=progress)
        except generate.Refused as refused:
            raise CommandError(str(refused)) from refused
        result["seconds"] = round(time.perf_counter() - started, 1)
        self.stdout.write(json.dumps(result))
