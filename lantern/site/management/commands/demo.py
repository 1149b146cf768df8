"""`lantern demo`: load the fictional demo partnership (local use only).

    lantern demo                   load it (refuses if it is already loaded)
    lantern demo --if-empty        load it unless it is already there (used by `make run`)
    lantern demo --accounts-json   print the demo accounts as JSON on stdout (with each
                                   account's TOTP secret), loading the demo first if needed
    lantern demo --code USERNAME   print the code a demo account's authenticator shows now
"""

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from lantern.site import demo


class Command(BaseCommand):
    help = "Load the fictional demo partnership, or print its accounts as JSON."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing if the demo is already loaded")
        parser.add_argument("--accounts-json", action="store_true",
                            help="print the demo accounts as JSON")
        parser.add_argument("--code", metavar="USERNAME",
                            help="print the current second-factor code of a demo account")

    def handle(self, *args, if_empty=False, accounts_json=False, code=None, **options):
        if os.environ.get("LANTERN_ENVIRONMENT", "").lower() == "production":
            raise CommandError("The demo partnership is for local use only, not production.")
        loaded = demo.is_loaded()
        if code:
            if not loaded:
                raise CommandError("The demo partnership is not loaded: run `lantern demo`.")
            if code not in {a.username for a in demo.ACCOUNTS}:
                raise CommandError(f"No demo account called '{code}'.")
            self.stdout.write(demo.current_code(code))
            return
        if loaded and not (if_empty or accounts_json):
            raise CommandError("The demo partnership is already loaded.")
        if not loaded:
            print("Loading the demo partnership...", file=sys.stderr)
            demo.load()
            print("Demo partnership loaded.", file=sys.stderr)
        if accounts_json:
            self.stdout.write(json.dumps(demo.accounts(), indent=2))
